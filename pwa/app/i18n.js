// UI strings: Simplified Chinese by default, English on request (remembered on the device).
const EN = {
  title: "Zhichao field", login: "Log in", username: "Username", password: "Password", signin: "Log in",
  tasks: "Tasks", empty: "No tasks", logout: "Log out", accept: "Accept", decline: "Decline",
  reason: "Reason for declining", failed: "Login failed", team: "Team", map: "Map",
  en_route: "Set off", intercepted: "Truck stopped", pending: "{n} waiting to send",
  refused: "Not applied: the task changed meanwhile", duty: "On duty (receive pushes)",
  reassigned: "Not applied: this task was reassigned to another team or cancelled while you were offline",
  status: { dispatched: "dispatched", accepted: "accepted", declined: "declined", en_route: "en route",
            intercepted: "intercepted", missed: "missed", inspecting: "inspecting", reweighed: "re-weighed",
            disposed: "disposed", source_traced: "source traced", closed: "closed", cancelled: "cancelled" },
};
const ZH = {
  failed: "登录失败", accept: "接单", decline: "拒单", reason: "拒单原因", team: "中队", map: "地图",
  en_route: "出发", intercepted: "已拦截车辆", pending: "{n} 条待发送", refused: "未执行：任务已变更",
  reassigned: "未执行：离线期间该任务已改派其他中队或已撤销",
  status: { dispatched: "待接单", accepted: "已接单", declined: "已拒单", en_route: "出警中", intercepted: "已拦截",
            missed: "未拦截", inspecting: "检查中", reweighed: "已复检", disposed: "已处置", source_traced: "已倒查",
            closed: "已结案", cancelled: "已撤销" },
};

export let lang = localStorage.getItem("lang") || "zh";

export function t(key) {
  const table = lang === "en" ? EN : ZH;
  return table[key] ?? EN[key] ?? key;
}

export function statusLabel(status) {
  return (lang === "en" ? EN : ZH).status[status] ?? status;
}

export function apply() {
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  document.querySelectorAll("[data-i18n]").forEach((el) => {
    el.dataset.zh ??= el.textContent;
    el.textContent = lang === "en" ? (EN[el.dataset.i18n] ?? el.dataset.zh) : el.dataset.zh;
  });
  document.querySelector("#lang").textContent = lang === "en" ? "中文" : "EN";
}

export function toggle() {
  lang = lang === "en" ? "zh" : "en";
  localStorage.setItem("lang", lang);
  apply();
}
