// Landing page: log in, then watch the warnings the caller may see (polling until the live PWA lands).
const TEXT = {
  en: { tagline: "Source-to-road overload enforcement", login: "Log in", username: "Username", password: "Password",
        signin: "Log in", "demo-hint": "Demo users: commander, officer1…officer4, auditor, admin; password demo.",
        warnings: "Warnings", live: "Refreshes every 5 seconds", logout: "Log out", links: "API and docs",
        "officer-app": "Officer app for phones (log in as officer1…officer4)",
        docs: "Interactive API docs (OpenAPI)", health: "Health check", none: "No warnings yet.",
        team: "team", failed: "Login failed" },
};
let lang = localStorage.getItem("lang") || "zh";
let token = sessionStorage.getItem("token");
let timer = null;
const $ = (sel) => document.querySelector(sel);

function t(key, fallback) { return lang === "en" ? (TEXT.en[key] ?? fallback) : fallback; }

function translate() {
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  document.querySelectorAll("[data-i18n]").forEach((el) => {
    el.dataset.zh ??= el.textContent;
    el.textContent = t(el.dataset.i18n, el.dataset.zh);
  });
  $("#lang").textContent = lang === "en" ? "中文" : "English";
}

async function api(path, options = {}) {
  const headers = { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) };
  const response = await fetch(path, { ...options, headers });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(body.error || response.statusText), { status: response.status });
  return body;
}

function render(warnings) {
  const list = $("#warnings");
  list.replaceChildren();
  if (!warnings.length) {
    list.append(Object.assign(document.createElement("li"), { textContent: t("none", "暂无预警。") }));
    return;
  }
  for (const w of warnings) {
    const li = document.createElement("li");
    li.className = w.kind;
    const title = Object.assign(document.createElement("div"), { textContent: w.title });
    const meta = Object.assign(document.createElement("div"), {
      className: "meta",
      textContent: `#${w.id} · ${new Date(w.raised_at).toLocaleString(lang === "en" ? "en-GB" : "zh-CN")} · ` +
        `${t("team", "中队")} ${w.team_id ?? "—"} · ${w.status}`,
    });
    li.append(title, meta);
    list.append(li);
  }
}

async function refresh() {
  try {
    render(await api("/api/v1/warnings?limit=30"));
  } catch (error) {
    if (error.status === 401) logout();
  }
}

function showWarnings(user) {
  $("#login-card").hidden = true;
  $("#warnings-card").hidden = false;
  $("#who").textContent = user ? `· ${user.display_name || user.username}` : "";
  refresh();
  timer = setInterval(refresh, 5000);
}

function logout() {
  token = null;
  sessionStorage.removeItem("token");
  clearInterval(timer);
  $("#login-card").hidden = false;
  $("#warnings-card").hidden = true;
}

$("#login").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    const body = await api("/api/v1/auth/login", {
      method: "POST", body: JSON.stringify({ username: form.get("username"), password: form.get("password") }),
    });
    token = body.access_token;
    sessionStorage.setItem("token", token);
    $("#login-error").textContent = "";
    showWarnings(body.user);
  } catch (error) {
    $("#login-error").textContent = `${t("failed", "登录失败")}: ${error.message}`;
  }
});
$("#logout").addEventListener("click", logout);
$("#lang").addEventListener("click", () => {
  lang = lang === "en" ? "zh" : "en";
  localStorage.setItem("lang", lang);
  translate();
});
translate();
if (token) api("/api/v1/auth/me").then(showWarnings).catch(logout);
