// Service worker: a versioned cache of the app shell; old versions are purged on activation.
const VERSION = "zhichao-app-v5";
const SHELL = ["/app/", "/app/main.js", "/app/api.js", "/app/i18n.js", "/app/outbox.js", "/app/app.css", "/app/manifest.webmanifest",
               "/app/icons/icon-192.png", "/vendor/socket.io/socket.io.min.js"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(VERSION).then((cache) => cache.addAll(SHELL)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) =>
    Promise.all(keys.filter((key) => key.startsWith("zhichao-app-") && key !== VERSION).map((key) => caches.delete(key)))));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.pathname.startsWith("/api/") || url.pathname.startsWith("/socket.io/")) {
    return;  // the API is always live; offline actions are the app's outbox, not the cache
  }
  // Network first for the shell so updates arrive; the cache when offline.
  event.respondWith(fetch(event.request).then((response) => {
    const copy = response.clone();
    caches.open(VERSION).then((cache) => cache.put(event.request, copy));
    return response;
  }).catch(() => caches.match(event.request, { ignoreSearch: true })));
});
