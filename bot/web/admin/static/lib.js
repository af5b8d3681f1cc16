// wecom-bot console: no build step, no framework. Every value shown goes through
// textContent (never innerHTML), and the token travels in a header, never a cookie.

const TOKEN_KEY = "wecom-bot-token";
const main = document.getElementById("main");

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "value") el.value = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export class ApiError extends Error {
  constructor(status, body) {
    const err = (body && body.error) || {};
    super(err.message || `HTTP ${status}`);
    this.status = status;
    this.code = err.code;
    this.field = err.field;
    this.problems = err.problems || [];
  }
}

export async function api(path, { method = "GET", body } = {}) {
  const headers = { Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY) || ""}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const resp = await fetch(`/api/v1${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await resp.text();
  const data = text ? JSON.parse(text) : null;
  if (resp.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    showSignIn("登录已失效，请重新输入令牌");
    throw new ApiError(401, data);
  }
  if (!resp.ok) throw new ApiError(resp.status, data);
  return data;
}

// Text in and out (rule files are YAML or JSON): same token header, same error handling.
export async function apiText(path, { method = "GET", text, type = "application/yaml" } = {}) {
  const headers = { Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY) || ""}` };
  if (text !== undefined) headers["Content-Type"] = type;
  const resp = await fetch(`/api/v1${path}`, { method, headers, body: text });
  const body = await resp.text();
  if (resp.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    showSignIn("登录已失效，请重新输入令牌");
  }
  if (!resp.ok) {
    let data = null;
    try { data = JSON.parse(body); } catch { data = null; }
    const err = new ApiError(resp.status, data);
    err.problems = (data && data.error && data.error.problems) || [];
    throw err;
  }
  return body;
}

// SVG for charts: attributes only (the CSP forbids inline style), text via text nodes.
const SVG_NS = "http://www.w3.org/2000/svg";
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// One page hands something to another (e.g. statistics → a prefilled rule in the editor).
export const handoff = {};

export function go(pageId) {
  if (location.hash === `#/${pageId}`) route();
  else location.hash = `#/${pageId}`;
}

// Problems of an invalid rule (400 invalid_rule): every one, with its field.
export function problemList(err) {
  const problems = err.problems && err.problems.length ? err.problems
    : [{ field: err.field, message: err.message }];
  return h("ul", { class: "problems error", role: "alert" }, problems.map((p) =>
    h("li", {}, p.field ? h("code", { class: "field" }, p.field) : "", p.field ? "：" : "",
      p.message)));
}

export function errorBox(err) {
  const where = err.field ? ` (${err.field})` : "";
  return h("div", { class: "error", role: "alert" }, `${err.message}${where}`);
}

// Pages register themselves here: { id, title, render(container, me) }.
export const pages = [];
export function page(def) { pages.push(def); }

let me = null;

function showSignIn(message) {
  me = null;
  document.getElementById("nav").replaceChildren();
  document.getElementById("who").textContent = "";
  const input = h("input", { id: "token", type: "password", autocomplete: "off",
                             placeholder: "wbt_…" });
  const out = h("div", { id: "signin-error" }, message ? errorBox({ message }) : "");
  const form = h("form", { class: "card", id: "signin", onsubmit: async (e) => {
      e.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, input.value.trim());
      try { await start(); } catch (err) { if (err.status !== 401) out.replaceChildren(errorBox(err)); }
    } },
    h("h1", {}, "登录控制台"),
    h("label", { for: "token" }, "访问令牌（wecom-bot admin create-token 生成）"),
    input, h("p", {}, h("button", { type: "submit" }, "登录")), out);
  main.replaceChildren(form);
}

const allowed = () => pages.filter((p) => !p.roles || p.roles.includes(me.role));

function renderNav(current) {
  const nav = document.getElementById("nav");
  nav.replaceChildren(...allowed().map((p) =>
    h("a", { href: `#/${p.id}`, class: p.id === current ? "active" : null }, p.title)));
  document.getElementById("who").textContent = `${me.name}（${me.role}）`;
}

async function route() {
  if (!me) return;
  const id = location.hash.replace(/^#\//, "").split("/")[0];
  const p = allowed().find((x) => x.id === id) || allowed()[0];
  renderNav(p.id);
  const container = h("section", { id: `page-${p.id}` });
  main.replaceChildren(container);
  try { await p.render(container, me); } catch (err) {
    if (err.status !== 401) container.append(errorBox(err));
  }
}

// WeCom's refusals only an operator can fix (trusted IP, agent_id), above every page.
async function showAlerts() {
  const box = document.getElementById("alerts");
  if (!me || !box) return;
  let found = [];
  try { found = (await api("/alerts")).alerts; } catch (err) { return; }
  box.replaceChildren(...found.map((a) => h("div", { class: "alert" },
    h("strong", {}, a.title), h("p", {}, a.fix),
    h("small", {}, `自 ${new Date(a.since).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" })}（北京时间）起`))));
}

let alertTimer = null;

async function start() {
  me = await api("/me");
  await route();
  await showAlerts();
  if (alertTimer === null) alertTimer = setInterval(showAlerts, 60_000);
}

window.addEventListener("hashchange", route);

export async function boot() {
  if (!sessionStorage.getItem(TOKEN_KEY)) { showSignIn(); return; }
  try { await start(); } catch (err) { if (err.status !== 401) showSignIn(err.message); }
}
