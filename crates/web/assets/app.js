// fixdesk: light progressive enhancement. Every page works without this script; with it the
// bell and an open ticket update live, the equipment list follows the chosen category, and
// destructive buttons ask first.
"use strict";

(function () {
  // Ask before destructive actions.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });

  // On the new-ticket form, offer only the equipment of the chosen category.
  var category = document.querySelector("select[data-filters]");
  if (category) {
    var equipment = document.getElementById(category.dataset.filters);
    var narrow = function () {
      var chosen = category.selectedOptions[0];
      var kind = chosen && chosen.value ? chosen.dataset.name : null;
      equipment.querySelectorAll("optgroup").forEach(function (group) {
        var show = !kind || group.dataset.kind === kind;
        group.hidden = !show;
        group.disabled = !show;
      });
      var selected = equipment.selectedOptions[0];
      if (selected && selected.parentElement.disabled) equipment.value = "";
    };
    category.addEventListener("change", narrow);
    narrow();
  }

  // An export that is still running: look again shortly.
  var exporting = document.querySelector("[data-refresh]");
  if (exporting) {
    window.setTimeout(function () { window.location.reload(); }, 1000 * Number(exporting.dataset.refresh));
  }

  // Live notifications: the bell counts up; an open ticket they concern refreshes in place.
  var badge = document.getElementById("unread");
  if (!badge || !window.EventSource) return;
  var live = document.getElementById("live");
  var parts = ["ticket-status", "ticket-assignee", "thread-heading", "thread", "resolution", "attachments"];

  var refreshTicket = function () {
    fetch(window.location.pathname, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        parts.forEach(function (id) {
          var now = document.getElementById(id);
          var then = fresh.getElementById(id);
          if (now && then) now.replaceWith(then);
        });
      })
      .catch(function () { /* the next event or a reload will catch up */ });
  };

  var source = new EventSource("/ui/events");
  source.addEventListener("notification", function (event) {
    var count = Number(badge.dataset.count || "0") + 1;
    badge.dataset.count = String(count);
    badge.textContent = String(count);
    badge.classList.remove("empty");
    var data = {};
    try { data = JSON.parse(event.data); } catch (e) { /* keep the count */ }
    if (live && data.ticket !== null && String(data.ticket) === live.dataset.ticket) refreshTicket();
  });
})();
