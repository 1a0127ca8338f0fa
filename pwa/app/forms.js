// The short form of each field step. Each returns a <form>; on submit it hands the transition body (form,
// officers, evidence references, reason, disposal) to `done`, which queues it in the outbox.
import * as camera from "./camera.js";
import { t } from "./i18n.js";
import { h } from "./ui.js";

const field = (label, input) => h("label", {}, h("span", {}, label), input);
const text = (name, props = {}) => h("input", { name, autocomplete: "off", ...props });
const number = (name, props = {}) => h("input", { name, type: "number", inputMode: "decimal", min: "0", step: "any", ...props });
const check = (name, label, props = {}) => h("label", { className: "check" }, h("input", { type: "checkbox", name, ...props }), h("span", {}, label));
const value = (form, name) => form.elements[name]?.value.trim() || null;
const num = (form, name) => (value(form, name) === null ? null : Number(value(form, name)));

// Two-officer steps need the partner named here (the server refuses them otherwise, perhaps hours later
// when the phone is back online): without a partner to choose, the form cannot be submitted.
function partnerSelect(team) {
  const others = (team?.members || []).filter((m) => !m.me);
  const select = h("select", { name: "partner", required: true },
    others.map((m) => h("option", { value: m.id, selected: m.on_duty }, `${m.display_name}${m.on_duty ? "" : " ·"}`)));
  if (others.length) return field(t("partner"), select);
  const blocker = h("input", { name: "partner_missing", required: true, tabIndex: -1, className: "blocker" });
  blocker.setCustomValidity(t("nopartner"));
  return h("div", {}, h("p", { className: "error" }, t("nopartner")), blocker);
}

function officers(form) {
  return form.elements.partner ? [Number(form.elements.partner.value)] : [];
}

function shell(task, to, body, collect, done) {
  const refs = [];
  const kinds = { intercepted: ["plate"], inspecting: ["load", "documents", "credentials"], reweighed: ["ticket"],
                  disposed: ["unloading", "seizure", "record"], missed: [] }[to] || [];
  const form = h("form", { className: "step-form card", dataset: { step: to }, noValidate: false },
    h("h3", {}, t(to)), ...body,
    kinds.length ? h("fieldset", { className: "evidence" }, h("legend", {}, t("evidence")),
      ...kinds.map((kind) => camera.picker(task.id, kind, refs))) : null,
    h("div", { className: "actions" },
      h("button", { type: "button", className: "secondary", onclick: () => done(null) }, t("cancel")),
      h("button", { type: "submit", className: "primary" }, t("submit"))));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    done({ to, evidence: refs.slice(), ...collect(form) });
  });
  return form;
}

export function intercepted(task, _context, done) {
  return shell(task, "intercepted", [field(t("place"), text("place"))],
    (form) => ({ form: { place: value(form, "place") } }), done);
}

export function missed(task, _context, done) {
  return shell(task, "missed", [field(t("reason"), text("reason", { required: true })),
    field(t("went"), text("went", { required: true }))],
  (form) => ({ reason: value(form, "reason"), form: { went: value(form, "went") } }), done);
}

export function inspecting(task, { team }, done) {
  return shell(task, "inspecting", [partnerSelect(team),
    check("credentials_shown", t("credentials"), { required: true }),
    check("documents", t("documents")),
    field(t("driver"), text("driver_name")),
    field(t("statement"), h("textarea", { name: "driver_statement", rows: 3 }))],
  (form) => ({ officers: officers(form), form: {
    credentials_shown: form.elements.credentials_shown.checked, driver_name: value(form, "driver_name"),
    driver_statement: value(form, "driver_statement"),
    documents_checked: form.elements.documents.checked ? ["行驶证", "驾驶证", "运单"] : [] } }), done);
}

// Re-weigh: the excess and the rate against the departure's limit appear while typing; the server keeps
// its own evaluation under the current rules.
export function reweighed(task, { facts }, done) {
  const limit = facts?.limit_kg;
  const result = h("output", { className: "result", name: "result" }, "—");
  const gross = number("gross_kg", { required: true, min: "1", max: "200000" });
  gross.addEventListener("input", () => {
    const kgs = Number(gross.value);
    if (!limit || !kgs) { result.textContent = "—"; return; }
    const excess = kgs - limit;
    result.dataset.overloaded = String(excess > 0);
    result.textContent = excess > 0
      ? `${t("excess")} ${excess.toLocaleString()} kg · ${t("rate")} ${(excess / limit * 100).toFixed(2)}%`
      : `${t("legal")} (${t("limit")} ${limit.toLocaleString()} kg)`;
  });
  return shell(task, "reweighed", [field(t("ticket"), text("ticket_no", { required: true })),
    field(t("scale"), text("scale_id", { required: true })), field(t("gross_kg"), gross),
    facts?.axles ? null : field(t("axles_counted"), number("axles", { min: "2", max: "12", step: "1", required: true })),
    h("p", {}, `${t("result")}: `, result)],
  (form) => ({ form: { ticket_no: value(form, "ticket_no"), scale_id: value(form, "scale_id"), gross_kg: num(form, "gross_kg"),
                       ...(form.elements.axles ? { axles: num(form, "axles") } : {}) } }), done);
}

// Each line with an item needs its quantity and unit; a seizure needs at least one line (see sync below).
function inventory() {
  const rows = h("div", { className: "inventory" });
  const line = () => {
    const row = h("div", { className: "line" }, text("item", { placeholder: t("item") }),
      number("quantity", { placeholder: t("quantity"), min: "0.001" }), text("unit", { placeholder: t("unit"), value: "" }));
    row.addEventListener("input", () => {
      const named = Boolean(row.querySelector("[name=item]").value.trim());
      row.querySelector("[name=quantity]").required = named;
      row.querySelector("[name=unit]").required = named;
    });
    return row;
  };
  rows.append(line());
  return h("fieldset", { className: "only", dataset: { kinds: "seized" } }, h("legend", {}, t("inventory")), rows,
    h("button", { type: "button", className: "secondary", onclick: () => rows.append(line()) }, t("add_item")));
}

export function disposed(task, { team }, done) {
  const kinds = ["unloaded", "seized", "released_with_penalty"];
  const only = (kind, ...children) => h("div", { className: "only", dataset: { kinds: kind } }, ...children);
  const body = [partnerSelect(team),
    h("fieldset", { className: "kinds" }, h("legend", {}, t("disposal")), ...kinds.map((kind, i) =>
      h("label", { className: "check" }, h("input", { type: "radio", name: "disposal", value: kind, checked: i === 0 }), h("span", {}, t(kind))))),
    only("unloaded", field(t("unloaded_kg"), number("unloaded_kg")), field(t("new_ticket"), text("new_ticket_no"))),
    only("seized released_with_penalty", field(t("decision"), text("decision_no"))),
    inventory(),
    only("seized", field(t("approved_by"), text("approved_by")), check("party_signed", t("party_signed")),
      field(t("refusal"), text("refusal_noted"))),
    only("released_with_penalty", field(t("penalty"), number("penalty_yuan", { step: "1" })))];
  const form = shell(task, "disposed", body, (f) => {
    const kind = f.elements.disposal.value;
    const lines = [...f.querySelectorAll(".inventory .line")].map((row) => ({
      item: row.querySelector("[name=item]").value.trim(), quantity: Number(row.querySelector("[name=quantity]").value),
      unit: row.querySelector("[name=unit]").value.trim() })).filter((row) => row.item);
    const forms = {
      unloaded: { unloaded_kg: num(f, "unloaded_kg"), new_ticket_no: value(f, "new_ticket_no") },
      seized: { decision_no: value(f, "decision_no"), inventory: lines, approved_by: value(f, "approved_by"),
                party_signed: f.elements.party_signed.checked, refusal_noted: value(f, "refusal_noted") },
      released_with_penalty: { decision_no: value(f, "decision_no"), penalty_yuan: num(f, "penalty_yuan") },
    };
    return { officers: officers(f), disposal: kind, form: forms[kind] };
  }, done);
  const sync = () => {
    const kind = form.elements.disposal.value;
    form.querySelectorAll(".only").forEach((el) => { el.hidden = !el.dataset.kinds.split(" ").includes(kind); });
    form.elements.unloaded_kg.required = kind === "unloaded";
    form.elements.decision_no.required = kind !== "unloaded";
    form.elements.penalty_yuan.required = kind === "released_with_penalty";
    form.querySelector(".inventory [name=item]").required = kind === "seized";
  };
  form.addEventListener("change", sync);
  sync();
  return form;
}

export function sourceTraced(task, { backtrack }, done) {
  return shell(task, "source_traced", [
    check("weighing_found", t("weighing_found"), { checked: Boolean(backtrack?.weighing) }),
    field(t("summary"), h("textarea", { name: "summary", rows: 3, required: true }))],
  (form) => ({ form: { summary: value(form, "summary"), weighing_found: form.elements.weighing_found.checked } }), done);
}

export const FORMS = { intercepted, missed, inspecting, reweighed, disposed, source_traced: sourceTraced };
