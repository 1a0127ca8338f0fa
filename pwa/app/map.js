// The task map: Leaflet, loaded only when a task is opened (the inbox starts faster without it), with the
// target truck and its heading, the interception point and the officer's own position.
import { call } from "./api.js";
import { recall, remember } from "./db.js";

let loading = null;
let source = null;  // the tile source, asked once per session

function loadLeaflet() {
  loading ??= new Promise((resolve, reject) => {
    const css = Object.assign(document.createElement("link"), { rel: "stylesheet", href: "/vendor/leaflet/leaflet.css" });
    const script = Object.assign(document.createElement("script"), { src: "/vendor/leaflet/leaflet.js" });
    script.onload = () => resolve(window.L);
    script.onerror = () => { loading = null; reject(new Error("map library unavailable")); };
    document.head.append(css, script);
  });
  return loading;
}

async function tiles() {
  if (source) return source;
  try {
    const config = await call("/api/v1/client-config");
    await remember("client-config", config);
    source = config.tiles;
    return source;
  } catch {
    return (await recall("client-config"))?.tiles ?? { url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png", attribution: "© OpenStreetMap" };
  }
}

function arrow(L, heading) {
  return L.divIcon({ className: "truck-icon", iconSize: [34, 34],
                     html: `<span style="transform: rotate(${heading || 0}deg)">▲</span>` });
}

export async function show(element, { intercept, target, me }) {
  const L = await loadLeaflet();
  const map = L.map(element, { zoomControl: true, attributionControl: true });
  const layer = await tiles();
  L.tileLayer(layer.url, { attribution: layer.attribution, subdomains: layer.subdomains || "abc", maxZoom: 18 }).addTo(map);
  const layers = {
    intercept: intercept && L.circleMarker([intercept.lat, intercept.lon], { radius: 10, color: "#c62828", weight: 3 }).addTo(map),
    target: null, me: null,
  };
  const view = {
    map,
    target(position) {
      if (!position) return;
      layers.target ??= L.marker([position.lat, position.lon], { icon: arrow(L, position.heading) }).addTo(map);
      layers.target.setLatLng([position.lat, position.lon]).setIcon(arrow(L, position.heading));
    },
    me(position) {
      if (!position) return;
      layers.me ??= L.circleMarker([position.lat, position.lon], { radius: 8, color: "#1565c0", fillOpacity: 0.8 }).addTo(map);
      layers.me.setLatLng([position.lat, position.lon]);
    },
    fit() {
      const points = [layers.intercept, layers.target, layers.me].filter(Boolean).map((layer) => layer.getLatLng());
      if (points.length > 1) map.fitBounds(L.latLngBounds(points), { padding: [30, 30], maxZoom: 15 });
      else if (points.length === 1) map.setView(points[0], 14);
      else map.setView([37.86, 113.58], 9);
    },
  };
  view.target(target);
  view.me(me);
  view.fit();
  return view;
}
