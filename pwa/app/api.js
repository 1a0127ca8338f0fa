// The server API: bearer token kept for the session and refreshed when it expires, JSON in and out,
// errors as exceptions carrying the HTTP status (no status: the network failed).
let token = sessionStorage.getItem("token");
export let user = JSON.parse(sessionStorage.getItem("user") || "null");
let refreshing = null;

export function loggedIn() { return Boolean(token); }
export function accessToken() { return token; }

function keep(data) {
  token = data.access_token;
  sessionStorage.setItem("token", token);
  if (data.refresh_token) sessionStorage.setItem("refresh", data.refresh_token);
  if (data.user) {
    user = data.user;
    sessionStorage.setItem("user", JSON.stringify(user));
  }
}

// One refresh at a time, however many calls found the token expired.
function refresh() {
  const refreshToken = sessionStorage.getItem("refresh");
  if (!refreshToken) return Promise.resolve(false);
  refreshing ??= fetch("/api/v1/auth/refresh", {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ refresh_token: refreshToken }),
  }).then(async (response) => {
    if (!response.ok) return false;
    keep(await response.json());
    return true;
  }).finally(() => { refreshing = null; });
  return refreshing;
}

async function request(path, init, retry = true) {
  const response = await fetch(path, { ...init, headers: { ...init.headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) } });
  if (response.status === 401 && retry && token && await refresh()) return request(path, init, false);
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    throw Object.assign(new Error(data?.error || response.statusText), { status: response.status, data });
  }
  return data;
}

export function call(path, { method = "GET", body, headers = {} } = {}) {
  return request(path, {
    method, headers: { "Content-Type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

// A photo with the SHA-256 computed at capture; the server recomputes it and answers the first upload again.
export function upload(taskId, meta, blob) {
  const form = new FormData();
  for (const [key, value] of Object.entries(meta)) if (value !== null && value !== undefined) form.append(key, value);
  form.append("file", blob, `${meta.id}.jpg`);
  return request(`/api/v1/tasks/${taskId}/evidence`, { method: "POST", headers: {}, body: form });
}

export async function login(username, password) {
  keep(await call("/api/v1/auth/login", { method: "POST", body: { username, password } }));
  return user;
}

// Logging out revokes the refresh token and, given this device's push endpoint, its push subscription.
export async function logout(pushEndpoint = null) {
  const refreshToken = sessionStorage.getItem("refresh");
  const body = { refresh_token: refreshToken, ...(pushEndpoint ? { push_endpoint: pushEndpoint } : {}) };
  if (refreshToken) await call("/api/v1/auth/logout", { method: "POST", body }).catch(() => {});
  token = null;
  user = null;
  sessionStorage.clear();
}
