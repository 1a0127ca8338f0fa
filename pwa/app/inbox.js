// The task inbox: one card per task of the officer's team, newest first, with the acceptance countdown,
// accept / decline (with a reason), navigation hand-off and the next simple step.
import * as api from "./api.js";
import { statusLabel, t } from "./i18n.js";
import { $, h } from "./ui.js";

const tasks = new Map();
const SIMPLE = { accepted: "en_route", en_route: "intercepted" };
let acceptWithinS = 180;

export const all = () => [...tasks.values()];
export const get = (id) => tasks.get(id);
export function setAcceptWindow(seconds) { acceptWithinS = seconds || acceptWithinS; }

function countdown(task) {
  if (task.status !== "dispatched") return null;
  const due = new Date(task.updated_at).getTime() + acceptWithinS * 1000;
  return h("p", { className: "countdown", dataset: { due } });
}

export function tick() {
  document.querySelectorAll(".countdown").forEach((el) => {
    const left = Math.round((Number(el.dataset.due) - Date.now()) / 1000);
    el.classList.toggle("late", left <= 0);
    el.textContent = left > 0 ? t("accept_in", { t: `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}` }) : t("overdue");
  });
}

function declineForm(task, actions) {
  const reason = h("input", { name: "reason", required: true, placeholder: t("reason"), autocomplete: "off" });
  return h("form", { className: "decline-form", hidden: true, onsubmit: (event) => {
    event.preventDefault();
    actions.step(task.id, { to: "declined", reason: reason.value.trim() });
  } }, reason, h("button", { type: "submit", className: "decline" }, t("decline")));
}

function card(task, actions) {
  const mine = task.team_id === api.user?.team_id;
  const waiting = (task.details?.unconfirmed || []).some((u) => u.officers.includes(api.user?.id));
  const children = [
    h("h3", {}, task.details?.title || `#${task.id}`),
    h("div", { className: "status" }, statusLabel(task.status), waiting ? h("span", { className: "badge" }, t("confirm")) : null),
    countdown(task),
  ];
  if (task.nav && ["accepted", "en_route"].includes(task.status)) {
    children.push(h("div", { className: "nav" }, [["amap_app", "高德"], ["baidu_app", "百度"], ["geo", t("map")]].map(
      ([key, label]) => h("a", { href: task.nav[key], dataset: { app: key } }, label))));
  }
  if (mine && SIMPLE[task.status]) {
    children.push(h("button", { className: "big next", onclick: () => actions.step(task.id, { to: SIMPLE[task.status] }) }, t(SIMPLE[task.status])));
  }
  if (mine && task.status === "dispatched") {
    const decline = declineForm(task, actions);
    children.push(h("div", { className: "actions" },
      h("button", { className: "accept", onclick: () => actions.step(task.id, { to: "accepted" }) }, t("accept")),
      h("button", { className: "decline", type: "button", onclick: () => { decline.hidden = false; decline.querySelector("input").focus(); } }, t("decline"))),
    decline);
  }
  children.push(h("button", { className: "link open", onclick: () => actions.open(task.id) }, `${t("open")} ›`));
  return children;
}

export function render(task, actions, fresh = false) {
  let li = document.getElementById(`task-${task.id}`);
  if (!li) {
    li = h("li", { id: `task-${task.id}`, className: "task" });
    const after = [...$("#tasks").children].find((el) => Number(el.id.slice(5)) < task.id);
    $("#tasks").insertBefore(li, after ?? null);
  }
  li.classList.toggle("new", fresh);
  li.classList.toggle("queued", Boolean(task.local));
  li.dataset.status = task.status;
  li.replaceChildren(...card(task, actions));
  $("#empty").hidden = tasks.size > 0;
  tick();
}

// A task moved to another team disappears from this officer's inbox.
export function upsert(task, actions, fresh = false) {
  if (task.team_id !== api.user?.team_id) {
    tasks.delete(task.id);
    document.getElementById(`task-${task.id}`)?.remove();
    $("#empty").hidden = tasks.size > 0;
    return false;
  }
  tasks.set(task.id, task);
  render(task, actions, fresh);
  return true;
}

export function clear() {
  tasks.clear();
  $("#tasks").replaceChildren();
}
