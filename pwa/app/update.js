// Updates of the app itself: the new version waits until the officer chooses to install it.
import { $ } from "./ui.js";

// An update is offered on the inbox only, never while a task screen (and maybe a half-filled form) is open.
let waiting = null;
export function offer(worker = waiting) {
  waiting = worker;
  $("#update").hidden = !waiting || location.hash.startsWith("#task/");
}

// A new service worker waiting to take over is offered, never forced.
export function watch(registration) {
  if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker?.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
    });
  });
}

$("#update-now").addEventListener("click", () => {
  navigator.serviceWorker.addEventListener("controllerchange", () => location.reload(), { once: true });
  waiting?.postMessage({ type: "update-now" });
});
