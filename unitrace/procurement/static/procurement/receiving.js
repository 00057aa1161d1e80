/* unitrace procurement: the receiving page, built for a keyboard-wedge scanner.

   - Enter sends the scan with htmx and empties the field at once, so the scanner can read
     the next unit while the server answers; requests queue in order (hx-sync "queue all"),
     so no scan is lost or reordered.
   - After each answer a WebAudio beep says how it went without looking at the screen:
     one high beep = accepted, two falling tones = received but quarantined (not on the
     supplier's list), a low double buzz = refused.
   - Any printable key typed while the focus is elsewhere goes back to the scan field.
   Without JavaScript the form posts normally and the page comes back with the result. */
(function () {
  "use strict";

  var FORM_ID = "receive-form";
  var FIELD_ID = "receive-input";
  var FEEDBACK_ID = "receive-feedback";
  var SOUNDS = {
    accepted: [[1320, 0, 0.12, "square"]],
    suspect: [[880, 0, 0.14, "triangle"], [587, 0.18, 0.22, "triangle"]],
    refused: [[196, 0, 0.16, "sawtooth"], [196, 0.22, 0.28, "sawtooth"]]
  };
  var audio = null;

  function ensureAudio() {
    // Browsers allow sound only after a user gesture; a scanner's keystrokes count.
    if (audio || !(window.AudioContext || window.webkitAudioContext)) return;
    try {
      audio = new (window.AudioContext || window.webkitAudioContext)();
    } catch (e) {
      audio = null;
    }
  }

  function tone(frequency, start, duration, type) {
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

  function beep(outcome) {
    document.documentElement.setAttribute("data-last-beep", outcome);
    if (!audio) return;
    if (audio.state === "suspended") audio.resume();
    (SOUNDS[outcome] || SOUNDS.refused).forEach(function (t) {
      tone(t[0], t[1], t[2], t[3]);
    });
  }

  function field() {
    return document.getElementById(FIELD_ID);
  }

  function isField(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || form.id !== FORM_ID || !window.htmx) return;
    event.preventDefault();
    ensureAudio();
    var input = field();
    var code = input ? input.value : "";
    if (input) {
      input.value = "";
      input.focus();
    }
    if (!code.trim()) return;
    var values = { code: code };
    form.querySelectorAll("[data-scan-extra]").forEach(function (el) {
      values[el.name] = el.value;
    });
    window.htmx.ajax("POST", form.getAttribute("action"), {
      source: form,
      target: "#" + FEEDBACK_ID,
      swap: "innerHTML",
      values: values
    });
  }, true);

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== FEEDBACK_ID) return;
    var result = target.querySelector("[data-outcome]");
    if (result) beep(result.getAttribute("data-outcome"));
  });

  document.addEventListener("htmx:responseError", function (event) {
    var target = document.getElementById(FEEDBACK_ID);
    if (!target || !event.detail || event.detail.elt.id !== FORM_ID) return;
    target.textContent = "";
    var p = document.createElement("p");
    p.className = "alert alert-error";
    p.setAttribute("role", "alert");
    p.textContent = target.getAttribute("data-error-text") || "Error " + event.detail.xhr.status;
    target.appendChild(p);
    beep("refused");
  });

  document.addEventListener("keydown", function (event) {
    ensureAudio();
    var input = field();
    if (input && !isField(document.activeElement) && !event.ctrlKey && !event.metaKey &&
        !event.altKey && event.key && event.key.length === 1) {
      input.focus();
    }
  }, true);
  document.addEventListener("pointerdown", ensureAudio, true);

  document.addEventListener("DOMContentLoaded", function () {
    var input = field();
    if (input && !isField(document.activeElement)) input.focus();
    var sku = document.getElementById("receive-sku");
    if (sku && input) sku.addEventListener("change", function () { input.focus(); });
  });
})();
