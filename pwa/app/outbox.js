// The outbox: every action and photo is stored in IndexedDB with a client-generated id before it is sent,
// and sent in order when the connection allows; the id is the Idempotency-Key (or the photo's id), so the
// server applies each exactly once however often it is retried.
import { call, upload } from "./api.js";
import { run } from "./db.js";

let flushing = null;

function add(item) {
  return run("outbox", "readwrite", (store) => store.add({ id: crypto.randomUUID(), createdAt: Date.now(), ...item }));
}

export const step = (taskId, body) => add({ kind: "step", taskId, body });
export const confirm = (taskId, stepId, body) => add({ kind: "confirm", taskId, stepId, body });
// A photo keeps its own id: the step that names it was written with that id before either was sent.
export const photo = (taskId, meta, blob) => add({ kind: "photo", taskId, id: meta.id, meta, blob });

export function pending() {
  return run("outbox", "readonly", (store) => store.getAll());
}

function remove(seq) {
  return run("outbox", "readwrite", (store) => store.delete(seq));
}

function send(item) {
  if (item.kind === "photo") return upload(item.taskId, item.meta, item.blob);
  const path = item.kind === "confirm"
    ? `/api/v1/tasks/${item.taskId}/steps/${item.stepId}/confirm`
    : `/api/v1/tasks/${item.taskId}/transitions`;
  return call(path, { method: "POST", body: item.body, headers: { "Idempotency-Key": item.id } });
}

// Send what is waiting, oldest first. Stops at the first network failure (kept for later); an answer that
// refuses the item (the task changed meanwhile) removes it, and the steps queued after it for the same task
// are reported too, since they built on it.
export function flush({ onSent, onRefused, onProgress }) {
  flushing ??= (async () => {
    try {
      const refusedTasks = new Set();
      const items = await pending();
      for (const [index, item] of items.entries()) {
        onProgress?.(index, items.length, item);
        try {
          if (refusedTasks.has(item.taskId)) throw Object.assign(new Error("skipped"), { status: 409, skipped: true });
          const answer = await send(item);
          await remove(item.seq);
          onSent?.(item, answer);
        } catch (error) {
          if (!error.status || error.status >= 500 || error.status === 401) break;  // retry later
          await remove(item.seq);
          refusedTasks.add(item.taskId);
          onRefused?.(item, error);
        }
      }
    } finally {
      flushing = null;
    }
  })();
  return flushing;
}
