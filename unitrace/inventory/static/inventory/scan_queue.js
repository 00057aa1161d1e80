/* unitrace inventory: scans that write (stocktake counts, transfer receipts) must never be
   lost. The field is emptied the moment Enter is pressed and the code travels with its own
   request; requests queue in order (hx-sync="this:queue all"), so a fast keyboard-wedge
   scanner can scan the next unit while the server answers the last one. Without
   JavaScript the form posts normally. */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-scan-queue") || !window.htmx) {
      return;
    }
    event.preventDefault();
    var input = form.querySelector("[name=code]");
    var code = input ? input.value.trim() : "";
    if (input) {
      input.value = "";
      input.focus();
    }
    if (!code) return;
    var values = { code: code };
    form.querySelectorAll("[data-scan-extra]").forEach(function (el) {
      values[el.name] = el.value;
    });
    window.htmx.ajax("POST", form.getAttribute("action"), {
      source: form,
      target: form.getAttribute("data-target"),
      swap: "innerHTML",
      values: values
    });
  }, true);
})();
