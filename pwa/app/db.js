// IndexedDB: the outbox (actions and photos waiting to be sent) and a cache of tasks for working offline.
const NAME = "zhichao";
let opened = null;

export function open() {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, 2);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains("outbox")) db.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
      if (!db.objectStoreNames.contains("cache")) db.createObjectStore("cache", { keyPath: "key" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opened;
}

export async function run(storeName, mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(storeName, mode);
    const result = work(tx.objectStore(storeName));
    tx.oncomplete = () => resolve(result?.result ?? result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error("storage full or unavailable"));  // e.g. over quota
  });
}

// The cache: the inbox and each opened task's case, so the officer can keep working without a network.
export function remember(key, value) {
  return run("cache", "readwrite", (store) => store.put({ key, value, at: Date.now() }));
}

export async function recall(key) {
  return (await run("cache", "readonly", (store) => store.get(key)))?.value;
}

export function forgetAll() {
  return run("cache", "readwrite", (store) => store.clear());
}
