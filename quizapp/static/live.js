// Live games: keep the page in step with the game through its event stream (Server-Sent
// Events). The page is drawn by the server; on a change of phase (or of the players, in
// the lobby) it is simply loaded again. The countdown is only a display: the server's
// clock decides what is late. Without JavaScript the page reloads itself instead.
(function () {
  "use strict";
  var root = document.querySelector("[data-live-events]");
  if (!root) { return; }
  var version = Number(root.dataset.version);
  var reloadOn = (root.dataset.reloadOn || "phase").split(" ");
  var reloading = false;
  var source = new EventSource(root.dataset.liveEvents);

  function reload() {
    if (reloading) { return; }
    reloading = true;
    source.close();
    window.location.reload();
  }

  source.addEventListener("hello", function (event) {
    var state = JSON.parse(event.data);
    document.documentElement.dataset.live = "ready";
    if (state.gone || state.v !== version) { reload(); }
  });
  source.onmessage = function (event) {
    var data = JSON.parse(event.data);
    if (data.kind === "answer") {
      var answered = document.querySelector("[data-answered]");
      if (answered) { answered.textContent = String(data.count); }
      return;
    }
    if (reloadOn.indexOf(data.kind) < 0) { return; }
    if (data.kind === "phase" && data.v === version) { return; }
    reload();
  };

  var clock = document.querySelector("[data-seconds-left]");
  if (clock) {
    var endsAt = Date.now() + Number(clock.dataset.secondsLeft) * 1000;
    var timer = window.setInterval(function () {
      var left = Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
      clock.textContent = String(left);
      if (left === 0) {
        window.clearInterval(timer);
        // A player's form is closed by the server once time is up: show that.
        if (root.classList.contains("live-play")) { window.setTimeout(reload, 1200); }
      }
    }, 250);
  }
}());
