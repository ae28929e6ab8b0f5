// The keys of the screening page and of the conflicts page (the element marked data-keys):
// i / e / m vote or resolve, digits tick criteria, u undoes, s skips. On the screening page
// each key press is timed to the moment the next record is on the page (performance
// measure "screen-next", read by benchmarks/web.py).
(function () {
  "use strict";
  var busy = false;

  function typing(target) {
    return target && target.closest && target.closest("input[type=text], textarea, select");
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var screen = document.getElementById("screen") || document.querySelector("[data-keys]");
    if (!screen) { return; }
    var key = event.key.toLowerCase();
    if (/^[1-9]$/.test(key)) {
      var box = screen.querySelector('input[data-digit="' + key + '"]');
      if (box) { box.checked = !box.checked; event.preventDefault(); }
      return;
    }
    var button = screen.querySelector('button[data-key="' + key + '"]');
    if (!button || busy) { return; }
    event.preventDefault();
    busy = true;
    performance.clearMarks("screen-key");
    performance.mark("screen-key");
    button.click();
  });

  // Keys wait until the next card is in place and wired (htmx wires it when it settles).
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!event.detail.successful) { busy = false; }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail.target || event.detail.target.id !== "screen") { return; }
    busy = false;
    if (performance.getEntriesByName("screen-key", "mark").length === 0) { return; }
    requestAnimationFrame(function () {
      performance.measure("screen-next", "screen-key");
      performance.clearMarks("screen-key");
    });
  });
})();
