// Evidence photos: taken with the camera (or picked from the gallery), hashed with SHA-256 on the phone the
// moment they are captured, stamped with device time and GPS accuracy, and queued in the outbox.
import * as geo from "./geo.js";
import * as outbox from "./outbox.js";
import { kindLabel, t } from "./i18n.js";
import { h, notice } from "./ui.js";

const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");

export async function sha256(blob) {
  return hex(await crypto.subtle.digest("SHA-256", await blob.arrayBuffer()));
}

// The bytes are hashed as the camera gave them: no resizing, so the hash is the original's.
export async function capture(taskId, kind, file) {
  const stamp = geo.stamp();
  const meta = { id: crypto.randomUUID().replaceAll("-", ""), kind, sha256: await sha256(file), taken_at: stamp.device_time };
  if (stamp.position) Object.assign(meta, { lon: stamp.position.lon, lat: stamp.position.lat, accuracy_m: stamp.position.accuracy_m });
  await outbox.photo(taskId, meta, file);
  return { ref: { kind, id: meta.id, sha256: meta.sha256, taken_at: meta.taken_at }, meta, url: URL.createObjectURL(file) };
}

// A "take photo" control for a form: photos appear as thumbnails with the start of their hash.
export function picker(taskId, kind, refs) {
  const wrap = document.createElement("div");
  wrap.className = "photos";
  const input = Object.assign(document.createElement("input"), { type: "file", accept: "image/*", hidden: true });
  input.setAttribute("capture", "environment");
  input.dataset.kind = kind;
  // The camera by default; the gallery where the agency allows photos taken earlier.
  const gallery = Object.assign(document.createElement("input"), { type: "file", accept: "image/*", multiple: true, hidden: true });
  gallery.dataset.kind = kind;
  gallery.dataset.source = "gallery";
  const button = Object.assign(document.createElement("button"), { type: "button", className: "photo-btn", textContent: `${t("photo")} · ${kindLabel(kind)}` });
  button.addEventListener("click", () => input.click());
  const pick = Object.assign(document.createElement("button"), { type: "button", className: "gallery-btn", textContent: t("gallery") });
  pick.addEventListener("click", () => gallery.click());
  const list = document.createElement("div");
  list.className = "thumbs";
  const take = async (source) => {
    for (const file of source.files) {
      let shot;
      try {
        shot = await capture(taskId, kind, file);
      } catch (error) {  // storage full or unavailable: say so, the officer can retake it
        notice(`${t("not_saved")}: ${error.message}`, { sticky: true });
        continue;
      }
      refs.push(shot.ref);
      const figure = document.createElement("figure");
      const img = Object.assign(document.createElement("img"), { src: shot.url, alt: kind });
      const caption = Object.assign(document.createElement("figcaption"), { textContent: `SHA-256 ${shot.meta.sha256.slice(0, 12)}…` });
      caption.dataset.sha256 = shot.meta.sha256;
      figure.append(img, caption);
      list.append(figure);
    }
    source.value = "";
    wrap.dispatchEvent(new CustomEvent("photo", { bubbles: true }));
  };
  input.addEventListener("change", () => take(input));
  gallery.addEventListener("change", () => take(gallery));
  wrap.append(input, gallery, h("div", { className: "photo-row" }, button, pick), list);
  return wrap;
}
