/* Stocktake count page: a scan travels with the bin shown when its request leaves,
   not when Enter was pressed. A clerk scans a shelf label and then the units on it at
   wedge-scanner speed; those scans queue behind the label's, and each must count in
   the bin the label's answer switched to. scanner.js does the rest. */
(function () {
  "use strict";
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (!elt || elt.id !== "count-form") return;
    var bin = document.getElementById("current-bin");
    if (bin) event.detail.parameters.bin = bin.value;
  });
})();
