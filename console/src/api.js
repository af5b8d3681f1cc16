// Talking to /api/v1: one place for the credentials, errors and paging.
import { reactive } from "vue";

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

// The session lives in an HttpOnly cookie the server set: shared by every tab, never
// readable here. A 401 anywhere means it ended (signed out elsewhere, expired, role removed).
function signedOut(message) {
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

async function request(path, { method = "GET", body, query, text, type, form } = {}) {
  const headers = {};
  let payload;
  if (form !== undefined) {
    payload = form; // multipart: the browser sets the boundary
  } else if (text !== undefined) {
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
  if (resp.status === 401 && !path.startsWith("/session") && session.me) {
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

// A list endpoint that answers {items, total, page, page_size} (customers, channel codes,
// media): the same shape as apiPage.
export async function apiItems(path, query) {
  const data = await api(path, { query });
  return { rows: (data && data.items) || [], total: (data && data.total) || 0 };
}

// A multipart upload (the media library).
export async function upload(path, form, query) {
  return api(path, { method: "POST", form, query });
}

// A file the server makes (CSV): fetched with the credentials, then saved by the browser.
export async function download(path, query, filename) {
  const { resp } = await fetch(url(path, query), { credentials: "same-origin" }).then(async (r) => {
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
  session.me = await api("/session", { method: "POST", body: { token } });
  session.notice = "";
}

// Back from WeCom's login page (?code=…&state=…): finish the login, then tidy the address.
async function finishWeComLogin() {
  const params = new URLSearchParams(location.search);
  const code = params.get("code");
  if (!code) return false;
  history.replaceState(null, "", location.pathname + location.hash);
  try {
    session.me = await api("/session/wecom", { method: "POST",
                                               body: { code, state: params.get("state") || "" } });
    session.notice = "";
  } catch (err) {
    session.notice = err.message;
  }
  return true;
}

export async function restore() {
  try {
    if (!(await finishWeComLogin())) session.me = await api("/me");
  } catch (err) {
    if (err.status !== 401) session.notice = err.message;
  } finally {
    session.ready = true;
  }
}

export async function wecomLogin(insideWeCom) {
  const urls = await api("/session/wecom");
  location.href = insideWeCom ? urls.oauth_url : urls.qr_url;
}

export async function signOut() {
  try { await api("/session", { method: "DELETE" }); } finally { signedOut(""); }
}
