// Web Push: subscribe this device after login, re-register a subscription the browser replaced
// (the service worker saves it; the app, which holds the token, tells the server), unsubscribe on logout.
import { call } from "./api.js";
import { recall, remember } from "./db.js";

function bytes(base64url) {
  const raw = atob(base64url.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

export const endpoint = () => localStorage.getItem("pushEndpoint");

async function register(subscription) {
  await call("/api/v1/push/subscriptions", { method: "POST", body: { ...subscription, device: navigator.userAgent.slice(0, 200) } });
  localStorage.setItem("pushEndpoint", subscription.endpoint);
}

// Subscribing needs the browser's push service; where there is none (or permission is refused) the app
// still gets tasks live over the socket, so a failure here is reported, not fatal.
export async function subscribe() {
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) return "unsupported";
  if (Notification.permission === "denied") return "denied";
  if (Notification.permission !== "granted" && await Notification.requestPermission() !== "granted") return "denied";
  const registration = await navigator.serviceWorker.ready;
  await sync();
  try {
    let subscription = await registration.pushManager.getSubscription();
    if (!subscription) {
      const { public_key: key } = await call("/api/v1/push/key");
      subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: bytes(key) });
    }
    await register(subscription.toJSON());
    return "subscribed";
  } catch (error) {
    return `failed: ${error.message}`;
  }
}

// A subscription replaced while the app was closed (pushsubscriptionchange in the service worker).
export async function sync() {
  const change = await recall("push-resubscribe");
  if (!change) return;
  if (change.old) await call("/api/v1/push/subscriptions", { method: "DELETE", body: { endpoint: change.old } }).catch(() => {});
  if (change.subscription) await register(change.subscription);
  await remember("push-resubscribe", null);
}

export async function unsubscribe() {
  const registration = await navigator.serviceWorker?.getRegistration("/app/");
  const subscription = await registration?.pushManager.getSubscription();
  await subscription?.unsubscribe().catch(() => {});
  localStorage.removeItem("pushEndpoint");
}
