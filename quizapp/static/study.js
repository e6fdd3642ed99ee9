// Keyboard study: Space/Enter flip or submit, 1-4 rate (or pick a choice), u undoes,
// Escape leaves the answer box so the other keys work. And one round trip a card: a
// rating is sent by fetch and answered with the next card, which takes the page's place.
// The pages work without it: every action is a plain form.
(function () {
  "use strict";
  if (!document.querySelector("[data-study]")) return;
  // Looked up at each key: the page's content changes when the next card comes in.
  function study() { return document.querySelector("[data-study]") || document.body; }

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
      const target = study().querySelector('[data-key="' + key + '"]');
      if (!target) return;
      event.preventDefault();
      if (target.type === "radio") { target.checked = true; target.focus(); }
      else submitWith(target);
      return;
    }
    if (key === " " || key === "Enter") {
      const focused = document.activeElement;
      if (key === "Enter" && focused instanceof HTMLButtonElement) return; // native press
      const primary = study().querySelector("[data-primary]");
      if (submitWith(primary)) event.preventDefault();
    }
  });

  // ------------------------------------------------------ the next card, one round trip
  // Asked by the X-Next-Card header, the server records the rating and answers with the
  // page that follows (the next card, or the end of the session) instead of a redirect
  // to it, and names that page's address in X-Study-Page. The address bar takes it, so
  // a reload shows the card again and never sends the rating twice. Anything else (an
  // error page, no network) falls back to posting the form as usual; a rating the
  // server already has is never recorded twice, as it checks which showing it answers.
  function showPage(html, address) {
    const next = new DOMParser().parseFromString(html, "text/html");
    document.title = next.title;
    document.body.replaceWith(document.adoptNode(next.body));
    history.replaceState(null, "", address);
    if (window.quizapp) window.quizapp.enhance(document.body);
    const first = document.querySelector("[autofocus]");
    if (first) first.focus();
    window.scrollTo(0, 0);
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-next-inline")) return;
    if (form.dataset.plain) return; // the fallback: let the browser post it
    event.preventDefault();
    if (form.dataset.sending) return; // a second key press while the first is on its way
    form.dataset.sending = "yes";
    const button = event.submitter;
    const body = new URLSearchParams(new FormData(form));
    if (button && button.name) body.append(button.name, button.value);
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Next-Card": "inline" },
    }).then(function (response) {
      const address = response.headers.get("X-Study-Page");
      if (!response.ok || !address) throw new Error("not a study page");
      return response.text().then(function (html) { showPage(html, address); });
    }).catch(function () {
      form.dataset.plain = "yes";
      if (form.requestSubmit) form.requestSubmit(button || undefined); else form.submit();
    });
  });
  document.documentElement.dataset.keys = "ready";
})();
