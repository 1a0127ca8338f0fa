// Officer app: log in, the team's tasks live (Socket.IO with catch-up by cursor), the task screen and its
// field steps; every action goes through the IndexedDB outbox, so nothing is lost offline.
import * as api from "./api.js";
import { forgetAll, recall, remember } from "./db.js";
import { FORMS } from "./forms.js";
import * as geo from "./geo.js";
import * as i18n from "./i18n.js";
import * as inbox from "./inbox.js";
import * as outbox from "./outbox.js";
import * as push from "./push.js";
import * as taskScreen from "./task.js";
import { ring } from "./ring.js";
import { $, notice } from "./ui.js";
import * as update from "./update.js";

let cursor = Number(sessionStorage.getItem("cursor") || 0);
let socket = null;
let config = null;

const actions = {
  step: (taskId, body) => queue(taskId, body.to, () => outbox.step(taskId, { ...body, ...geo.stamp() })),
  confirm: (taskId, stepId) => queue(taskId, null, () => outbox.confirm(taskId, stepId, geo.stamp())),
  open: (taskId) => { location.hash = `#task/${taskId}`; },
  form(to) {
    const task = inbox.get(taskScreen.openId());
    const form = FORMS[to](task ?? { id: taskScreen.openId() }, actions.formContext, (body) => {
      actions.formSlot.replaceChildren();
      if (body) actions.step(taskScreen.openId(), body);
      else if (taskScreen.stale()) render(inbox.get(taskScreen.openId()));  // news that waited for the form
    });
    actions.formSlot.replaceChildren(form);
    form.scrollIntoView({ block: "start" });
  },
};

const TERMINAL = new Set(["closed", "cancelled"]);
const queued = new Map();      // task id -> items of this officer waiting to be sent for it
const serverCopy = new Map();  // task id -> the newest task the server sent while the phone was ahead of it

// Stored before anything is sent: a dead phone or network loses nothing. The task moves on at once on the
// phone (marked as waiting to send), so the next step can be recorded offline too; the server's answers
// replace the local state once everything queued for the task has been sent.
async function queue(taskId, to, store) {
  document.querySelectorAll(`#task-${taskId} button, #task button.big, #task .confirm button`)
    .forEach((button) => { button.disabled = true; });  // one tap, one action
  try {
    await store();
  } catch (error) {
    notice(`${i18n.t("not_saved")}: ${error.message}`, { sticky: true });
    const task = inbox.get(taskId);
    if (task) render(task);
    return;
  }
  const task = inbox.get(taskId);
  const next = config?.next?.[to];
  if (task && to && next) render({ ...task, status: to, next, local: true });
  await showPending();
  await sendQueued();
}

async function showPending(progress = null) {
  const items = await outbox.pending();
  const before = new Map(queued);
  queued.clear();
  for (const item of items) queued.set(item.taskId, (queued.get(item.taskId) ?? 0) + 1);
  for (const id of before.keys()) if (!queued.has(id)) settle(id);
  $("#pending").hidden = items.length === 0;
  $("#pending").textContent = progress ?? i18n.t("pending", { n: items.length });
}

// Everything queued for the task has been sent: show what the server holds now.
function settle(id) {
  const copy = serverCopy.get(id);
  serverCopy.delete(id);
  if (copy) render(copy);
  refreshTask(id);
}

async function sendQueued() {
  await outbox.flush({
    onProgress: (index, total) => { if (total > 1) showPending(i18n.t("sending", { i: index + 1, n: total })); },
    onSent: (item, answer) => {
      const task = item.kind === "confirm" ? answer?.task : item.kind === "step" ? answer : null;
      if (task) applyTask(task);
    },
    onRefused: (item, error) => {
      // Say plainly what became of the queued action: the task moved away, or changed state meanwhile.
      const gone = error.status === 404;
      const status = error.data?.status ? ` (${i18n.statusLabel(error.data.status)})` : "";
      const what = item.kind === "photo" ? i18n.t("photo") : i18n.statusLabel(item.body?.to) || i18n.t("confirm");
      notice(gone ? i18n.t("reassigned") : `${i18n.t("refused")} · ${what}${status}: ${error.message}`, { sticky: true });
      if (gone) render({ id: item.taskId, team_id: null });
    },
    onStopped: (error) => { if (error.status === 401) logout({ force: true, expired: true }); },
  });
  await showPending();
}

// A task from the server (an answer, a live event, a catch-up): an older version than the one shown is
// ignored, and while the phone is ahead (steps waiting to be sent) the phone's own state stays on screen.
function applyTask(task) {
  const known = inbox.get(task.id);
  if (known && task.team_id === api.user?.team_id && (task.version ?? 0) < (known.version ?? 0) && !known.local) return;
  if (known?.local && queued.get(task.id) && task.team_id === api.user?.team_id && !TERMINAL.has(task.status)) {
    if ((task.version ?? 0) >= (serverCopy.get(task.id)?.version ?? 0)) serverCopy.set(task.id, task);
    return;
  }
  render(task);
}

function render(task) {
  const stays = inbox.upsert(task, actions);
  if (taskScreen.openId() === task.id) {
    if (!stays) location.hash = "";
    else if (taskScreen.busy() && taskScreen.status() === task.status) taskScreen.markStale();
    else taskScreen.open(task.id, actions, inbox.get(task.id)).catch((error) => notice(error.message));
  }
}

async function refreshTask(id) {
  try {
    render(await api.call(`/api/v1/tasks/${id}`));
  } catch (error) {
    if (error.status === 404) render({ id, team_id: null });
  }
}

function remember_(message) {
  if (message.cursor > cursor) {
    cursor = message.cursor;
    sessionStorage.setItem("cursor", String(cursor));
  }
}

// Everything needed to work a task is saved as soon as it is ours, so it can be worked without a signal.
function keepForOffline(task) {
  if (!navigator.onLine || task.team_id !== api.user?.team_id || ["closed", "cancelled"].includes(task.status)) return;
  api.call(`/api/v1/tasks/${task.id}/case`).then((data) => remember(`case:${task.id}`, data)).catch(() => {});
}

function handle(name, message, fresh) {
  remember_(message);
  if (name.startsWith("task.")) {
    applyTask(message.data);
    if (!taskScreen.openId()) keepForOffline(message.data);
    if (fresh && message.data.team_id === api.user?.team_id) ring();
  } else if (name === "position.updated" && message.data.kind === "truck") {
    taskScreen.truckMoved(message.data);
  }
}

// The socket library is fetched after the task list is on screen: on a slow link the list comes first.
let socketLibrary = null;
function loadSocketLibrary() {
  socketLibrary ??= new Promise((resolve, reject) => {
    const script = Object.assign(document.createElement("script"), { src: "/vendor/socket.io/socket.io.min.js" });
    script.onload = () => resolve(window.io);
    script.onerror = () => { socketLibrary = null; reject(new Error("live updates unavailable")); };
    document.head.append(script);
  });
  return socketLibrary;
}

async function connect() {
  const io = await loadSocketLibrary();
  socket = io("/live", { auth: (cb) => cb({ token: api.accessToken() }), transports: ["websocket"] });
  socket.on("connect", () => {
    $("#conn").dataset.state = "on";
    sendQueued();
    socket.emit("catch_up", { since: cursor }, (answer) => {
      for (const message of answer.events || []) handle(message.event, message, false);
    });
  });
  socket.on("disconnect", () => { $("#conn").dataset.state = "off"; });
  for (const name of ["task.created", "task.updated", "task.renotified", "position.updated"]) {
    socket.on(name, (message) => handle(name, message, name === "task.created" || name === "task.renotified"));
  }
  socket.on("auth.expired", async () => {
    socket.disconnect();
    try {
      await api.call("/api/v1/auth/me");  // refreshes the token when the refresh token is still good
      socket.connect();
    } catch (error) {
      if (error.status === 401) logout({ force: true, expired: true });
      else setTimeout(() => socket.connect(), 5000);  // offline or the server restarting: not a logout
    }
  });
}

async function showInbox() {
  $("#login").hidden = true;
  route();
  $("#who").textContent = `${api.user.display_name || api.user.username} · ${api.user.team_name ?? "—"}`;
  let list = await self.tasksPrefetch;  // started by the page itself on a reopened app
  self.tasksPrefetch = null;
  try {
    list ??= await api.call("/api/v1/tasks");
    await remember("tasks", list);
  } catch (error) {
    if (error.status) throw error;
    list = (await recall("tasks")) ?? [];  // offline: the inbox as last seen
  }
  for (const task of list.reverse()) inbox.upsert(task, actions);
  list.filter((task) => ["accepted", "en_route", "intercepted"].includes(task.status)).forEach(keepForOffline);
  $("#empty").hidden = inbox.all().length > 0;
  await showPending();
  $("#duty").checked = api.user.on_duty !== false;
  connect().catch((error) => notice(error.message));
  config = await api.call("/api/v1/client-config").then((c) => remember("client-config", c).then(() => c))
    .catch(() => recall("client-config"));
  inbox.setAcceptWindow(config?.accept_within_s);
  api.call("/api/v1/teams/mine").then((team) => {
    remember("team", team);
    const others = team.members.filter((m) => !m.me);
    $("#partner").textContent = `${i18n.t("partner")}: ${others.map((m) => `${m.display_name}${m.on_duty ? "" : "（不在岗）"}`).join("、") || i18n.t("none")}`;
  }).catch(() => {});
  push.subscribe().catch(() => {});
}

// Logging out with steps or photos still waiting asks for a second tap: they stay on the phone, marked as
// this officer's, and are sent when this officer logs in again (never under another officer's name).
let logoutArmedAt = 0;
async function logout({ force = false, expired = false } = {}) {
  const waitingItems = (await outbox.pending().catch(() => [])).length;
  if (waitingItems && !force && Date.now() - logoutArmedAt > 8000) {
    logoutArmedAt = Date.now();
    notice(i18n.t("logout_pending", { n: waitingItems }), { sticky: true });
    return;
  }
  socket?.disconnect();
  const endpoint = push.endpoint();
  await push.unsubscribe().catch(() => {});
  await api.logout(endpoint);
  await forgetAll().catch(() => {});
  inbox.clear();
  queued.clear();
  serverCopy.clear();
  taskScreen.reset();
  location.hash = "";
  $("#inbox").hidden = true;
  $("#task").hidden = true;
  $("#login").hidden = false;
  if (expired) notice(i18n.t("login_again"), { sticky: true });
}

// #task/ID shows the task screen; anything else the inbox.
function route() {
  if (!api.loggedIn()) return;
  const match = location.hash.match(/^#task\/(\d+)$/);
  $("#back").hidden = !match;
  $("#inbox").hidden = Boolean(match);
  $("#task").hidden = !match;
  taskScreen.close();
  if (match) {
    taskScreen.open(Number(match[1]), actions, inbox.get(Number(match[1]))).catch((error) => {
      notice(error.message);
      location.hash = "";
    });
  }
  window.scrollTo(0, 0);
  update.offer();
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
$("#logout").addEventListener("click", () => logout());
$("#back").addEventListener("click", () => { location.hash = ""; });
window.addEventListener("hashchange", route);
window.addEventListener("online", () => sendQueued());
$("#duty").addEventListener("change", async (event) => {
  try {
    const answer = await api.call("/api/v1/push/duty", { method: "PUT", body: { on_duty: event.target.checked } });
    api.user.on_duty = answer.on_duty;
  } catch (error) {
    event.target.checked = !event.target.checked;
    notice(error.message);
  }
});
$("#lang").addEventListener("click", () => {
  i18n.toggle();
  for (const task of inbox.all()) inbox.render(task, actions);
  if (taskScreen.openId() && !taskScreen.busy()) route();  // never throw away a form being filled in
});
setInterval(inbox.tick, 1000);
i18n.apply();
geo.watch();
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/app/sw.js", { scope: "/app/" }).then(update.watch).catch(() => {});
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data?.type === "open-task" && event.data.id) actions.open(event.data.id);
    if (event.data?.type === "push-resubscribe" && api.loggedIn()) push.sync().catch(() => {});
  });
}
// Unsent items are retried every 20 s while online (the socket may stay up while the server failed).
setInterval(() => { if (api.loggedIn() && navigator.onLine && queued.size) sendQueued(); }, 20000);
if (api.loggedIn()) {
  showInbox().catch((error) => (error.status === 401 ? logout({ force: true, expired: true }) : notice(error.message)));
}
