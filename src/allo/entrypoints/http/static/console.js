/* Allo console map: streets as vector lines (no tile server unless configured), then shops,
   couriers and rounded drop-offs, refreshed when the event stream says something changed and
   every few seconds (courier positions move without events). No build step. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var OSM = '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap contributors</a>';
  var map = L.map(el, { preferCanvas: true, zoomSnap: 0.25 }).setView([43.7384, 7.4246], 15);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(OSM + " (ODbL)");
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: OSM }).addTo(map);
  }
  var WEIGHT = { motorway: 4, trunk: 4, primary: 3.5, secondary: 3, tertiary: 2.5, residential: 1.6 };
  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(url + ": " + r.status); } return r.json(); });
  }
  var streetStyle = function (f) {
    var w = WEIGHT[f.properties.highway] || 1.2;
    return { color: w >= 3 ? "#5b6573" : "#8a94a1", weight: w, opacity: 0.9 };
  };
  var boundary = getJSON(el.dataset.boundary).then(function (data) {
    var layer = L.geoJSON(data, { interactive: false, style: { color: "#0b5cad", weight: 2, dashArray: "6 4",
      fill: true, fillColor: "#e8f0f8", fillOpacity: 0.5 } }).addTo(map);
    layer.bringToBack();
    return layer.getBounds();
  }).catch(function () { return null; });
  Promise.all([boundary, getJSON(el.dataset.streets)]).then(function (got) {
    var streets = L.geoJSON(got[1], { interactive: false, style: streetStyle }).addTo(map);
    map.fitBounds(got[0] || streets.getBounds(), { padding: [12, 12], animate: false });
    el.dataset.streetsLoaded = String(got[1].features.length);
  }).catch(function (e) { el.dataset.streetsError = String(e); });

  var live = L.layerGroup().addTo(map);
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; }); }
  function draw(data) {
    live.clearLayers();
    data.dropoffs.forEach(function (d) {
      L.circleMarker([d.lat, d.lon], { radius: 7, color: d.late ? "#b3261e" : "#6a1b9a", weight: 2,
        fillColor: d.late ? "#f2b8b5" : "#e1bee7", fillOpacity: 0.9 })
        .bindPopup('<a href="/console/orders/' + esc(d.id) + '">#' + esc(d.ref) + "</a> " + esc(d.status) +
          (d.late ? " — en retard" : "") + "<br><small>position arrondie (~50 m)</small>")
        .addTo(live);
    });
    data.shops.forEach(function (s) {
      L.marker([s.lat, s.lon], { title: s.name, alt: s.name, keyboard: false,
        icon: L.divIcon({ className: "shop-icon", html: "", iconSize: [16, 16] }) })
        .bindTooltip(esc(s.name)).addTo(live);
    });
    data.couriers.forEach(function (c) {
      var busy = c.status === "busy";
      L.circleMarker([c.lat, c.lon], { radius: 8, color: "#fff", weight: 2, fillColor: busy ? "#b35c00" : "#1d6b32",
        fillOpacity: 1 })
        .bindTooltip(esc(c.name) + " — " + (busy ? "occupé" : "libre") + (c.job.length ? " #" + c.job.map(esc).join(", #") : ""))
        .addTo(live);
    });
    el.dataset.liveAt = data.at;
    el.dataset.couriers = String(data.couriers.length);
  }
  var pending = false;
  function refresh() {
    if (pending) { return; }
    pending = true;
    getJSON(el.dataset.live).then(draw).catch(function () {}).then(function () { pending = false; });
  }
  refresh();
  setInterval(refresh, 5000);
  if (window.EventSource && el.dataset.events) {
    var timer = null;
    new EventSource(el.dataset.events).addEventListener("changed", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 300);
    });
  }
}());
