// The outbox: every action and photo is stored in IndexedDB with a client-generated id before it is sent,
// and sent in order when the connection allows; the id is the Idempotency-Key (or the photo's id), so the
// server applies each exactly once however often it is retried. Items belong to the officer who made them
// and are only ever sent under that officer's login.
import { call, upload, user } from "./api.js";
import { run } from "./db.js";

let flushing = null;

function add(item) {
  return run("outbox", "readwrite", (store) => store.add({ id: crypto.randomUUID(), createdAt: Date.now(), userId: user?.id, ...item }));
}

export const step = (taskId, body) => add({ kind: "step", taskId, body });
export const confirm = (taskId, stepId, body) => add({ kind: "confirm", taskId, stepId, body });
// A photo keeps its own id: the step that names it was written with that id before either was sent.
export const photo = (taskId, meta, blob) => add({ kind: "photo", taskId, id: meta.id, meta, blob });

async function all() {
  return run("outbox", "readonly", (store) => store.getAll());
}

// What waits to be sent for the officer logged in now (refused items are kept apart, never resent).
export async function pending() {
  return (await all()).filter((item) => !item.refused && item.userId === user?.id);
}

export async function refused() {
  return (await all()).filter((item) => item.refused && item.userId === user?.id);
}

// Items another officer left on this phone (sent when they log in again).
export async function others() {
  return (await all()).filter((item) => !item.refused && item.userId !== user?.id).length;
}

function remove(seq) {
  return run("outbox", "readwrite", (store) => store.delete(seq));
}

// A refused item is kept with the server's answer (a photo is evidence even when its step was refused).
function keepRefused(item, error) {
  return run("outbox", "readwrite", (store) => store.put({ ...item, refused: true, error: { status: error.status, message: error.message, data: error.data ?? null } }));
}

function send(item) {
  if (item.kind === "photo") return upload(item.taskId, item.meta, item.blob);
  const path = item.kind === "confirm"
    ? `/api/v1/tasks/${item.taskId}/steps/${item.stepId}/confirm`
    : `/api/v1/tasks/${item.taskId}/transitions`;
  return call(path, { method: "POST", body: item.body, headers: { "Idempotency-Key": item.id } });
}

// The server says the task is already where this step would take it: the step is applied, not refused.
const alreadyThere = (item, error) => item.kind === "step" && error.status === 409 && error.data?.status === item.body.to;

// Send what is waiting, oldest first, until nothing is left. Stops at the first network failure, server
// error or expired login (kept for later). A refused item is kept apart and reported, and the steps queued
// after it for the same task are reported with it, since they built on it; photos are still sent.
export function flush({ onSent, onRefused, onProgress, onStopped }) {
  flushing ??= (async () => {
    try {
      const refusedTasks = new Set();
      for (;;) {
        const items = await pending();
        if (!items.length) return;
        for (const [index, item] of items.entries()) {
          onProgress?.(index, items.length, item);
          try {
            if (item.kind !== "photo" && refusedTasks.has(item.taskId)) {
              throw Object.assign(new Error("an earlier step for this task was refused"), { status: 409, skipped: true });
            }
            const answer = await send(item);
            await remove(item.seq);
            onSent?.(item, answer);
          } catch (error) {
            if (alreadyThere(item, error)) {
              await remove(item.seq);
              onSent?.(item, null);
              continue;
            }
            if (!error.status || error.status >= 500 || error.status === 401) {
              onStopped?.(error);
              return;  // offline, the server failing, or the login expired: try again later
            }
            await keepRefused(item, error);
            if (item.kind !== "photo") refusedTasks.add(item.taskId);
            onRefused?.(item, error);
          }
        }
      }
    } finally {
      flushing = null;
    }
  })();
  return flushing;
}
