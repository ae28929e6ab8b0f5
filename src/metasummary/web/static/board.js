// The card-sort board: notes and themes dragged with SortableJS; each drop is one request
// whose answer swaps in the heads (counts) of what changed.
(function () {
  "use strict";

  function coder() {
    var field = document.getElementById("board-coder");
    return field ? field.value : "";
  }

  function post(url, values) {
    htmx.ajax("POST", url, { values: values, swap: "none" });
  }

  // Read the board again; the message saying why a change was refused stays (app.js).
  function reload() {
    htmx.ajax("GET", "/board?coder=" + encodeURIComponent(coder()), { target: "#board", swap: "innerHTML" });
  }

  // Where the pointer was last during a drag: a note dropped on a theme's head goes into
  // that theme, whichever list the drag passed over last.
  var pointer = null;
  document.addEventListener("dragover", function (event) {
    pointer = { x: event.clientX, y: event.clientY };
  });

  function headUnderPointer() {
    if (!pointer) { return null; }
    var found = document.elementFromPoint(pointer.x, pointer.y);
    return found && found.closest ? found.closest("#board .theme-head") : null;
  }

  function notes(list) {
    Sortable.create(list, {
      group: "notes",
      draggable: ".note",
      filter: "a, button",
      preventOnFilter: false,
      onStart: function () { pointer = null; },
      onEnd: function (evt) {
        var to = evt.to;
        var position = evt.newIndex;
        var head = headUnderPointer();
        var headList = head && head.closest(".theme").querySelector("ul.notes");
        if (headList) {
          to = headList;
          if (evt.item.parentNode !== to) { to.appendChild(evt.item); }
          position = to.querySelectorAll(".note").length - 1;
        }
        if (evt.from === to && evt.oldIndex === position) { return; }
        post("/board/moves", {
          finding: evt.item.dataset.finding,
          theme: to.dataset.theme,
          from_theme: evt.from.dataset.theme,
          position: position,
          coder: coder()
        });
      }
    });
  }

  function themes(list) {
    Sortable.create(list, {
      group: "themes",
      draggable: ".theme",
      handle: ".theme-head",
      onEnd: function (evt) {
        if (evt.from === evt.to && evt.oldIndex === evt.newIndex) { return; }
        post("/board/themes/" + evt.item.dataset.theme + "/move", {
          stage: evt.to.dataset.stage,
          from_stage: evt.from.dataset.stage,
          position: evt.newIndex,
          coder: coder()
        });
      }
    });
  }

  htmx.onLoad(function (root) {
    if (!root.querySelectorAll) { return; }
    root.querySelectorAll("#board ul.notes, ul.notes").forEach(function (list) {
      if (!list.dataset.sortable && list.closest("#board")) { list.dataset.sortable = "1"; notes(list); }
    });
    root.querySelectorAll("div.themes").forEach(function (list) {
      if (!list.dataset.sortable && list.closest("#board")) { list.dataset.sortable = "1"; themes(list); }
    });
  });

  // A refused change leaves the page out of step with the review: read the board again.
  document.addEventListener("htmx:responseError", function (event) {
    var path = event.detail.pathInfo && event.detail.pathInfo.requestPath || "";
    if (path.indexOf("/board/") === 0) { reload(); }
  });

  document.addEventListener("keydown", function (event) {
    var typing = event.target.closest && event.target.closest("input, textarea, select");
    if (typing || !(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== "z") { return; }
    var undo = document.getElementById("board-undo");
    if (undo) { event.preventDefault(); undo.click(); }
  });
})();
