// Service worker: the app shell in a versioned cache (the version is a hash of the shell, stamped by the
// server, so every change installs anew and old caches are purged); new task pushes as notifications.
const VERSION = "zhichao-app-__SHELL_VERSION__";
// The app's modules ship as one bundle (dist/app.js, built by `npm run build`): one request, not fifteen.
const SHELL = ["/app/", "/app/dist/app.js", "/app/app.css", "/app/manifest.webmanifest", "/app/icons/icon-192.png",
               "/vendor/socket.io/socket.io.min.js", "/vendor/leaflet/leaflet.js", "/vendor/leaflet/leaflet.css"];

self.addEventListener("install", (event) => {
  // No skipWaiting here: the app asks the officer first, so an update never lands in the middle of a task.
  event.waitUntil(caches.open(VERSION).then((cache) => cache.addAll(SHELL)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) =>
    Promise.all(keys.filter((key) => key.startsWith("zhichao-app-") && key !== VERSION).map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener("message", (event) => {
  if (event.data?.type === "update-now") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin || url.pathname.startsWith("/api/")
      || url.pathname.startsWith("/socket.io/")) {
    return;  // the API is always live; offline actions are the app's outbox, not the cache
  }
  // The shell from its cache (fast on a weak signal, works with none); anything else from the network,
  // kept for later (map library images), and from the cache when offline.
  const key = event.request.mode === "navigate" && url.pathname.startsWith("/app") ? "/app/" : event.request;
  event.respondWith(caches.match(key, { ignoreSearch: true }).then((hit) => hit || fetch(event.request).then((response) => {
    if (response.ok && url.pathname.startsWith("/vendor/")) {
      const copy = response.clone();
      caches.open(VERSION).then((cache) => cache.put(event.request, copy));
    }
    return response;
  })));
});

self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data?.json() ?? {}; } catch { data = { title: event.data?.text() }; }
  const title = data.type === "task.renotified" ? `⏰ ${data.title || "任务待接单"}` : (data.title || "新任务");
  event.waitUntil(self.registration.showNotification(title, {
    body: data.task_id ? `任务 #${data.task_id}` : "", tag: data.task_id ? `task-${data.task_id}` : "zhichao",
    renotify: true, requireInteraction: true, vibrate: [300, 100, 300, 100, 300], icon: "/app/icons/icon-192.png",
    data: { task_id: data.task_id },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const id = event.notification.data?.task_id;
  const target = id ? `/app/#task/${id}` : "/app/";
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
    const open = windows.find((w) => new URL(w.url).pathname.startsWith("/app"));
    if (open) {
      open.postMessage({ type: "open-task", id });
      return open.focus();
    }
    return self.clients.openWindow(target);
  }));
});

// The browser replaced the subscription: subscribe again with the same key and leave the new one for the
// app to register (the worker has no token); tell open windows at once.
self.addEventListener("pushsubscriptionchange", (event) => {
  event.waitUntil((async () => {
    const options = event.oldSubscription?.options ?? { userVisibleOnly: true };
    const fresh = event.newSubscription ?? await self.registration.pushManager.subscribe(options).catch(() => null);
    const change = { old: event.oldSubscription?.endpoint ?? null, subscription: fresh?.toJSON() ?? null };
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open("zhichao", 2);
      request.onupgradeneeded = () => {
        if (!request.result.objectStoreNames.contains("outbox")) request.result.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
        if (!request.result.objectStoreNames.contains("cache")) request.result.createObjectStore("cache", { keyPath: "key" });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    await new Promise((resolve) => {
      const tx = db.transaction("cache", "readwrite");
      tx.objectStore("cache").put({ key: "push-resubscribe", value: change, at: Date.now() });
      tx.oncomplete = resolve;
    });
    for (const client of await self.clients.matchAll({ type: "window" })) client.postMessage({ type: "push-resubscribe" });
  })());
});
