/* The public repair page: photos are made smaller on the phone before they are sent
   (canvas → JPEG, longer side at most 2048 px), and "use my location" fills the
   hidden coordinates. Without this script the form still works: the server resizes. */
(function () {
  "use strict";
  var form = document.getElementById("repair-form");
  if (!form) return;
  var LONG_EDGE = 2048;
  var QUALITY = 0.85;
  var max = parseInt(form.getAttribute("data-max-photos") || "6", 10);
  var input = form.querySelector('input[type="file"][name="photos"]');
  var list = form.querySelector("[data-photo-list]");
  var submit = document.getElementById("repair-submit");
  var busy = false;

  function kb(size) {
    return Math.max(1, Math.round(size / 1024)) + " KB";
  }

  function show(files, note) {
    if (!list) return;
    list.innerHTML = "";
    Array.prototype.forEach.call(files, function (file) {
      var item = document.createElement("li");
      item.textContent = file.name + " · " + kb(file.size);
      list.appendChild(item);
    });
    if (note) {
      var warn = document.createElement("li");
      warn.className = "field-error";
      warn.textContent = note;
      list.appendChild(warn);
    }
  }

  function decode(file) {
    if (window.createImageBitmap) {
      return createImageBitmap(file, { imageOrientation: "from-image" });
    }
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () { URL.revokeObjectURL(url); resolve(img); };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error("decode")); };
      img.src = url;
    });
  }

  function shrink(file) {
    // a picture the browser cannot decode (HEIC on most non-Apple phones) goes as it is:
    // the server reads HEIC and makes it a JPEG
    return decode(file).then(function (picture) {
      var w = picture.width, h = picture.height;
      var scale = Math.min(1, LONG_EDGE / Math.max(w, h));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(w * scale);
      canvas.height = Math.round(h * scale);
      canvas.getContext("2d").drawImage(picture, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || (scale === 1 && blob.size >= file.size && /jpe?g$/i.test(file.type))) {
            resolve(file);
            return;
          }
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg" }));
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return file; });
  }

  if (input && window.DataTransfer && window.Promise) {
    input.setAttribute("multiple", "");
    input.addEventListener("change", function () {
      var chosen = Array.prototype.slice.call(input.files || []);
      var note = "";
      if (chosen.length > max) {
        note = (form.getAttribute("data-too-many") || "At most %s photos: only the first %s are sent.").replace(/%s/g, max);
        chosen = chosen.slice(0, max);
      }
      busy = true;
      if (submit) submit.disabled = true;
      Promise.all(chosen.map(shrink)).then(function (files) {
        var box = new DataTransfer();
        files.forEach(function (f) { box.items.add(f); });
        input.files = box.files;
        show(files, note);
      }).finally(function () {
        busy = false;
        if (submit) submit.disabled = false;
      });
    });
  }

  form.addEventListener("submit", function (event) {
    if (busy) { event.preventDefault(); return; }
    if (event.submitter && event.submitter.id === "repair-submit") {
      event.submitter.disabled = true; // one request, even if tapped twice
    }
  });

  var locate = form.querySelector("[data-locate]");
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    var status = locate.querySelector("[data-locate-status]");
    locate.querySelector("[data-locate-button]").addEventListener("click", function () {
      status.textContent = locate.getAttribute("data-asking") || "…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.querySelector('[name="latitude"]').value = pos.coords.latitude.toFixed(6);
        form.querySelector('[name="longitude"]').value = pos.coords.longitude.toFixed(6);
        status.textContent = (locate.getAttribute("data-done") || "Location added (±%s m)").replace("%s", Math.round(pos.coords.accuracy));
      }, function () {
        status.textContent = locate.getAttribute("data-failed") || "Location not available.";
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }
})();
