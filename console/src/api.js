// Talking to /api/v1: one place for the credentials, errors and paging.
import { reactive } from "vue";

const TOKEN_KEY = "wecom-bot-token";

// Who is signed in; App.vue shows the sign-in form while `me` is null.
export const session = reactive({ me: null, notice: "", ready: false });

export class ApiError extends Error {
  constructor(status, body) {
    const err = (body && body.error) || {};
    super(err.message || `请求失败（HTTP ${status}）`);
    this.status = status;
    this.code = err.code;
    this.field = err.field;
    this.problems = err.problems || [];
  }
}

export function setToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export const hasToken = () => Boolean(sessionStorage.getItem(TOKEN_KEY));

function signedOut(message) {
  setToken(null);
  session.me = null;
  session.notice = message;
}

function url(path, query) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  }
  const qs = params.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ""}`;
}

async function request(path, { method = "GET", body, query, text, type } = {}) {
  const headers = {};
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload;
  if (text !== undefined) {
    headers["Content-Type"] = type || "application/yaml";
    payload = text;
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const resp = await fetch(url(path, query), { method, headers, body: payload,
                                               credentials: "same-origin" });
  const raw = await resp.text();
  let data = null;
  try { data = raw ? JSON.parse(raw) : null; } catch { data = raw; }
  if (resp.status === 401 && path !== "/session") {
    signedOut("登录已失效，请重新登录");
    throw new ApiError(401, data);
  }
  if (!resp.ok) throw new ApiError(resp.status, data);
  return { resp, data, raw };
}

export async function api(path, options) {
  return (await request(path, options)).data;
}

// Text in and out (rule files are YAML or JSON).
export async function apiText(path, options) {
  return (await request(path, options)).raw;
}

// A list endpoint's page: its rows and the total from X-Total-Count.
export async function apiPage(path, query) {
  const { resp, data } = await request(path, { query });
  const total = Number(resp.headers.get("X-Total-Count") ?? (data || []).length);
  return { rows: data || [], total };
}

// A file the server makes (CSV): fetched with the credentials, then saved by the browser.
export async function download(path, query, filename) {
  const { resp } = await fetch(url(path, query), {
    headers: hasToken() ? { Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}` } : {},
    credentials: "same-origin",
  }).then(async (r) => {
    if (!r.ok) {
      let body = null;
      try { body = await r.json(); } catch { body = null; }
      throw new ApiError(r.status, body);
    }
    return { resp: r };
  });
  const blob = await resp.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 1000);
}

export async function signIn(token) {
  setToken(token);
  try {
    session.me = await api("/me");
    session.notice = "";
  } catch (err) {
    setToken(null);
    throw err;
  }
}

export async function restore() {
  try {
    if (hasToken()) session.me = await api("/me");
  } catch (err) {
    if (err.status !== 401) session.notice = err.message;
  } finally {
    session.ready = true;
  }
}

export function signOut() {
  signedOut("");
}
