/* Allo console: Leaflet maps drawn on the demo city's streets (vector lines; tiles only when
   ALLO_MAP_TILE_URL is set), the live city map, the order's map, and live refresh of an order's
   page from the event stream. No build step; every page also works without it. */
(function () {
  "use strict";
  var OSM = '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap contributors</a>';
  var WEIGHT = { motorway: 4, trunk: 4, primary: 3.5, secondary: 3, tertiary: 2.5, residential: 1.6 };

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(url + ": " + r.status); } return r.json(); });
  }
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; }); }
  function point(text) { var p = (text || "").split(","); return p.length === 2 ? [+p[0], +p[1]] : null; }
  function onEvents(url, handler) {
    if (!window.EventSource || !url) { return; }
    new EventSource(url).addEventListener("changed", function (e) {
      var data = {};
      try { data = JSON.parse(e.data); } catch (err) { return; }
      handler(data);
    });
  }
  function streetStyle(f) {
    var w = WEIGHT[f.properties.highway] || 1.2;
    return { color: w >= 3 ? "#5b6573" : "#8a94a1", weight: w, opacity: 0.9 };
  }

  /* A map with the city's boundary and streets; `fit` (optional) returns the bounds to show. */
  function baseMap(el, fit) {
    var map = L.map(el, { preferCanvas: true, zoomSnap: 0.25 }).setView([43.7384, 7.4246], 15);
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(OSM + " (ODbL)");
    if (el.dataset.tiles) { L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: OSM }).addTo(map); }
    var boundary = getJSON(el.dataset.boundary).then(function (data) {
      var layer = L.geoJSON(data, { interactive: false, style: { color: "#0b5cad", weight: 2, dashArray: "6 4",
        fill: true, fillColor: "#e8f0f8", fillOpacity: 0.5 } }).addTo(map);
      return layer.getBounds();
    }).catch(function () { return null; });
    Promise.all([boundary, getJSON(el.dataset.streets)]).then(function (got) {
      var streets = L.geoJSON(got[1], { interactive: false, style: streetStyle }).addTo(map);
      var bounds = (fit && fit()) || got[0] || streets.getBounds();
      map.fitBounds(bounds, { padding: [16, 16], animate: false, maxZoom: 17 });
      el.dataset.streetsLoaded = String(got[1].features.length);
    }).catch(function (e) { el.dataset.streetsError = String(e); });
    return map;
  }

  /* A shop; `closed` (optional): the words after its name when it is closed now. */
  function shopMarker(latlon, name, closed) {
    var label = closed ? name + " — " + closed : name;
    return L.marker(latlon, { title: label, alt: label, keyboard: false,
      icon: L.divIcon({ className: closed ? "shop-icon closed" : "shop-icon", html: "", iconSize: [16, 16] })
    }).bindTooltip(esc(label));
  }
  function courierMarker(latlon, busy, label) {
    return L.circleMarker(latlon, { radius: 8, color: "#fff", weight: 2, fillColor: busy ? "#b35c00" : "#1d6b32",
      fillOpacity: 1 }).bindTooltip(esc(label));
  }
  function dropoffMarker(latlon, late) {
    return L.circleMarker(latlon, { radius: 7, color: late ? "#b3261e" : "#6a1b9a", weight: 2,
      fillColor: late ? "#f2b8b5" : "#e1bee7", fillOpacity: 0.9 });
  }

  /* The live city map: shops, couriers, rounded drop-offs; on events and every 5 s. */
  function cityMap(el) {
    var map = baseMap(el);
    var live = L.layerGroup().addTo(map);
    function draw(data) {
      live.clearLayers();
      data.dropoffs.forEach(function (d) {
        dropoffMarker([d.lat, d.lon], d.late)
          .bindPopup('<a href="/console/orders/' + esc(d.id) + '">#' + esc(d.ref) + "</a> " + esc(d.status) +
            (d.late ? " — en retard" : "") + "<br><small>position arrondie (~50 m)</small>").addTo(live);
      });
      data.shops.forEach(function (s) {
        var closed = s.open ? (s.paused ? "commandes en pause jusqu'à " + s.paused : null)
          : "fermée" + (s.opens ? ", ouvre " + s.opens : "");
        shopMarker([s.lat, s.lon], s.name, closed).addTo(live);
      });
      data.couriers.forEach(function (c) {
        var busy = c.status === "busy";
        var label = c.name + " — " + (busy ? "occupé" : "libre") + (c.job.length ? " #" + c.job.join(", #") : "");
        courierMarker([c.lat, c.lon], busy, label).addTo(live);
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
    // every 5 s of the server's time: faster on the demo's clock, never more than once a second
    setInterval(refresh, Math.max(1000, 5000 / (Number(el.dataset.speed) || 1)));
    var timer = null;
    onEvents(el.dataset.events, function () { clearTimeout(timer); timer = setTimeout(refresh, 300); });
  }

  /* The order's map: its shop, its courier, its drop-off (rounded unless revealed). */
  function orderMap(el) {
    var shop = point(el.dataset.shop), drop = point(el.dataset.dropoff), courier = point(el.dataset.courier);
    var spots = [shop, drop, courier].filter(Boolean);
    var map = baseMap(el, function () { return spots.length > 1 ? L.latLngBounds(spots).pad(0.4) : null; });
    if (spots.length === 1) { map.setView(spots[0], 16); }
    if (shop) { shopMarker(shop, el.dataset.shopName || "").addTo(map); }
    if (drop) {
      var exact = el.dataset.exact === "1";
      dropoffMarker(drop, false).setStyle({ fillColor: "#ab47bc", radius: 8 }).bindTooltip(exact ? "livraison (exacte)" : "livraison (~50 m)").addTo(map);
      if (!exact) { L.circle(drop, { radius: 50, color: "#6a1b9a", weight: 1, fill: false, interactive: false }).addTo(map); }
    }
    if (courier) { courierMarker(courier, true, el.dataset.courierName || "").addTo(map); }
  }

  /* An order's page reloads its summary, title, timeline and messages when this order or its job changes. */
  function orderLive(section) {
    onEvents(section.dataset.events, function (data) {
      var current = document.getElementById("order-summary");
      if (!current || !window.htmx) { return; }
      if (data.id === current.dataset.orderId || (data.id && data.id === current.dataset.jobId)) {
        // the actions follow too, unless someone is typing a reason there
        var typing = [].some.call(document.querySelectorAll("#order-actions input:not([type=hidden])"),
          function (input) { return input.value.trim() !== ""; });
        current.setAttribute("hx-select-oob", "#order-title,#order-timeline,#order-messages" +
          (typing ? "" : ",#order-actions"));
        window.htmx.trigger(current, "order-changed");
      }
    });
  }

  function start() {
    var city = document.getElementById("map");
    var order = document.getElementById("order-map");
    if (window.L && city) { cityMap(city); }
    if (window.L && order) { orderMap(order); }
    var summary = document.getElementById("order-summary");
    if (summary && summary.dataset.orderId) { orderLive(summary); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
