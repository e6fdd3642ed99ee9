// Live games: keep the page in step with the game through its event stream (Server-Sent
// Events). The page is drawn by the server; on a change of phase (or of the players, in
// the lobby) it is simply loaded again. The server ends each stream after one event, or
// at once when it is busy, and EventSource asks again after the `retry` it was given,
// sending the version it last heard (`Last-Event-ID`): its first event, "hello", is the
// state then, so nothing is missed between two streams. The countdown is only a
// display: the server's clock decides what is late. Without JavaScript the page reloads
// itself instead.
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

  function showAnswered(count) {
    var answered = document.querySelector("[data-answered]");
    if (answered && count !== undefined) { answered.textContent = String(count); }
  }

  source.addEventListener("hello", function (event) {
    var state = JSON.parse(event.data);
    document.documentElement.dataset.live = "ready";
    if (state.gone || state.v !== version) { reload(); return; }
    showAnswered(state.answered);
    var players = document.querySelector("[data-player-count]");
    if (players && state.players !== undefined && reloadOn.indexOf("roster") >= 0 &&
        String(state.players) !== players.textContent) {
      reload();
      return;
    }
    if (state.phase === "finished") { source.close(); }  // nothing more will happen
  });
  source.onmessage = function (event) {
    var data = JSON.parse(event.data);
    if (data.kind === "answer") {
      showAnswered(data.count);
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
