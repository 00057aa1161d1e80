/* Delivery scanning. scanner.js owns the scan field, its tones and its log; this adds
   what only the delivery page needs: every scan travels with the chosen warehouse and
   the units already kept for this delivery (read when the request leaves, so a burst
   of queued scans still sees each earlier answer), and a kept unit can be taken off
   again. Without JavaScript the serial list below takes scans and pasted lists. */
(function () {
  "use strict";

  function kept() {
    return Array.prototype.map.call(
      document.querySelectorAll("#delivery-scanned input[name=scanned]"),
      function (input) { return input.value; }
    );
  }

  function recount() {
    var n = kept().length;
    document.querySelectorAll('[data-scan-count="scanned"]').forEach(function (el) {
      el.textContent = String(n);
    });
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (!elt || elt.id !== "delivery-scan-form") return;
    var warehouse = document.getElementById("id_warehouse");
    event.detail.parameters.warehouse = warehouse ? warehouse.value : "";
    event.detail.parameters.scanned = kept();
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-unscan]");
    if (!button) return;
    var item = button.closest("li");
    var sku = null;
    if (item) {
      sku = item.getAttribute("data-sku");
      item.parentNode.removeChild(item);
    }
    if (sku) {
      document.querySelectorAll('[data-scan-count="sku:' + sku + '"]').forEach(function (el) {
        el.textContent = String(Math.max(0, (parseInt(el.textContent, 10) || 0) - 1));
      });
    }
    recount();
    var input = document.getElementById("deliver-scan");
    if (input) input.focus();
  });
})();
