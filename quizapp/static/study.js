// Keyboard study: Space/Enter flip or submit, 1-4 rate (or pick a choice), u undoes,
// Escape leaves the answer box so the other keys work.
// The pages work without it: every action is a plain form.
(function () {
  "use strict";
  const study = document.querySelector("[data-study]");
  if (!study) return;

  function typing(target) {
    return target instanceof HTMLElement &&
      (target.tagName === "TEXTAREA" || target.tagName === "SELECT" ||
       (target.tagName === "INPUT" && !["radio", "checkbox", "button", "submit"].includes(target.type)));
  }

  function submitWith(button) {
    if (!button) return false;
    const form = button.form;
    if (form && form.requestSubmit) form.requestSubmit(button); else button.click();
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    if (typing(event.target)) {
      if (event.key === "Escape") event.target.blur(); // leave the box to use the keys
      return;
    }
    const key = event.key;
    if (key === "u" || key === "U") {
      const undo = document.querySelector("form[data-undo]");
      if (undo) { event.preventDefault(); undo.requestSubmit ? undo.requestSubmit() : undo.submit(); }
      return;
    }
    if (/^[1-9]$/.test(key)) {
      const target = study.querySelector('[data-key="' + key + '"]');
      if (!target) return;
      event.preventDefault();
      if (target.type === "radio") { target.checked = true; target.focus(); }
      else submitWith(target);
      return;
    }
    if (key === " " || key === "Enter") {
      const focused = document.activeElement;
      if (key === "Enter" && focused instanceof HTMLButtonElement) return; // native press
      const primary = study.querySelector("[data-primary]");
      if (submitWith(primary)) event.preventDefault();
    }
  });
  document.documentElement.dataset.keys = "ready";
})();
