// The phone's position: watched while the app is open, stamped on every step and photo, reported to the team.
import { call, loggedIn } from "./api.js";

let last = null;
let reportedAt = 0;
const listeners = new Set();

export function watch() {
  if (!("geolocation" in navigator)) return;
  navigator.geolocation.watchPosition((position) => {
    last = position;
    listeners.forEach((listener) => listener(position));
    report();
  }, () => {}, { enableHighAccuracy: true, maximumAge: 10000 });
}

export function onChange(listener) { listeners.add(listener); return () => listeners.delete(listener); }
export function current() { return last; }

// Every step carries the device time and, when the phone has a fix, where it was taken and how exactly.
export function stamp() {
  const body = { device_time: new Date().toISOString() };
  if (last) body.position = { lon: last.coords.longitude, lat: last.coords.latitude, accuracy_m: last.coords.accuracy };
  return body;
}

// The team and the command center see where officers are: at most one report every 30 s, only online.
function report() {
  if (!last || !loggedIn() || !navigator.onLine || Date.now() - reportedAt < 30000) return;
  reportedAt = Date.now();
  const { longitude: lon, latitude: lat, accuracy } = last.coords;
  call("/api/v1/positions/me", { method: "POST", body: { lon, lat, accuracy_m: accuracy, at: new Date(last.timestamp).toISOString() } })
    .catch(() => {});
}

// Great-circle distance in metres (the map's straight line; the road is longer, see eta()).
export function distance(a, b) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
}

// A rough ETA: roads are about 1.3 times the straight line; a patrol car averages 50 km/h off the motorway.
export function eta(metres, kmh = 50) {
  return kmh > 1 ? (metres * 1.3) / (kmh / 3.6) : null;
}
