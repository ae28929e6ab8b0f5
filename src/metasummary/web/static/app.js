// metasummary's own script: small, no build step. htmx does the requests.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta ? meta.getAttribute("content") : "";

  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail;
    // The server refuses state-changing requests without the per-process token.
    detail.headers["X-CSRF-Token"] = token;
    // An empty filter means "any": keep it out of the query string (and the pushed URL).
    if (detail.verb === "get" && detail.formData) {
      var empty = [];
      detail.formData.forEach(function (value, key) {
        if (value === "") { empty.push(key); }
      });
      empty.forEach(function (key) { detail.formData.delete(key); });
    }
  });
})();
