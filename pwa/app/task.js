// The task screen: map, distance and ETA, the warning's facts, the partner's confirmation, one big button
// for the next step (opening its form), the record so far, and the source backtrack.
import * as api from "./api.js";
import { recall, remember } from "./db.js";
import { FORMS } from "./forms.js";
import * as geo from "./geo.js";
import { statusLabel, t } from "./i18n.js";
import * as taskMap from "./map.js";
import { $, clock, h, kg } from "./ui.js";

const FIELD = ["en_route", "intercepted", "missed", "inspecting", "reweighed", "disposed", "source_traced"];
let screen = null;  // { id, data, view, backtrack, mapEl, slot, stale, unwatch }
let renders = 0;
let team = null;  // the officer's team (partners for two-officer steps), asked once per session

export const openId = () => screen?.id ?? null;
// A form is being filled in: redrawing now would throw away what the officer typed.
export const busy = () => Boolean(screen?.slot?.childElementCount);
export const status = () => screen?.data.task.status ?? null;
export function markStale() { if (screen) screen.stale = true; }
export const stale = () => Boolean(screen?.stale);

async function load(id, path, key) {
  try {
    const data = await api.call(path);
    await remember(key, data);
    return { data, cached: false };
  } catch (error) {
    if (error.status) throw error;
    const data = await recall(key);  // offline: what was saved when the task was last opened
    if (!data) throw error;
    return { data, cached: true };
  }
}

function line(label, ...value) {
  return h("div", { className: "fact" }, h("dt", {}, label), h("dd", {}, ...value));
}

function distances(data) {
  const intercept = data.task.intercept_at && { lon: data.task.intercept_at[0], lat: data.task.intercept_at[1] };
  const me = geo.current() && { lon: geo.current().coords.longitude, lat: geo.current().coords.latitude };
  const parts = [];
  const fmt = (metres, seconds) => `${(metres / 1000).toFixed(1)} ${t("km")}${seconds ? ` · ${t("eta")} ${Math.round(seconds / 60)} ${t("minutes")}` : ""}`;
  if (intercept && me) { const d = geo.distance(me, intercept); parts.push(`${t("me")} → ${t("intercept")} ${fmt(d, geo.eta(d))}`); }
  if (intercept && data.target) {
    const d = geo.distance(data.target, intercept);
    parts.push(`${t("target")} → ${t("intercept")} ${fmt(d, geo.eta(d, data.target.speed_kmh))}`);
  }
  return parts;
}

function facts(data) {
  const w = data.warning;
  const f = { ...(w.weighing || {}), ...(w.facts || {}) };
  return h("dl", { className: "facts card" },
    line(t("plate"), h("strong", { className: "plate" }, w.plate)),
    line(t("axles"), f.axles ?? "—"), line(t("gross"), kg(f.gross_kg)), line(t("limit"), kg(f.limit_kg)),
    line(t("excess"), kg(f.excess_kg)), line(t("rate"), f.excess_pct !== undefined ? `${f.excess_pct}%` : "—"),
    line(t("site"), w.site?.name ?? f.site_name ?? "—"), line(t("weighed_at"), clock(f.weighed_at)),
    (w.weighing?.snapshots || []).length ? line(t("snapshots"), ...w.weighing.snapshots.map((s) =>
      h("a", { href: s.url, target: "_blank", rel: "noopener", className: "snap" }, s.kind))) : null);
}

function record(data) {
  return h("ol", { className: "steps" }, data.steps.map((step) => h("li", { dataset: { to: step.to } },
    h("b", {}, statusLabel(step.to)), ` · ${clock(step.server_time)} · `,
    step.officers.map((o) => o.name).join("、") || step.actor,
    step.confirmed_by.length ? h("span", { className: "ok" }, ` ✓ ${t("confirmed")}`) : null,
    step.evidence.length ? h("span", { className: "muted" }, ` · ${t("evidence")} ${step.evidence.length}`) : null,
    step.details?.evaluation ? h("div", { className: "muted" },
      `${t("excess")} ${kg(step.details.evaluation.excess_kg)} · ${t("rate")} ${step.details.evaluation.excess_pct}%`) : null,
    step.details?.case_no ? h("div", {}, `${t("case_no")} ${step.details.case_no}`) : null)));
}

function confirmations(data, actions) {
  const mine = (data.task.details?.unconfirmed || []).filter((u) => u.officers.includes(api.user.id));
  return mine.map((u) => {
    const step = data.steps.find((s) => s.id === u.step_id);
    const form = step?.details?.form ?? {};
    // What the partner is confirming, in a line: the disposal and its decision, or who was inspected.
    const facts = [step?.details?.disposal && t(step.details.disposal), form.decision_no, form.driver_name,
      (form.inventory || []).map((line) => `${line.item} ${line.quantity}${line.unit}`).join("、"),
      step?.evidence?.length ? `${t("evidence")} ${step.evidence.length}` : null].filter(Boolean).join(" · ");
    return h("div", { className: "confirm card", dataset: { step: u.step_id } },
      h("p", {}, t("confirm_step", { who: step?.actor ?? "", step: statusLabel(u.to) })),
      facts ? h("p", { className: "muted" }, facts) : null,
      h("button", { className: "big", onclick: (event) => { event.target.disabled = true; actions.confirm(data.task.id, u.step_id); } }, t("confirm")));
  });
}

// Navigation hand-off to the phone's map apps (the links carry the interception point, see domain.md §6).
function navLinks(task) {
  if (!task.nav || !["accepted", "en_route"].includes(task.status)) return null;
  return h("div", { className: "nav" }, [["amap_app", "高德"], ["baidu_app", "百度"], ["geo", t("map")]].map(
    ([key, label]) => h("a", { href: task.nav[key], dataset: { app: key } }, label)));
}

function nextButtons(data, actions) {
  const task = data.task;
  if (task.team_id !== api.user?.team_id) return [];
  const steps = task.next.filter((to) => FIELD.includes(to));
  return steps.map((to, i) => h("button", {
    className: i === 0 ? "big next" : "big secondary", dataset: { to },
    onclick: () => (FORMS[to] ? actions.form(to) : actions.step(task.id, { to })),
  }, t(to)));
}

async function backtrackView(id) {
  const { data } = await load(id, `/api/v1/tasks/${id}/backtrack`, `backtrack:${id}`);
  const row = (w) => h("li", { className: w.overloaded ? "over" : "" },
    `${clock(w.weighed_at)} · ${w.plate} · ${kg(w.gross_kg)}${w.overloaded ? ` · +${w.excess_pct}%` : ""}`);
  return { data, element: h("section", { className: "backtrack card" }, h("h3", {}, t("backtrack")),
    data.site ? h("p", {}, h("b", {}, data.site.name), ` (${data.site.enterprise}) · `,
      t("departures", { n: data.site.departures, m: data.site.overloaded })) : h("p", {}, "—"),
    data.weighing ? h("p", {}, `${t("ticket")} ${data.weighing.ticket_no ?? "—"} · ${kg(data.weighing.gross_kg)} · ${clock(data.weighing.weighed_at)}`)
      : h("p", { className: "error" }, t("no_record")),
    data.case ? h("p", { className: "ok" }, `${t("case_no")} ${data.case.case_no}`) : null,
    h("h4", {}, t("truck_history")), h("ul", { className: "history" }, data.truck_history.map(row)),
    h("h4", {}, t("site_overloads")), h("ul", { className: "history" }, data.site_overloads.map(row))) };
}

// `local`: the task as the phone knows it, ahead of the server while steps wait in the outbox.
export async function open(id, actions, local = null) {
  const ticket = ++renders;
  const { data, cached } = await load(id, `/api/v1/tasks/${id}/case`, `case:${id}`);
  if (local && (local.local || local.version > data.task.version)) data.task = local;  // newer than the saved case
  const root = $("#task");
  const mapEl = h("div", { className: "map", id: "map" });
  const near = h("p", { className: "distance" });
  const body = h("div", { className: "form-slot" });
  team ??= await load(0, "/api/v1/teams/mine", "team").then((r) => r.data).catch(() => null);
  const factsData = { ...(data.warning.weighing || {}), ...(data.warning.facts || {}) };
  let backtrack = null;
  if (["disposed", "source_traced", "closed"].includes(data.task.status)) backtrack = await backtrackView(id).catch(() => null);
  // Only the newest render draws, and never over a form being filled in for the same state.
  if (ticket !== renders) return data;
  if (busy() && screen.id === id && screen.data.task.status === data.task.status) {
    screen.stale = true;
    return data;
  }
  dropMap();
  root.replaceChildren(...[
    cached ? h("p", { className: "notice-inline" }, t("offline_case")) : null,
    h("div", { className: "task-head", dataset: { status: data.task.status } },
      h("h2", {}, data.warning.plate), h("span", { className: "status" }, statusLabel(data.task.status))),
    mapEl, near, navLinks(data.task), ...confirmations(data, actions), ...nextButtons(data, actions), body, facts(data),
    backtrack?.element ?? null, h("h3", {}, t("steps")), record(data)].filter(Boolean));
  screen = { id, data, view: null, backtrack: backtrack?.data, mapEl, slot: body,
             unwatch: geo.onChange((p) => screen?.view?.me({ lon: p.coords.longitude, lat: p.coords.latitude })) };
  actions.formSlot = body;
  actions.formContext = { team, facts: factsData, backtrack: backtrack?.data };
  const me = geo.current() && { lon: geo.current().coords.longitude, lat: geo.current().coords.latitude };
  const intercept = data.task.intercept_at && { lon: data.task.intercept_at[0], lat: data.task.intercept_at[1] };
  near.textContent = distances(data).join("  ·  ");
  taskMap.show(mapEl, { intercept, target: data.target, me }).then((view) => {
    if (screen?.mapEl === mapEl) screen.view = view;
    else view.map.remove();  // the screen was redrawn while the map loaded
  })
    .catch(() => { mapEl.classList.add("nomap"); mapEl.textContent = intercept ? `${t("intercept")}: ${intercept.lat.toFixed(5)}, ${intercept.lon.toFixed(5)}` : ""; });
  return data;
}

// A live position of the chased truck: move its marker and refresh the distances.
export function truckMoved(position) {
  if (!screen || position.task_id !== screen.id) return;
  screen.data.target = position;
  screen.view?.target(position);
  $("#task .distance").textContent = distances(screen.data).join("  ·  ");
}

function dropMap() {
  const view = screen?.view;
  if (screen) screen.view = null;
  view?.map.remove();
  screen?.unwatch?.();
}

// Logging out: forget the team too (the next officer on this phone may belong to another).
export function reset() {
  close();
  team = null;
}

export function close() {
  renders += 1;  // a render still loading is for a screen that is gone
  dropMap();
  screen = null;
  $("#task").replaceChildren();
}
