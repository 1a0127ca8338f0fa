// UI strings: Simplified Chinese by default, English on request (remembered on the device).
const ZH = {
  title: "治超执法", login: "登录", username: "用户名", password: "密码", signin: "登录", tasks: "任务",
  empty: "暂无任务", logout: "退出登录", accept: "接单", decline: "拒单", reason: "原因", failed: "登录失败",
  team: "中队", map: "地图", open: "查看任务", back: "返回", duty: "在岗（接收推送）", partner: "搭档",
  nopartner: "中队暂无其他在岗队员", pending: "{n} 条待发送", sending: "正在发送 {i}/{n}…",
  refused: "未执行：任务已变更", reassigned: "未执行：离线期间该任务已改派其他中队或已撤销",
  update: "新版本可用", reload: "更新", accept_in: "{t} 内接单", overdue: "已超过接单时限",
  en_route: "出发", intercepted: "已拦截车辆", missed: "未能拦截", inspecting: "开始检查", reweighed: "复检称重",
  disposed: "处置", source_traced: "源头倒查", closed: "结案",
  plate: "车牌", axles: "轴数", gross: "总重", limit: "限值", excess: "超限", rate: "超限率", site: "源头单位",
  weighed_at: "称重时间", snapshots: "抓拍", ticket: "磅单号", scale: "称重设备", target: "目标车辆",
  intercept: "拦截点", me: "我的位置", distance: "距离", eta: "预计", minutes: "分钟", km: "公里",
  steps: "执法记录", evidence: "证据", photo: "拍照", gallery: "相册", submit: "提交", cancel: "取消", confirm: "确认",
  confirm_step: "{who} 记录了「{step}」并将您列为搭档，请确认您在现场", confirmed: "已确认",
  awaiting: "等待搭档确认", place: "拦截地点", went: "车辆去向", credentials: "已向当事人出示执法证件",
  driver: "驾驶人姓名", statement: "驾驶人陈述", documents: "已查验证件（行驶证、驾驶证、运单）",
  gross_kg: "复检总重（kg）", axles_counted: "现场清点轴数", result: "复检结果", legal: "未超限",
  disposal: "处置方式", unloaded: "卸载/转运", seized: "扣押", released_with_penalty: "罚款后放行",
  unloaded_kg: "卸载重量（kg）", new_ticket: "卸载后磅单号", decision: "决定书编号", inventory: "扣押清单",
  item: "物品", quantity: "数量", unit: "单位", add_item: "增加一行", approved_by: "批准人",
  party_signed: "当事人已签字", refusal: "当事人拒签情况", penalty: "罚款（元）",
  backtrack: "源头倒查", open_case: "立案倒查", case_no: "案号", summary: "倒查情况", weighing_found: "源头有该车出场称重记录",
  truck_history: "该车近30日称重", site_overloads: "该单位近30日超限出场", departures: "出场 {n} 车次，其中超限 {m}",
  no_record: "源头无该车出场记录", none: "无", required: "请填写此项", offline_case: "离线：显示的是上次保存的任务信息",
  not_saved: "未能保存（手机存储不可用）", logout_pending: "还有 {n} 条未发送，退出后将保留在本机，待您再次登录后发送。再次点击“退出登录”确认",
  login_again: "登录已过期，请重新登录；未发送的记录已保留", notified: "新任务", sanction: "处罚", fine: "罚款 {n} 元", warning_only: "警告",
  kinds: { plate: "车牌", load: "货物", documents: "证件", credentials: "出示执法证", ticket: "磅单", unloading: "卸载",
           seizure: "扣押物品", record: "现场笔录", vehicle: "车辆", scale: "称重设备", driver: "驾驶人", other: "其他" },
  status: { dispatched: "待接单", accepted: "已接单", declined: "已拒单", en_route: "出警中", intercepted: "已拦截",
            missed: "未拦截", inspecting: "检查中", reweighed: "已复检", disposed: "已处置", source_traced: "已倒查",
            closed: "已结案", cancelled: "已撤销" },
};
const EN = {
  title: "Zhichao field", login: "Log in", username: "Username", password: "Password", signin: "Log in", tasks: "Tasks",
  empty: "No tasks", logout: "Log out", accept: "Accept", decline: "Decline", reason: "Reason", failed: "Login failed",
  team: "Team", map: "Map", open: "Open task", back: "Back", duty: "On duty (receive pushes)", partner: "Partner",
  nopartner: "No other officer of the team is on duty", pending: "{n} waiting to send", sending: "Sending {i}/{n}…",
  refused: "Not applied: the task changed meanwhile",
  reassigned: "Not applied: this task was reassigned to another team or cancelled while you were offline",
  update: "A new version is available", reload: "Update", accept_in: "accept within {t}", overdue: "acceptance overdue",
  en_route: "Set off", intercepted: "Truck stopped", missed: "Missed", inspecting: "Start inspection",
  reweighed: "Re-weigh", disposed: "Dispose", source_traced: "Source backtrack", closed: "Close",
  plate: "Plate", axles: "Axles", gross: "Gross", limit: "Limit", excess: "Excess", rate: "Overload", site: "Source site",
  weighed_at: "Weighed", snapshots: "Snapshots", ticket: "Ticket no.", scale: "Scale", target: "Target truck",
  intercept: "Interception point", me: "Me", distance: "Distance", eta: "ETA", minutes: "min", km: "km",
  steps: "Record", evidence: "Evidence", photo: "Take photo", gallery: "Gallery", submit: "Submit", cancel: "Cancel", confirm: "Confirm",
  confirm_step: "{who} recorded “{step}” naming you as partner: confirm you are there", confirmed: "Confirmed",
  awaiting: "Waiting for the partner's confirmation", place: "Where stopped", went: "Where the truck went",
  credentials: "Enforcement credentials shown to the driver", driver: "Driver's name", statement: "Driver's statement",
  documents: "Documents checked (vehicle licence, driving licence, waybill)", gross_kg: "Re-weighed gross (kg)",
  axles_counted: "Axles counted on the spot", result: "Result", legal: "within the limit",
  disposal: "Disposal", unloaded: "Unload / transship", seized: "Seize", released_with_penalty: "Fine and release",
  unloaded_kg: "Unloaded (kg)", new_ticket: "Ticket after unloading", decision: "Decision no.", inventory: "Inventory",
  item: "Item", quantity: "Qty", unit: "Unit", add_item: "Add a line", approved_by: "Approved by",
  party_signed: "Signed by the party", refusal: "Party's refusal to sign", penalty: "Fine (yuan)",
  backtrack: "Source backtrack", open_case: "Open backtrack case", case_no: "Case no.", summary: "Findings",
  weighing_found: "The site recorded this departure", truck_history: "This truck, last 30 days",
  site_overloads: "This site's overloaded departures, last 30 days", departures: "{n} departures, {m} overloaded",
  no_record: "The site has no record of this departure", none: "none", required: "Required",
  offline_case: "Offline: showing the task as last saved", not_saved: "Not saved (the phone's storage is unavailable)",
  logout_pending: "{n} items are not sent yet; they stay on this phone and go out when you log in again. Tap “Log out” again to confirm",
  login_again: "Your login expired: log in again; unsent items are kept", notified: "New task", sanction: "Sanction",
  fine: "fine {n} yuan", warning_only: "warning",
  kinds: { plate: "plate", load: "load", documents: "documents", credentials: "credentials shown", ticket: "weigh ticket",
           unloading: "unloading", seizure: "seized goods", record: "on-site record", vehicle: "vehicle", scale: "scale",
           driver: "driver", other: "other" },
  status: { dispatched: "dispatched", accepted: "accepted", declined: "declined", en_route: "en route",
            intercepted: "intercepted", missed: "missed", inspecting: "inspecting", reweighed: "re-weighed",
            disposed: "disposed", source_traced: "source traced", closed: "closed", cancelled: "cancelled" },
};

export let lang = localStorage.getItem("lang") || "zh";

export function t(key, values = {}) {
  const text = (lang === "en" ? EN : ZH)[key] ?? ZH[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
}

export function kindLabel(kind) {
  return (lang === "en" ? EN : ZH).kinds[kind] ?? kind;
}

export function statusLabel(status) {
  return (lang === "en" ? EN : ZH).status[status] ?? status;
}

export function apply() {
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  document.querySelectorAll("[data-i18n-label]").forEach((el) => el.setAttribute("aria-label", t(el.dataset.i18nLabel)));
  document.querySelector("#lang").textContent = lang === "en" ? "中文" : "EN";
}

export function toggle() {
  lang = lang === "en" ? "zh" : "en";
  localStorage.setItem("lang", lang);
  apply();
}
