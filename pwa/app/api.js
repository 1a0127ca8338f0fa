// The server API: bearer token kept for the session, JSON in and out, errors as exceptions with a status.
let token = sessionStorage.getItem("token");
export let user = JSON.parse(sessionStorage.getItem("user") || "null");

export function loggedIn() { return Boolean(token); }
export function accessToken() { return token; }

export async function call(path, { method = "GET", body, headers = {} } = {}) {
  const response = await fetch(path, {
    method,
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    throw Object.assign(new Error(data?.error || response.statusText), { status: response.status, data });
  }
  return data;
}

export async function login(username, password) {
  const data = await call("/api/v1/auth/login", { method: "POST", body: { username, password } });
  token = data.access_token;
  user = data.user;
  sessionStorage.setItem("token", token);
  sessionStorage.setItem("user", JSON.stringify(user));
  sessionStorage.setItem("refresh", data.refresh_token);
  return user;
}

export async function logout() {
  const refresh = sessionStorage.getItem("refresh");
  if (refresh) await call("/api/v1/auth/logout", { method: "POST", body: { refresh_token: refresh } }).catch(() => {});
  token = null;
  user = null;
  sessionStorage.clear();
}

// Every field action carries a client-generated id as its Idempotency-Key: a retry is applied once.
export function transition(taskId, body) {
  return call(`/api/v1/tasks/${taskId}/transitions`, {
    method: "POST", body, headers: { "Idempotency-Key": crypto.randomUUID() },
  });
}
