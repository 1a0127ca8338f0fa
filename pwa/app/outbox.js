// The outbox: every action is stored in IndexedDB with a client-generated id before it is sent, and sent
// in order when the connection allows; the id is the Idempotency-Key, so the server applies it once.
import { call } from "./api.js";

const DB = "zhichao";
const STORE = "outbox";
let flushing = null;

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "seq", autoIncrement: true });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const result = work(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(result?.result ?? result);
    tx.onerror = () => reject(tx.error);
  });
}

export function add(taskId, body) {
  return run("readwrite", (store) => store.add({ id: crypto.randomUUID(), taskId, body, createdAt: Date.now() }));
}

export function pending() {
  return run("readonly", (store) => store.getAll());
}

function remove(seq) {
  return run("readwrite", (store) => store.delete(seq));
}

// Send what is waiting, oldest first. Stops at the first network failure (kept for later); an answer
// that refuses the action (the task changed meanwhile) removes it and is reported through onRefused.
export function flush({ onSent, onRefused }) {
  flushing ??= (async () => {
    try {
      for (const item of await pending()) {
        try {
          const task = await call(`/api/v1/tasks/${item.taskId}/transitions`, {
            method: "POST", body: item.body, headers: { "Idempotency-Key": item.id },
          });
          await remove(item.seq);
          onSent?.(task);
        } catch (error) {
          if (!error.status) break;  // offline or the server unreachable: try again later
          await remove(item.seq);
          onRefused?.(item, error);
        }
      }
    } finally {
      flushing = null;
    }
  })();
  return flushing;
}
