// The tracking page's script: follows the order live (server-sent events, and the JSON every
// 15 s while it is on its way) and draws the courier's approximate position on the map.
(function () {
  "use strict";
  var root = document.getElementById("tracking");
  if (!root) return;
  var map = null, marker = null;
  var words = {
    fr: { confirmed: "Commande confirmée", assigned: "Livreur en route vers le magasin", picked_up: "En route vers vous",
          delivered: "Livrée", cancelled: "Annulée", failed: "Livraison impossible", ready: "Prête au magasin",
          draft: "En préparation", minutes: "dans environ {n} min" },
    en: { confirmed: "Order confirmed", assigned: "Courier on the way to the shop", picked_up: "On its way to you",
          delivered: "Delivered", cancelled: "Cancelled", failed: "Could not be delivered", ready: "Ready at the shop",
          draft: "Being prepared", minutes: "in about {n} min" }
  }[root.dataset.lang || "fr"];

  function ensureMap() {
    if (map || !window.L) return map;
    var el = document.getElementById("map");
    map = L.map(el, { zoomControl: true, attributionControl: true }).setView([43.7384, 7.4246], 15);
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("© OpenStreetMap contributors (ODbL)");
    if (root.dataset.tiles) L.tileLayer(root.dataset.tiles, { maxZoom: 19 }).addTo(map);
    fetch(root.dataset.streets).then(function (r) { return r.json(); }).then(function (data) {
      L.geoJSON(data, { interactive: false, style: { color: "#8a94a1", weight: 1 } }).addTo(map);
    }).catch(function () {});
    return map;
  }

  function showPosition(p) {
    var el = document.getElementById("map");
    if (!p) { if (marker) { marker.remove(); marker = null; } return; }
    el.textContent = "";
    if (!ensureMap()) return;
    var ll = [p.lat, p.lon];
    if (!marker) {
      marker = L.circle(ll, { radius: 100, color: "#0b5cad", weight: 2, fillOpacity: 0.25 }).addTo(map);
    } else { marker.setLatLng(ll); }
    map.setView(ll, 16);
  }

  function clockTime(iso) {  // "14:05" in the city's time zone, as the server writes it
    return new Date(iso).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", hour12: false,
                                                       timeZone: root.dataset.tz || "UTC" });
  }

  function apply(d) {
    document.getElementById("status").textContent = words[d.status] || d.status;
    document.getElementById("status").className = "status status-" + d.status;
    var eta = document.getElementById("eta");
    if (d.eta_minutes) {
      eta.hidden = false;
      document.getElementById("eta-time").textContent = clockTime(d.eta);
      document.getElementById("eta-minutes").textContent = words.minutes.replace("{n}", d.eta_minutes);
    } else { eta.hidden = true; }
    document.getElementById("late").hidden = !d.running_late;
    document.getElementById("opens").hidden = !d.shop_opens_at;
    if (d.shop_opens_at) document.getElementById("opens-time").textContent = clockTime(d.shop_opens_at);
    d.steps.forEach(function (s) {
      var li = document.querySelector('[data-step="' + s.status + '"]');
      if (li) { li.className = s.done ? "done" : "todo"; li.querySelector(".mark").textContent = s.done ? "✔" : "○"; }
    });
    var pos = document.getElementById("position");
    if (d.courier_position) {
      pos.textContent = "≈ " + d.courier_position.lat.toFixed(3) + ", " + d.courier_position.lon.toFixed(3);
    }
    showPosition(d.courier_position);
    root.dataset.status = d.status;
  }

  var asked = 0;  // loads may overlap: only the answer to the latest one is shown
  function load() {
    var mine = ++asked;
    return fetch(root.dataset.json, { cache: "no-store" }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) { if (d && mine === asked) apply(d); }).catch(function () {});
  }

  var pos = document.getElementById("position");
  if (pos.dataset.lat) showPosition({ lat: parseFloat(pos.dataset.lat), lon: parseFloat(pos.dataset.lon) });
  if (window.EventSource) new EventSource(root.dataset.live).addEventListener("changed", load);
  setInterval(function () {  // every 15 s of the server's time (faster on the demo's clock)
    if (document.visibilityState === "visible" && root.dataset.status !== "delivered") load();
  }, Math.max(1000, 15000 / (Number(root.dataset.speed) || 1)));
  root.dataset.status = root.dataset.status || "";
  load();
})();
