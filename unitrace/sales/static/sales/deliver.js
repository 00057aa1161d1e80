/* Delivery scanning: each scan (a scanner "types" the code and presses Enter) is added
   to the serial list below instead of submitting the form. Without JavaScript the
   scanner types straight into the list. */
(function () {
  "use strict";
  document.querySelectorAll("[data-scan-into]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("data-scan-into"));
    var counter = document.getElementById(input.getAttribute("data-count"));
    if (!list) return;
    function count() {
      var n = list.value.split(/[\s,，;；]+/).filter(Boolean).length;
      if (counter) counter.textContent = String(n);
    }
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      var code = input.value.trim();
      if (code) {
        list.value = (list.value.replace(/\s+$/, "") + "\n" + code).replace(/^\n/, "") + "\n";
        count();
      }
      input.value = "";
    });
    list.addEventListener("input", count);
    count();
  });
})();
