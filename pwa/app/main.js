// Officer app: log in, see the team's tasks live (Socket.IO with catch-up by cursor), accept or decline.
import * as api from "./api.js";
import * as i18n from "./i18n.js";
import * as outbox from "./outbox.js";

const $ = (sel) => document.querySelector(sel);
const tasks = new Map();
let cursor = Number(sessionStorage.getItem("cursor") || 0);
let socket = null;

function renderTask(task, fresh = false) {
  let li = document.getElementById(`task-${task.id}`);
  if (!li) {
    li = document.createElement("li");
    li.id = `task-${task.id}`;
    li.className = "task";
    $("#tasks").prepend(li);
  }
  if (fresh) li.classList.add("new");
  li.dataset.status = task.status;
  li.replaceChildren();
  const title = document.createElement("h3");
  title.textContent = task.details?.title || `#${task.id}`;
  const status = document.createElement("div");
  status.className = "status";
  status.textContent = i18n.statusLabel(task.status);
  li.append(title, status);
  if (task.nav && ["accepted", "en_route"].includes(task.status)) {
    const nav = document.createElement("div");
    nav.className = "nav";
    for (const [key, label] of [["amap_app", "高德"], ["baidu_app", "百度"], ["geo", i18n.t("map")]]) {
      const link = Object.assign(document.createElement("a"), { href: task.nav[key], textContent: label });
      link.dataset.app = key;
      nav.append(link);
    }
    li.append(nav);
  }
  const simple = { accepted: "en_route", en_route: "intercepted" }[task.status];
  if (simple && task.team_id === api.user?.team_id) {
    const next = Object.assign(document.createElement("button"), { className: "big next", textContent: i18n.t(simple) });
    next.addEventListener("click", () => act(task.id, { to: simple, ...here() }));
    li.append(next);
  }
  if (task.status === "dispatched" && task.team_id === api.user?.team_id) {
    const actions = document.createElement("div");
    actions.className = "actions";
    const accept = Object.assign(document.createElement("button"), { className: "accept", textContent: i18n.t("accept") });
    const decline = Object.assign(document.createElement("button"), { className: "decline", textContent: i18n.t("decline") });
    accept.addEventListener("click", () => act(task.id, { to: "accepted", ...here() }));
    decline.addEventListener("click", () => {
      const reason = prompt(i18n.t("reason"));
      if (reason) act(task.id, { to: "declined", reason, ...here() });
    });
    actions.append(accept, decline);
    li.append(actions);
  }
  $("#empty").hidden = tasks.size > 0;
}

function upsert(task, fresh = false) {
  if (task.team_id !== api.user?.team_id) {  // reassigned away from this team
    tasks.delete(task.id);
    document.getElementById(`task-${task.id}`)?.remove();
    $("#empty").hidden = tasks.size > 0;
    return;
  }
  tasks.set(task.id, task);
  renderTask(task, fresh);
}

let lastFix = null;
if ("geolocation" in navigator) {
  navigator.geolocation.watchPosition((p) => { lastFix = p; }, () => {}, { enableHighAccuracy: true, maximumAge: 10000 });
}

function here() {
  // Every step carries the device time and, when the phone has a fix, where it was taken and how exactly.
  const body = { device_time: new Date().toISOString() };
  if (lastFix) {
    body.position = { lon: lastFix.coords.longitude, lat: lastFix.coords.latitude, accuracy_m: lastFix.coords.accuracy };
  }
  return body;
}

async function showPending() {
  const count = (await outbox.pending()).length;
  $("#pending").hidden = count === 0;
  $("#pending").textContent = i18n.t("pending").replace("{n}", count);
}

async function act(taskId, body) {
  await outbox.add(taskId, body);  // stored before anything is sent: a dead phone or network loses nothing
  const card = document.getElementById(`task-${taskId}`);
  card?.classList.add("queued");
  card?.querySelectorAll("button").forEach((button) => { button.disabled = true; });  // one action at a time
  await showPending();
  await sendQueued();
}

async function sendQueued() {
  await outbox.flush({
    onSent: (task) => { document.getElementById(`task-${task.id}`)?.classList.remove("queued"); upsert(task); },
    onRefused: (item, error) => {
      // Say plainly what became of the queued action: the task moved away, or changed state meanwhile.
      const gone = error.status === 404 || error.status === 403;
      const status = error.data?.status ? ` (${i18n.statusLabel(error.data.status)})` : "";
      alert(gone ? i18n.t("reassigned") : `${i18n.t("refused")}${status}: ${error.message}`);
      if (gone) upsert({ id: item.taskId, team_id: null });
    },
  });
  await showPending();
}

function remember(message) {
  if (message.cursor > cursor) {
    cursor = message.cursor;
    sessionStorage.setItem("cursor", String(cursor));
  }
}

function connect() {
  socket = io("/live", { auth: { token: api.accessToken() }, transports: ["websocket"] });
  socket.on("connect", () => {
    $("#conn").dataset.state = "on";
    sendQueued();
    socket.emit("catch_up", { since: cursor }, (answer) => {
      for (const message of answer.events || []) handle(message.event, message, false);
    });
  });
  socket.on("disconnect", () => { $("#conn").dataset.state = "off"; });
  for (const name of ["task.created", "task.updated", "task.renotified"]) {
    socket.on(name, (message) => handle(name, message, name !== "task.updated"));
  }
  socket.on("auth.expired", () => logout());
}

function handle(name, message, fresh) {
  remember(message);
  if (name.startsWith("task.")) {
    upsert(message.data, fresh);
    if (fresh && navigator.vibrate) navigator.vibrate([200, 100, 200]);
  }
}

async function showInbox() {
  $("#login").hidden = true;
  $("#inbox").hidden = false;
  $("#who").textContent = `${api.user.display_name || api.user.username} · ${api.user.team_name ?? "—"}`;
  for (const task of (await api.call("/api/v1/tasks")).reverse()) upsert(task);
  $("#empty").hidden = tasks.size > 0;
  await showPending();
  $("#duty").checked = api.user.on_duty !== false;
  connect();
}

async function logout() {
  socket?.disconnect();
  await api.logout();
  tasks.clear();
  $("#tasks").replaceChildren();
  $("#inbox").hidden = true;
  $("#login").hidden = false;
}

$("#login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    await api.login(form.get("username"), form.get("password"));
    $("#login-error").textContent = "";
    await showInbox();
  } catch (error) {
    $("#login-error").textContent = `${i18n.t("failed")}: ${error.message}`;
  }
});
$("#logout").addEventListener("click", logout);
window.addEventListener("online", () => sendQueued());
$("#duty").addEventListener("change", async (event) => {
  try {
    const answer = await api.call("/api/v1/push/duty", { method: "PUT", body: { on_duty: event.target.checked } });
    api.user.on_duty = answer.on_duty;
  } catch (error) {
    event.target.checked = !event.target.checked;
    alert(error.message);
  }
});
$("#lang").addEventListener("click", () => { i18n.toggle(); for (const task of tasks.values()) renderTask(task); });
i18n.apply();
if ("serviceWorker" in navigator) navigator.serviceWorker.register("/app/sw.js", { scope: "/app/" });
if (api.loggedIn()) showInbox().catch(logout);
