/* unitrace scan feedback: one component for every page that takes keyboard-wedge scans.

   Usage
   -----
   Load it (with scanner.css) on the page and mark up a form:

     <form method="post" action="..." data-scanner
           data-scanner-target="#scan-result" data-scanner-log="#scan-log"
           hx-sync="this:queue all">
       <input name="code" data-scanner-input autocomplete="off">
       <select name="sku">...</select>          (every named field is sent along)
     </form>
     <div id="scan-result" data-scanner-error="The scan could not be sent; scan it again."></div>
     <ol id="scan-log"></ol>                    (optional: recent scans, newest first)
     <dd data-scan-count="accepted">0</dd>      (optional: counters, see below)

   On Enter the code is posted with htmx, the field empties at once and keeps the focus,
   so the scanner can read the next unit while the server answers; requests queue in
   order. Any printable key typed while the focus is elsewhere goes back to the field.

   The server answers with an HTML partial (swapped into the target, innerHTML) whose
   root element declares the outcome:

     <div data-scan-outcome="accepted|duplicate|quarantined|refused|..."
          data-scan-counts='{"accepted": 3, "refused": 1}'   (optional)
          data-scan-label="已接收"                            (optional: text for the log)
          data-scan-code="A0001"                             (optional: code for the log)
          data-scan-tone="accept">                           (optional: overrides the tone)

   Tones (WebAudio, different pitches): "accepted" → accept (one high beep),
   "duplicate" → duplicate (two short middle beeps), "quarantined" → quarantine (two
   falling tones: taken in, but set aside), anything else → refuse (a low double buzz).
   A failed request (network, 4xx/5xx) also sounds refuse. Exactly one tone per scan;
   every tone played is pushed to ``window.__unitraceTones`` (the test hook) and the
   last one is on ``<html data-last-tone>``.

   Counters: each key of data-scan-counts sets the text of every
   ``[data-scan-count="KEY"]`` element. Without it, ``[data-scan-tally="OUTCOME"]``
   elements (and ``[data-scan-tally="total"]``) count this page's scans by outcome.

   Without JavaScript the form posts normally and the server renders the whole page. */
(function () {
  "use strict";

  var LOG_LIMIT = 100;
  var TONES = {
    accept: [[1320, 0, 0.12, "square"]],
    duplicate: [[660, 0, 0.09, "square"], [660, 0.14, 0.09, "square"]],
    quarantine: [[880, 0, 0.14, "triangle"], [587, 0.18, 0.22, "triangle"]],
    refuse: [[196, 0, 0.16, "sawtooth"], [196, 0.22, 0.28, "sawtooth"]]
  };
  var TONE_OF = { accepted: "accept", duplicate: "duplicate", quarantined: "quarantine" };
  var audio = null;
  var tallies = {};

  window.__unitraceTones = window.__unitraceTones || [];

  function ensureAudio() {
    // Browsers allow sound only after a user gesture; a scanner's keystrokes count.
    if (audio || !(window.AudioContext || window.webkitAudioContext)) return;
    try {
      audio = new (window.AudioContext || window.webkitAudioContext)();
    } catch (e) {
      audio = null;
    }
  }

  function note(frequency, start, duration, type) {
    var t0 = audio.currentTime + start;
    var osc = audio.createOscillator();
    var gain = audio.createGain();
    osc.type = type;
    osc.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, t0);
    gain.gain.exponentialRampToValueAtTime(0.1, t0 + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + duration);
    osc.connect(gain).connect(audio.destination);
    osc.start(t0);
    osc.stop(t0 + duration + 0.02);
  }

  function play(name) {
    if (!TONES[name]) name = "refuse";
    window.__unitraceTones.push(name);
    document.documentElement.setAttribute("data-last-tone", name);
    if (!audio) return;
    try {
      if (audio.state === "suspended") audio.resume();
      TONES[name].forEach(function (t) {
        note(t[0], t[1], t[2], t[3]);
      });
    } catch (e) {
      /* no sound is no reason to lose the scan */
    }
  }

  function isField(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  function scanners() {
    return document.querySelectorAll("form[data-scanner]");
  }

  function inputOf(form) {
    return form.querySelector("[data-scanner-input]");
  }

  function targetOf(form) {
    var selector = form.getAttribute("data-scanner-target");
    return selector ? document.querySelector(selector) : null;
  }

  function formFor(target) {
    var found = null;
    scanners().forEach(function (form) {
      if (targetOf(form) === target) found = form;
    });
    return found;
  }

  function setCounts(json) {
    var counts;
    try {
      counts = JSON.parse(json);
    } catch (e) {
      return;
    }
    Object.keys(counts || {}).forEach(function (key) {
      document.querySelectorAll('[data-scan-count="' + key + '"]').forEach(function (el) {
        el.textContent = String(counts[key]);
      });
    });
  }

  function tally(outcome) {
    tallies[outcome] = (tallies[outcome] || 0) + 1;
    tallies.total = (tallies.total || 0) + 1;
    [outcome, "total"].forEach(function (key) {
      document.querySelectorAll('[data-scan-tally="' + key + '"]').forEach(function (el) {
        el.textContent = String(tallies[key]);
      });
    });
  }

  function log(form, code, outcome, label, reason) {
    var selector = form.getAttribute("data-scanner-log");
    var list = selector ? document.querySelector(selector) : null;
    if (!list) return;
    var item = document.createElement("li");
    item.className = "scan-log-item";
    item.setAttribute("data-scan-outcome", outcome);
    if (reason) item.setAttribute("data-scan-reason", reason);
    var time = document.createElement("span");
    time.className = "scan-log-time";
    time.textContent = new Date().toTimeString().slice(0, 8);
    var text = document.createElement("code");
    text.className = "scan-log-code";
    text.textContent = code;
    var badge = document.createElement("span");
    badge.className = "scan-log-badge";
    badge.textContent = label || outcome;
    item.appendChild(time);
    item.appendChild(text);
    item.appendChild(badge);
    list.insertBefore(item, list.firstChild);
    while (list.children.length > LOG_LIMIT) list.removeChild(list.lastChild);
  }

  function refocus(form) {
    var input = inputOf(form);
    if (input && (!isField(document.activeElement) || document.activeElement === document.body)) {
      input.focus();
    }
  }

  // The code each queued request carries, in order: the answer to the oldest comes first.
  var sent = [];

  function send(form) {
    var input = inputOf(form);
    var code = input ? input.value : "";
    if (input) {
      input.value = "";
      input.focus();
    }
    if (!code.trim()) return;
    var values = {};
    new FormData(form).forEach(function (value, key) {
      if (typeof value === "string") values[key] = value;
    });
    values[input ? input.name : "code"] = code;
    sent.push(code);
    window.htmx.ajax("POST", form.getAttribute("action"), {
      source: form,
      target: form.getAttribute("data-scanner-target"),
      swap: "innerHTML",
      values: values
    });
  }

  function answered(form, root) {
    var code = sent.length ? sent.shift() : "";
    var outcome = (root && root.getAttribute("data-scan-outcome")) || "refused";
    var tone = (root && root.getAttribute("data-scan-tone")) || TONE_OF[outcome] || "refuse";
    if (root && root.getAttribute("data-scan-counts")) {
      setCounts(root.getAttribute("data-scan-counts"));
    }
    tally(outcome);
    log(
      form,
      (root && root.getAttribute("data-scan-code")) || code,
      outcome,
      root && root.getAttribute("data-scan-label"),
      root && root.getAttribute("data-scan-reason")
    );
    play(tone);
    refocus(form);
  }

  function failed(form) {
    var target = targetOf(form);
    if (target) {
      target.textContent = "";
      var p = document.createElement("p");
      p.className = "alert alert-error scan-error";
      p.setAttribute("role", "alert");
      p.setAttribute("data-scan-outcome", "error");
      p.textContent = target.getAttribute("data-scanner-error") || "Error";
      target.appendChild(p);
    }
    var code = sent.length ? sent.shift() : "";
    tally("error");
    log(form, code, "error", target && target.getAttribute("data-scanner-error-label"), "");
    play("refuse");
    refocus(form);
  }

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!form || !form.hasAttribute || !form.hasAttribute("data-scanner") || !window.htmx) {
        return;
      }
      event.preventDefault();
      ensureAudio();
      send(form);
    },
    true
  );

  // htmx fires afterSwap on every element a response settles, out-of-band ones included,
  // with the same detail: answer each request once, for its own target.
  var seen = typeof WeakSet === "function" ? new WeakSet() : null;

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    var form = target && formFor(target);
    if (!form || event.target !== target) return;
    var xhr = event.detail.xhr;
    if (seen && xhr) {
      if (seen.has(xhr)) return;
      seen.add(xhr);
    }
    var root = target.querySelector("[data-scan-outcome]");
    answered(form, root);
  });

  function onError(event) {
    var elt = event.detail && event.detail.elt;
    if (!elt || !elt.hasAttribute || !elt.hasAttribute("data-scanner")) return;
    failed(elt);
  }
  document.addEventListener("htmx:responseError", onError);
  document.addEventListener("htmx:sendError", onError);

  document.addEventListener(
    "keydown",
    function (event) {
      ensureAudio();
      var form = document.querySelector("form[data-scanner]");
      var input = form && inputOf(form);
      if (
        input &&
        !isField(document.activeElement) &&
        !event.ctrlKey &&
        !event.metaKey &&
        !event.altKey &&
        event.key &&
        event.key.length === 1
      ) {
        input.focus();
      }
    },
    true
  );
  document.addEventListener("pointerdown", ensureAudio, true);

  function start() {
    scanners().forEach(function (form) {
      var input = inputOf(form);
      if (input && !isField(document.activeElement)) input.focus();
      // choosing an option in the form's own selects hands the focus back to the field
      form.querySelectorAll("select").forEach(function (select) {
        select.addEventListener("change", function () {
          if (input) input.focus();
        });
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }

  window.unitraceScanner = { play: play };
})();
