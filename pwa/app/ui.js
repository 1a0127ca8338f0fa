// Small DOM helpers shared by the screens.
export const $ = (selector) => document.querySelector(selector);

// h("button", { className: "big", onclick }, "text", child…): an element with properties and children.
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key in el && key !== "list") el[key] = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  el.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return el;
}

let noticeTimer = null;
// A plain message at the top of the screen (never a blocking alert: the officer may be holding a torch).
export function notice(message, { sticky = false } = {}) {
  const el = $("#notice");
  el.textContent = message;
  el.hidden = false;
  clearTimeout(noticeTimer);
  if (!sticky) noticeTimer = setTimeout(() => { el.hidden = true; }, 12000);
}
$("#notice")?.addEventListener("click", (event) => { event.target.hidden = true; });

export function kg(value) {
  return value === null || value === undefined ? "—" : `${Number(value).toLocaleString("zh-CN")} kg`;
}

export function clock(iso) {
  return iso ? new Date(iso).toLocaleString(document.documentElement.lang, { hour12: false }) : "—";
}
