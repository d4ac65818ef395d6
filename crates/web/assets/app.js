// fixdesk: light progressive enhancement. Every page works without this script; with it the
// bell and an open ticket update live, typed text survives a refused form or an ended session,
// the visitor's time zone is learnt once, lists answer to the keyboard, and destructive
// buttons ask first.
"use strict";

(function () {
  var root = document.documentElement;
  var csrfInput = document.querySelector("input[name=csrf]");

  // Light or dark: the system's choice unless the visitor picked one with the switch.
  var themeButton = document.getElementById("theme");
  var storedTheme = null;
  try { storedTheme = window.localStorage.getItem("fixdesk-theme"); } catch (e) { /* private mode */ }
  if (storedTheme) root.dataset.theme = storedTheme;
  if (themeButton) {
    themeButton.hidden = false;
    themeButton.addEventListener("click", function () {
      var dark = root.dataset.theme ? root.dataset.theme === "dark"
        : window.matchMedia("(prefers-color-scheme: dark)").matches;
      root.dataset.theme = dark ? "light" : "dark";
      try { window.localStorage.setItem("fixdesk-theme", root.dataset.theme); } catch (e) { /* kept for this page */ }
    });
  }

  // The header's further sections close on a click elsewhere or Escape.
  var more = document.getElementById("more-menu");
  if (more) {
    document.addEventListener("click", function (event) {
      if (more.open && !more.contains(event.target)) more.open = false;
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && more.open) { more.open = false; more.querySelector("summary").focus(); }
    });
  }

  // On a phone a ticket's service-level panel starts folded to its badges: the thread first.
  var duePanel = document.getElementById("due");
  if (duePanel && duePanel.tagName === "DETAILS" && window.matchMedia("(max-width: 760px)").matches) {
    duePanel.open = false;
  }

  // Ask before destructive actions.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });

  // The visitor's time zone, reported once; times already on the page are redrawn in it.
  if (root.dataset.askZone === "1" && window.Intl && window.fetch && csrfInput) {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) {
      fetch("/ui/account/zone", {
        method: "POST", credentials: "same-origin",
        body: new URLSearchParams({ csrf: csrfInput.value, time_zone: zone })
      }).then(function (r) {
        if (!r.ok) return;
        var format = new Intl.DateTimeFormat("sv-SE", { timeZone: zone, year: "numeric", month: "2-digit",
          day: "2-digit", hour: "2-digit", minute: "2-digit" });
        document.querySelectorAll("time[datetime]:not(.ago)").forEach(function (t) {
          t.textContent = format.format(new Date(t.getAttribute("datetime")));
        });
      }).catch(function () { /* the next page asks again */ });
    }
  }

  // Drafts: what was typed into a form is kept in this tab when it is sent, and put back if
  // the form comes back refused or the session had ended (then after signing in again).
  var DRAFT = "fixdesk-draft:";
  var draftKey = function (form) { return DRAFT + form.getAttribute("action"); };
  var keepable = function (el) {
    return el.name && el.name !== "csrf" && !/^(password|file|hidden|submit)$/.test(el.type);
  };
  // A box or a round button is kept as ticked or not (its value is fixed; several share a name).
  var ticks = function (el) { return el.type === "checkbox" || el.type === "radio"; };
  var draftField = function (el) { return ticks(el) ? el.name + "=" + el.value : el.name; };
  var store = window.sessionStorage;
  var flash = document.getElementById("flash");
  var ended = document.querySelector("[data-restore-drafts]");
  try {
    if (ended) store.setItem("fixdesk-restore", "1");
    var restore = (flash && flash.classList.contains("error")) || store.getItem("fixdesk-restore") === "1";
    if (!ended && !restore) {
      Object.keys(store).forEach(function (k) { if (k.indexOf(DRAFT) === 0) store.removeItem(k); });
    }
    document.querySelectorAll("form[method=post]").forEach(function (form) {
      var key = draftKey(form);
      var saved = store.getItem(key);
      if (saved && restore && !ended) {
        var values = JSON.parse(saved);
        Array.prototype.forEach.call(form.elements, function (el) {
          var k = draftField(el);
          if (!keepable(el) || !Object.prototype.hasOwnProperty.call(values, k)) return;
          if (ticks(el)) el.checked = values[k]; else el.value = values[k];
        });
        store.removeItem(key);
      }
      form.addEventListener("submit", function () {
        var values = {};
        Array.prototype.forEach.call(form.elements, function (el) {
          if (keepable(el)) values[draftField(el)] = ticks(el) ? el.checked : el.value;
        });
        try { store.setItem(key, JSON.stringify(values)); } catch (e) { /* full: nothing kept */ }
      });
    });
    if (!ended) store.removeItem("fixdesk-restore");
  } catch (e) { /* storage refused: forms still work, drafts are not kept */ }

  // A refused form's complaints go next to their fields.
  document.querySelectorAll(".field-errors li[data-field]").forEach(function (item, i) {
    var field = document.querySelector("form [name='" + item.dataset.field.replace(/'/g, "") + "']");
    if (!field) return;
    var note = document.createElement("p");
    note.className = "field-error";
    note.id = "field-error-" + i;
    note.textContent = item.textContent;
    field.insertAdjacentElement("afterend", note);
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", ((field.getAttribute("aria-describedby") || "") + " " + note.id).trim());
    if (i === 0) field.focus();
  });

  // On the new-ticket form, offer only the equipment of the chosen category, narrowed further by what is typed in the finder (inventory number, serial,
  // model, room).
  var category = document.querySelector("select[data-filters]");
  if (category) {
    var equipment = document.getElementById(category.dataset.filters);
    var finder = document.getElementById("equipment-find");
    if (finder) finder.hidden = false;
    var narrow = function () {
      var chosen = category.value;
      var term = finder ? finder.value.trim().toLowerCase() : "";
      // A category without items of its own offers the items of no category (imported ones
      // waiting to be sorted), so the list is never empty while there is equipment.
      var own = chosen && equipment.querySelector("optgroup[data-category='" + chosen.replace(/'/g, "") + "']");
      equipment.querySelectorAll("optgroup").forEach(function (group) {
        var show = !chosen || group.dataset.category === chosen || (!own && !group.dataset.category);
        var any = false;
        group.querySelectorAll("option").forEach(function (option) {
          var fits = show && (!term || option.dataset.search.indexOf(term) !== -1);
          option.hidden = !fits;
          option.disabled = !fits;
          any = any || fits;
        });
        group.hidden = !any;
        group.disabled = !any;
      });
      var selected = equipment.selectedOptions[0];
      if (selected && selected.disabled) equipment.value = "";
      if (term) {
        var first = equipment.querySelector("option[data-search]:not([disabled])");
        if (first && !equipment.value) equipment.value = first.value;
      }
    };
    category.addEventListener("change", narrow);
    if (finder) finder.addEventListener("input", narrow);
    // Choosing an item chooses its category, when the form has none yet.
    equipment.addEventListener("change", function () {
      var group = equipment.selectedOptions[0] && equipment.selectedOptions[0].parentElement;
      if (group && group.dataset && group.dataset.category && !category.value) {
        category.value = group.dataset.category;
        narrow();
      }
    });
    narrow();
  }

  // The label sheets' print button.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // A canned reply, chosen, goes into the reply where the cursor is.
  var canned = document.getElementById("canned");
  if (canned) {
    canned.addEventListener("change", function () {
      var box = document.getElementById("message");
      var text = canned.value;
      if (!text || !box) return;
      var at = box.selectionStart || box.value.length;
      box.value = box.value.slice(0, at) + text + box.value.slice(box.selectionEnd || at);
      canned.value = "";
      box.focus();
      box.selectionStart = box.selectionEnd = at + text.length;
    });
  }

  // An export that is still running: look again shortly.
  var exporting = document.querySelector("[data-refresh]");
  if (exporting) {
    window.setTimeout(function () { window.location.reload(); }, 1000 * Number(exporting.dataset.refresh));
  }

  // Lists: "/" searches, j/k move between rows, Enter opens, x selects, "?" shows the keys.
  var rows = function () { return Array.prototype.slice.call(document.querySelectorAll("[data-row]")); };
  var keys = document.getElementById("keys");
  var current = -1;
  // The row holding the focus (clicked or tabbed to): where j, k and x start from.
  var focused = function () {
    var all = rows();
    for (var i = 0; i < all.length; i++) if (all[i].contains(document.activeElement)) return i;
    return -1;
  };
  var mark = function (i) {
    var all = rows();
    if (!all.length) return;
    current = Math.max(0, Math.min(all.length - 1, i));
    all.forEach(function (r, j) { r.classList.toggle("current", j === current); });
    var link = all[current].querySelector("a");
    if (link) link.focus();
  };
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) {
      if (event.key === "Escape") target.blur();
      return;
    }
    // The page's own search (a list's filter) first, else the header's search everywhere.
    var search = document.querySelector("main input[type=search]:not([hidden])") || document.getElementById("find-q");
    if (focused() >= 0) current = focused();
    if (event.key === "/" && search) { event.preventDefault(); search.focus(); search.select(); }
    else if (event.key === "j") mark(current + 1);
    else if (event.key === "k") mark(current - 1);
    else if (event.key === "x" && rows().length) {
      // Without a row chosen yet, x selects the first.
      if (current < 0) mark(0);
      var box = rows()[current].querySelector("input[type=checkbox]");
      if (box) box.checked = !box.checked;
    }
    else if (event.key === "?" && keys) { keys.hidden = !keys.hidden; if (!keys.hidden) keys.focus(); }
    else if (event.key === "Escape" && keys) keys.hidden = true;
  });

  // Bulk actions: only the field the chosen action needs is shown (and the resolution is
  // required to close); without the script every field shows and the server decides.
  var bulkAction = document.getElementById("bulk-action");
  if (bulkAction) {
    var fitBulk = function () {
      document.querySelectorAll("#bulk [data-for]").forEach(function (field) {
        var needed = field.dataset.for === bulkAction.value;
        field.hidden = !needed;
        if (field.name === "resolution") field.required = needed;
      });
    };
    bulkAction.addEventListener("change", fitBulk);
    fitBulk();
  }

  // Bulk actions: "select all" follows the rows.
  var all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll("input[name=ids]").forEach(function (box) { box.checked = all.checked; });
    });
  }

  // Live notifications: the bell counts up; an open ticket refreshes in place when anyone
  // changes it or a notification concerns it (which is then read, so the bell does not count
  // it).
  var badge = document.getElementById("unread");
  var bell = document.getElementById("bell");
  if (!badge || !bell || !window.EventSource) return;
  var live = document.getElementById("live");

  var setCount = function (count) {
    badge.dataset.count = String(count);
    badge.textContent = String(count);
    badge.hidden = count === 0;
    bell.setAttribute("aria-label", count === 0 ? bell.dataset.labelNone
      : bell.dataset.labelSome.replace("{}", String(count)));
  };

  // One refresh at a time; changes during one bring one more after it.
  var refreshing = false, again = false;
  var refreshTicket = function () {
    if (refreshing) { again = true; return; }
    refreshing = true;
    // The same page as shown (an open edit form stays open).
    fetch(window.location.pathname + window.location.search, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("live");
        if (!fresh) return;
        // What the visitor is typing survives the refresh.
        var typed = {};
        live.querySelectorAll("textarea[id], input[id]:not([type=hidden]):not([type=file])").forEach(function (el) {
          if (el.value !== el.defaultValue) typed[el.id] = el.value;
        });
        var focused = document.activeElement && document.activeElement.id;
        // Panels the visitor opened or folded (the service levels on a phone) stay so.
        var opened = {};
        live.querySelectorAll("details[id]").forEach(function (d) { opened[d.id] = d.open; });
        live.replaceWith(fresh);
        live = fresh;
        Object.keys(opened).forEach(function (id) {
          var d = document.getElementById(id);
          if (d) d.open = opened[id];
        });
        Object.keys(typed).forEach(function (id) {
          var el = document.getElementById(id);
          if (el) el.value = typed[id];
        });
        var again = focused && document.getElementById(focused);
        if (again) again.focus();
      })
      .catch(function () { /* the next event or a reload will catch up */ })
      .then(function () {
        refreshing = false;
        if (again) { again = false; refreshTicket(); }
      });
  };

  // One stream per page, closed when the page is left: a browser keeps a left page alive for
  // its back button, and six open streams on one host stall every further request of the tab.
  // On a ticket's page the stream also says when anyone changes that ticket.
  var source = new EventSource(live ? "/ui/events?ticket=" + encodeURIComponent(live.dataset.ticket)
    : "/ui/events");
  source.addEventListener("ticket", refreshTicket);
  source.addEventListener("notification", function (event) {
    var data = {};
    try { data = JSON.parse(event.data); } catch (e) { /* counts anyway */ }
    if (live && data.ticket !== null && String(data.ticket) === live.dataset.ticket) {
      refreshTicket();
      return;
    }
    setCount(Number(badge.dataset.count || "0") + 1);
  });
  window.addEventListener("pagehide", function () { source.close(); });
  window.addEventListener("pageshow", function (event) {
    // Back from the browser's cache: what changed meanwhile is on the server, so reload.
    if (event.persisted) window.location.reload();
  });
})();
