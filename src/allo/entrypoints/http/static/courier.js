// The courier app's script: live updates (server-sent events), the offer countdown, position
// sharing. Without it the page still works: forms post and the page refreshes every 30 s.
(function () {
  "use strict";
  document.documentElement.classList.add("has-js");
  document.body.classList.add("has-js");
  var sharing = localStorage.getItem("allo.sharePosition") === "yes";
  var watchId = null, lastSent = 0, lastAction = 0, lastPos = null;
  var wanted = false;   // a live update arrived and the panel has not been reloaded since
  var later = null;     // the timer that reloads it once the last confirmation has been read
  var FLASH_MS = 4000;  // a confirmation stays this long before a live update may replace it

  function panel() { return document.getElementById("panel"); }

  function busy() {
    // never replace the panel while the courier is typing a PIN or a message
    var p = panel(), a = document.activeElement;
    if (p && a && p.contains(a) && (a.tagName === "INPUT" || a.tagName === "TEXTAREA" || a.tagName === "SELECT")) return true;
    return !!(p && Array.prototype.some.call(p.querySelectorAll("input[name=pin], input[name=text], textarea"),
      function (el) { return el.value; }));
  }

  function refresh() {
    // an update is never dropped: while the courier types it waits for the field to lose focus,
    // and while a confirmation shows it waits for the timer (one at a time)
    if (!window.htmx || !panel()) return;
    wanted = true;
    if (busy()) return;
    var wait = lastAction + FLASH_MS - Date.now();
    if (wait > 0) {
      if (later === null) later = setTimeout(function () { later = null; refresh(); }, wait + 50);
      return;
    }
    wanted = false;
    htmx.ajax("GET", panel().dataset.panel, { target: "#panel", swap: "outerHTML" });
  }
  document.addEventListener("focusout", function () { if (wanted) setTimeout(refresh, 300); });

  function connect() {
    if (!window.EventSource || !panel()) return;
    var source = new EventSource(panel().dataset.live);
    source.addEventListener("changed", refresh);
  }

  function tick() {
    // from the server's count (data-left, in the server's seconds) at its clock's speed (the demo
    // runs faster than the wall clock), not from the browser's clock
    document.querySelectorAll(".countdown[data-left]").forEach(function (el) {
      if (!el.dataset.shownAt) el.dataset.shownAt = String(Date.now());
      var speed = Number(el.dataset.speed) || 1;
      var gone = (Date.now() - Number(el.dataset.shownAt)) / 1000 * speed;
      var left = Math.max(0, Math.round(Number(el.dataset.left) - gone));
      if (String(left) !== el.textContent) el.textContent = String(left);
      if (left === 0 && !el.dataset.done) { el.dataset.done = "1"; setTimeout(refresh, 1000); }
    });
  }

  function status(text) {
    var el = document.getElementById("position-status");
    if (el) el.textContent = text;
  }

  function speed() { var p = panel(); return (p && Number(p.dataset.speed)) || 1; }

  function send(pos) {
    // at most every 15 s, and again every minute while the courier stands still (a phone that
    // does not move reports nothing, and the dispatcher stops counting on a position 15 minutes
    // old); minutes of the server's clock, which the demo runs faster than the wall clock
    var now = Date.now(), p = panel();
    lastPos = pos;
    if (!p || p.dataset.onShift !== "yes" || now - lastSent < Math.max(1000, 15000 / speed())) return;
    lastSent = now;
    fetch("/api/couriers/" + encodeURIComponent(p.dataset.courierId) + "/position", {
      method: "PUT", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ lat: pos.coords.latitude, lon: pos.coords.longitude })
    }).then(function (r) { status(r.ok ? "Position partagée à " + new Date().toLocaleTimeString() : "Position refusée (" + r.status + ")"); })
      .catch(function () { status("Position non envoyée (réseau)"); });
  }

  function startSharing() {
    if (!navigator.geolocation) { status("Ce téléphone ne donne pas sa position."); return; }
    if (watchId === null) {
      watchId = navigator.geolocation.watchPosition(send, function (e) { status("Position indisponible : " + e.message); },
        { enableHighAccuracy: true, maximumAge: 10000, timeout: 20000 });
    }
    status("Partage de la position activé.");
  }

  function resend() {
    if (watchId !== null && lastPos && Date.now() - lastSent >= Math.max(2000, 60000 / speed())) send(lastPos);
  }

  function stopSharing() {
    lastPos = null;
    if (watchId !== null) { navigator.geolocation.clearWatch(watchId); watchId = null; }
    status("Position non partagée.");
  }

  function syncButton() {
    var b = document.getElementById("share-position");
    if (b) b.setAttribute("aria-pressed", sharing ? "true" : "false");
  }

  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("#share-position");
    if (!b) return;
    sharing = !sharing;
    localStorage.setItem("allo.sharePosition", sharing ? "yes" : "no");
    if (sharing) { startSharing(); } else { stopSharing(); }
    syncButton();
  });
  document.addEventListener("htmx:afterSwap", syncButton);
  document.addEventListener("htmx:beforeRequest", function (e) {
    if (e.detail.requestConfig && e.detail.requestConfig.verb === "post") lastAction = Date.now();
  });

  syncButton();
  if (sharing) startSharing();
  connect();
  setInterval(function () { tick(); resend(); }, 1000);
  setInterval(function () { if (document.visibilityState === "visible") refresh(); }, 60000);
})();
