/* The agent console's keyboard: a scan lands in the box wherever the focus is, and the
   arrow keys walk the results (Escape goes back to the box). The page works without it. */
(function () {
  "use strict";

  function box() {
    return document.getElementById("agent-search-input");
  }

  function isField(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  function hits() {
    return Array.prototype.slice.call(
      document.querySelectorAll("#agent-search-results a.hit-title")
    );
  }

  document.addEventListener("keydown", function (event) {
    var input = box();
    if (!input) return;
    var active = document.activeElement;
    var inTopbar = active && active.closest && active.closest(".topbar");
    if (!isField(active) && !inTopbar && !event.ctrlKey && !event.metaKey && !event.altKey &&
        event.key && event.key.length === 1) {
      input.focus(); // a keyboard-wedge scanner types wherever the focus is
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp" && event.key !== "Escape") return;
    var links = hits();
    var at = links.indexOf(active);
    if (event.key === "Escape" && at >= 0) {
      input.focus();
      event.preventDefault();
    } else if (event.key === "ArrowDown" && (active === input || at >= 0) && links.length) {
      links[Math.min(at + 1, links.length - 1)].focus();
      event.preventDefault();
    } else if (event.key === "ArrowUp" && at >= 0) {
      (at === 0 ? input : links[at - 1]).focus();
      event.preventDefault();
    }
  }, true);

  document.addEventListener("DOMContentLoaded", function () {
    var input = box();
    if (input && !isField(document.activeElement)) {
      input.focus();
      input.setSelectionRange(input.value.length, input.value.length);
    }
  });
})();
