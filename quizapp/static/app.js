// quizapp's one site-wide script. Every page works without it; it only adds:
// the theme switch without a reload, the time zone guessed on sign-up, a filter box
// over long checkbox groups, sortable report tables, drag-and-drop ordering (pointer,
// touch and keyboard) over the select fallback, and the print button.
(function () {
  "use strict";
  const root = document.documentElement;

  // ---------------------------------------------------------------- theme
  // The cookie lets the server render the chosen theme at once (no flash); localStorage
  // keeps the choice if the cookie is cleared, and brings the cookie back.
  const THEMES = ["light", "dark"];
  function saveTheme(theme) {
    try { localStorage.setItem("theme", theme); } catch (e) { /* private mode */ }
    document.cookie = "theme=" + theme + "; path=/; max-age=31536000; samesite=lax";
  }
  function applyTheme(theme) {
    root.dataset.theme = theme;
    const meta = document.querySelector('meta[name="color-scheme"]');
    if (meta) meta.content = theme;
  }
  let stored = null;
  try { stored = localStorage.getItem("theme"); } catch (e) { stored = null; }
  const cookie = (document.cookie.match(/(?:^|; )theme=(light|dark)(?:;|$)/) || [])[1];
  if (THEMES.includes(stored) && stored !== cookie) { applyTheme(stored); saveTheme(stored); }
  else if (cookie && stored !== cookie) saveTheme(cookie);

  document.addEventListener("click", function (event) {
    const button = event.target instanceof Element && event.target.closest("[data-theme-form] button");
    if (!button || !THEMES.includes(button.value)) return;
    event.preventDefault();
    applyTheme(button.value);
    saveTheme(button.value);
    const other = button.form.querySelector('button[value="' + (button.value === "dark" ? "light" : "dark") + '"]');
    if (other) other.focus();
  });

  // ---------------------------------------------------------------- sign-up time zone
  const zoneField = document.querySelector("[data-guess-timezone=yes] select");
  if (zoneField) {
    let zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
    if (zone && Array.from(zoneField.options).some(function (o) { return o.value === zone; })) {
      zoneField.value = zone;
      const note = document.querySelector("[data-timezone-note]");
      if (note) {
        note.textContent = "Guessed from your browser: " + zone.replace(/_/g, " ") + ". Change it if it is wrong.";
        note.hidden = false;
      }
    }
  }

  // Everything below enhances the elements under a root: the whole page on load, and
  // the new content when study.js swaps in the next card without a page load.
  function enhance(scope) {
    // ---------------------------------------------------------------- checkbox filter
    scope.querySelectorAll("[data-filterable]").forEach(function (group, index) {
      const list = group.querySelector("ul");
      if (!list) return;
      const id = "filter-" + index;
      const box = document.createElement("div");
      box.className = "filter-box";
      const label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = group.dataset.filterable || "Filter";
      const input = document.createElement("input");
      input.type = "search";
      input.id = id;
      input.autocomplete = "off";
      const count = document.createElement("span");
      count.className = "hint";
      count.setAttribute("aria-live", "polite");
      box.append(label, input, count);
      list.before(box);
      input.addEventListener("input", function () {
        const wanted = input.value.trim().toLowerCase();
        let shown = 0;
        list.querySelectorAll("li").forEach(function (item) {
          const box = item.querySelector("input");
          const match = !wanted || item.textContent.toLowerCase().includes(wanted) || (box && box.checked);
          item.hidden = !match;
          if (match) shown += 1;
        });
        count.textContent = wanted ? shown + " shown" : "";
      });
    });

    // ---------------------------------------------------------------- sortable tables
    function cellValue(row, column) {
      const cell = row.children[column];
      if (!cell) return "";
      return cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
    }
    function compare(a, b) {
      const empty = function (v) { return v === "" || v === "–"; };
      if (empty(a) || empty(b)) return empty(a) - empty(b);
      const x = parseFloat(a), y = parseFloat(b);
      if (!isNaN(x) && !isNaN(y) && /^-?[\d.]/.test(a) && /^-?[\d.]/.test(b)) return x - y;
      return a.localeCompare(b, undefined, { sensitivity: "base", numeric: true });
    }
    scope.querySelectorAll("table[data-sortable]").forEach(function (table) {
      const body = table.tBodies[0];
      const headers = Array.from(table.tHead ? table.tHead.rows[0].cells : []);
      headers.forEach(function (th, column) {
        if (th.hasAttribute("data-nosort")) return;
        const button = document.createElement("button");
        button.type = "button";
        button.className = "sort-button";
        const link = th.querySelector("a[data-sort-link]");
        if (link) {
          button.append(...link.childNodes);
          link.replaceWith(button);
        } else if (th.querySelector("a")) {
          button.innerHTML = '<span aria-hidden="true">↕</span>';
          button.setAttribute("aria-label", "Sort by " + th.textContent.trim());
          th.append(" ", button);
        } else {
          button.append(...th.childNodes);
          th.append(button);
        }
        button.addEventListener("click", function () {
          const ascending = th.getAttribute("aria-sort") !== "ascending";
          headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          const rows = Array.from(body.rows);
          rows.sort(function (a, b) {
            const order = compare(cellValue(a, column), cellValue(b, column));
            return ascending ? order : -order;
          });
          body.append(...rows);
        });
      });
      table.dataset.sortReady = "yes";
    });

    // ---------------------------------------------------------------- ordering
    scope.querySelectorAll("[data-order]").forEach(function (group) {
      const selects = Array.from(group.querySelectorAll("[data-order-slot] select"));
      if (!selects.length) return;
      const hadFocus = selects.includes(document.activeElement);
      const help = group.querySelector(".order-help");
      const list = document.createElement("ol");
      list.className = "order-list";
      const live = document.createElement("p");
      live.className = "visually-hidden";
      live.setAttribute("aria-live", "assertive");
      live.dataset.orderLive = "";
      selects.forEach(function (select) {
        const item = document.createElement("li");
        item.className = "order-item";
        item.tabIndex = 0;
        item.dataset.value = select.value;
        if (help) item.setAttribute("aria-describedby", help.id);
        const handle = document.createElement("span");
        handle.className = "order-handle";
        handle.setAttribute("aria-hidden", "true");
        handle.textContent = "⠿";
        const text = document.createElement("span");
        text.textContent = select.value;
        item.append(handle, text);
        list.append(item);
        select.closest("[data-order-slot]").hidden = true;
      });
      if (help) help.hidden = false;
      group.append(list, live);

      function items() { return Array.from(list.children); }
      function sync() { items().forEach(function (item, i) { selects[i].value = item.dataset.value; }); }
      function announce(item) {
        const all = items();
        live.textContent = item.dataset.value + ": position " + (all.indexOf(item) + 1) + " of " + all.length + ".";
      }

      list.addEventListener("keydown", function (event) {
        const item = event.target.closest(".order-item");
        if (!item) return;
        let moved = false;
        if (event.key === "ArrowUp" && item.previousElementSibling) {
          item.previousElementSibling.before(item); moved = true;
        } else if (event.key === "ArrowDown" && item.nextElementSibling) {
          item.nextElementSibling.after(item); moved = true;
        } else if (event.key === "Home" && item !== list.firstElementChild) {
          list.prepend(item); moved = true;
        } else if (event.key === "End" && item !== list.lastElementChild) {
          list.append(item); moved = true;
        } else if (!["ArrowUp", "ArrowDown", "Home", "End"].includes(event.key)) {
          return;
        }
        event.preventDefault();
        if (moved) { item.focus(); sync(); }
        announce(item);
      });

      let dragged = null;
      list.addEventListener("pointerdown", function (event) {
        const item = event.target.closest(".order-item");
        if (!item || event.button !== 0) return;
        dragged = item;
        item.classList.add("dragging");
        try { item.setPointerCapture(event.pointerId); } catch (e) { /* synthetic pointer */ }
        event.preventDefault();
        item.focus();
      });
      list.addEventListener("pointermove", function (event) {
        if (!dragged) return;
        const others = items().filter(function (i) { return i !== dragged; });
        const before = others.find(function (other) {
          const box = other.getBoundingClientRect();
          return event.clientY < box.top + box.height / 2;
        });
        if (before) { if (dragged.nextElementSibling !== before) before.before(dragged); }
        else if (list.lastElementChild !== dragged) list.append(dragged);
      });
      function drop() {
        if (!dragged) return;
        dragged.classList.remove("dragging");
        sync();
        announce(dragged);
        dragged = null;
      }
      list.addEventListener("pointerup", drop);
      list.addEventListener("pointercancel", drop);
      if (hadFocus || selects[0].hasAttribute("autofocus")) list.firstElementChild.focus();
      group.dataset.orderReady = "yes";
    });

    // ---------------------------------------------------------------- print
    scope.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }
  enhance(document);
  window.quizapp = { enhance: enhance };
})();
