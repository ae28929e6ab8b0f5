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

  // A refused request (a vote without a criterion, a stale page...) says why in the message
  // line; the text is read from the answer as text, never inserted as markup.
  function flash(text) {
    var box = document.getElementById("flash");
    if (!box) { return; }
    box.textContent = text;
    box.hidden = !text;
  }

  function reason(xhr) {
    var type = xhr.getResponseHeader("content-type") || "";
    if (type.indexOf("application/json") === 0) {
      try { return String(JSON.parse(xhr.responseText).detail); } catch (e) { return xhr.statusText; }
    }
    var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var problems = doc.querySelector(".problems");
    return (problems ? problems.textContent : doc.body.textContent).replace(/\s+/g, " ").trim();
  }

  document.addEventListener("htmx:responseError", function (event) {
    flash(reason(event.detail.xhr) || "the request failed (" + event.detail.xhr.status + ")");
  });
  document.addEventListener("htmx:sendError", function () {
    flash("the server cannot be reached; is metasummary serve still running?");
  });
  // A change that went through, or a request the user made, clears the message; a page
  // part loading by itself (the board read again after a refusal, suggestions, panels)
  // leaves it, so the reason for a refusal stays in view.
  document.addEventListener("htmx:afterRequest", function (event) {
    var config = event.detail.requestConfig || {};
    var byUser = Boolean(config.triggeringEvent) || (config.verb && config.verb !== "get");
    if (event.detail.successful && byUser) { flash(""); }
  });

  function typing(target) {
    return target && target.closest && target.closest("input[type=text], input[type=search], input[type=number], textarea, select");
  }

  // Pages that act by key mark a region with data-keys; its buttons name their key.
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var scope = document.querySelector("[data-keys]");
    var button = scope && scope.querySelector('[data-key="' + event.key.toLowerCase() + '"]');
    if (button) { event.preventDefault(); button.click(); }
  });
})();
