// The content calendar: drag an item to another day to move it (it keeps its time of
// day). The server does the work (content:reschedule) and sends the calendar grid back;
// without JavaScript every item has a "Move" form that does the same.
(function () {
  "use strict";
  var dragged = null;

  function itemOf(node) {
    return node && node.closest ? node.closest("[data-reschedule-url]") : null;
  }

  function dayOf(node) {
    return node && node.closest ? node.closest("[data-drop-date]") : null;
  }

  function clearTargets() {
    document.querySelectorAll(".is-drop-target").forEach(function (cell) {
      cell.classList.remove("is-drop-target");
    });
  }

  document.addEventListener("dragstart", function (event) {
    var item = itemOf(event.target);
    if (!item) return;
    dragged = item;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.getAttribute("data-item-id"));
    item.classList.add("is-dragging");
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("is-dragging");
    dragged = null;
    clearTargets();
  });

  document.addEventListener("dragover", function (event) {
    var day = dayOf(event.target);
    if (!dragged || !day) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!day.classList.contains("is-drop-target")) {
      clearTargets();
      day.classList.add("is-drop-target");
    }
  });

  document.addEventListener("dragleave", function (event) {
    var day = dayOf(event.target);
    if (day && !day.contains(event.relatedTarget)) day.classList.remove("is-drop-target");
  });

  document.addEventListener("drop", function (event) {
    var day = dayOf(event.target);
    var item = dragged;
    if (!item || !day) return;
    event.preventDefault();
    clearTargets();
    if (dayOf(item) === day) return;
    var grid = document.getElementById("calendar-grid");
    item.classList.add("is-moving");
    window.htmx.ajax("POST", item.getAttribute("data-reschedule-url"), {
      source: day,
      target: "#calendar-grid",
      swap: "outerHTML",
      values: {
        date: day.getAttribute("data-drop-date"),
        calendar: grid ? grid.getAttribute("data-calendar-query") : ""
      }
    }).then(function () {
      item.classList.remove("is-moving");
    });
  });

  // A refused move (a day in the past, a published item) answers 400 or 409 with the
  // reason for the status area: show it instead of dropping it as an error.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var target = event.detail.target;
    if ((status === 400 || status === 409) && target && target.id === "calendar-status") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
