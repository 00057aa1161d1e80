/* unitrace: small helpers for the scan page and lists. Everything works without it. */
(function () {
  "use strict";

  var audio = null;

  function ensureAudio() {
    // Browsers only allow sound after a user gesture; a scanner's keystrokes count.
    if (audio || !(window.AudioContext || window.webkitAudioContext)) return;
    try {
      audio = new (window.AudioContext || window.webkitAudioContext)();
    } catch (e) {
      audio = null;
    }
  }

  function tone(frequency, start, duration) {
    var osc = audio.createOscillator();
    var gain = audio.createGain();
    osc.type = "square";
    osc.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, audio.currentTime + start);
    gain.gain.exponentialRampToValueAtTime(0.08, audio.currentTime + start + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + start + duration);
    osc.connect(gain).connect(audio.destination);
    osc.start(audio.currentTime + start);
    osc.stop(audio.currentTime + start + duration + 0.02);
  }

  function beep(outcome) {
    if (!audio) return;
    if (audio.state === "suspended") audio.resume();
    if (outcome === "found") {
      tone(1320, 0, 0.12);
    } else if (outcome === "ambiguous") {
      tone(880, 0, 0.1);
      tone(880, 0.15, 0.1);
    } else {
      tone(220, 0, 0.35);
    }
  }

  function scanInput() {
    return document.getElementById("scan-input");
  }

  function isField(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  document.addEventListener("keydown", function (event) {
    ensureAudio();
    var input = scanInput();
    // A keyboard-wedge scanner types wherever the focus is: bring it back to the scan field.
    // Not while the keyboard is working the top bar: Space opens a menu there.
    var inTopbar = document.activeElement && document.activeElement.closest &&
      document.activeElement.closest(".topbar");
    if (input && !isField(document.activeElement) && !inTopbar && !event.ctrlKey && !event.metaKey &&
        !event.altKey && event.key && event.key.length === 1) {
      input.focus();
    }
  }, true);
  document.addEventListener("pointerdown", ensureAudio, true);

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail && event.detail.elt;
    if (!form || form.id !== "scan-form") return;
    var input = scanInput();
    if (input) {
      input.value = "";
      input.focus();
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "scan-result") return;
    var result = target.querySelector("[data-outcome]");
    if (result) beep(result.getAttribute("data-outcome"));
  });

  // Navigation menus are <details>: one open at a time, Escape or a click elsewhere closes.
  function navMenus() {
    return document.querySelectorAll("details[data-nav-menu]");
  }

  document.addEventListener("toggle", function (event) {
    var menu = event.target;
    if (!menu.matches || !menu.matches("details[data-nav-menu]") || !menu.open) return;
    navMenus().forEach(function (other) {
      if (other !== menu) other.open = false;
    });
  }, true);

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    navMenus().forEach(function (menu) {
      if (!menu.open) return;
      menu.open = false;
      if (menu.contains(document.activeElement)) menu.querySelector("summary").focus();
    });
  });

  document.addEventListener("click", function (event) {
    navMenus().forEach(function (menu) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    var go = document.getElementById("scan-go");
    if (go && window.localStorage) {
      var stored = window.localStorage.getItem("unitrace.scan.go");
      if (stored !== null && !/[?&]go=/.test(window.location.search)) {
        go.checked = stored === "1";
      }
      go.addEventListener("change", function () {
        window.localStorage.setItem("unitrace.scan.go", go.checked ? "1" : "0");
        var input = scanInput();
        if (input) input.focus();
      });
    }
    var input = scanInput();
    if (input && !isField(document.activeElement)) input.focus();

    document.querySelectorAll("[data-select-all]").forEach(function (box) {
      var name = box.getAttribute("data-select-all");
      box.addEventListener("change", function () {
        var form = box.form || document;
        form.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (c) {
          c.checked = box.checked;
        });
      });
    });
  });
})();
