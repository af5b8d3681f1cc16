import { api, go, h, handoff, page, svg } from "/admin/static/lib.js";

const NOTIF = { pending: "待发送", sent: "已发送", delivered: "已送达", failed: "失败", missed: "已错过" };
const ESC = { open: "待认领", claimed: "处理中", resolved: "已解决" };
const WELCOME = { sent: "已发送", missed: "超时未发", already_sent: "已被发过", concurrent: "其他应用在发",
                  no_code: "无 welcome_code", failed: "失败", pending: "发送中" };
const KIND = { contact: "添加客户", kefu: "微信客服" };

// Today as a China Standard Time day (statistics days are CST days).
function cstDay(offsetDays = 0) {
  return new Date(Date.now() + 8 * 3600e3 + offsetDays * 86400e3).toISOString().slice(0, 10);
}

// A line chart of one series over days: polyline, dots with titles, axis labels.
function lineChart(id, days, values) {
  const W = 960, H = 220, L = 40, B = 28, T = 12, R = 24;
  const max = Math.max(2, Math.ceil(Math.max(...values) / 2) * 2);  // integer ticks
  const x = (i) => L + (days.length > 1 ? (i * (W - L - R)) / (days.length - 1) : (W - L - R) / 2);
  const y = (v) => T + (H - T - B) * (1 - v / max);
  const every = Math.ceil(days.length / 10);
  return svg("svg", { id, class: "chart", viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img" },
    [0, 0.5, 1].map((f) => [
      svg("line", { x1: L, x2: W - R, y1: y(max * f), y2: y(max * f), class: "grid" }),
      svg("text", { x: L - 6, y: y(max * f) + 4, "text-anchor": "end", class: "axis" }, String(Math.round(max * f)))]),
    svg("polyline", { class: "line", fill: "none", points: values.map((v, i) => `${x(i)},${y(v)}`).join(" ") }),
    values.map((v, i) => svg("circle", { cx: x(i), cy: y(v), r: 3.5, class: "dot", "data-day": days[i], "data-value": v },
      svg("title", {}, `${days[i]}：${v}`))),
    days.map((d, i) => (i % every === 0 || i === days.length - 1
      ? svg("text", { x: x(i), y: H - 8, "text-anchor": "middle", class: "axis" }, d.slice(5)) : "")));
}

// Horizontal bars: [{label, value, onclick?}], labels drawn as SVG text (text nodes).
function barChart(id, items, { unit = "" } = {}) {
  const W = 520, row = 26, L = 140, R = 50;
  const H = Math.max(row, items.length * row) + 4;
  const max = Math.max(1, ...items.map((i) => i.value));
  return svg("svg", { id, class: "chart", viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img" },
    items.map((it, i) => svg("g", { class: it.onclick ? "bar clickable" : "bar", onclick: it.onclick, "data-label": it.label },
      svg("text", { x: L - 8, y: i * row + 17, "text-anchor": "end", class: "label" },
        it.label.length > 18 ? `${it.label.slice(0, 17)}…` : it.label),
      svg("rect", { x: L, y: i * row + 5, height: row - 10, width: Math.max(1, ((W - L - R) * it.value) / max), rx: 3,
                    class: `fill ${it.kind || ""}` }),
      svg("text", { x: L + ((W - L - R) * it.value) / max + 6, y: i * row + 17, class: "value" }, `${it.value}${unit}`),
      svg("title", {}, `${it.label}：${it.value}${unit}`))));
}

const figure = (label, value, id) => h("div", { class: "figure", id },
  h("div", { class: "figure-value" }, value === null || value === undefined ? "—" : String(value)),
  h("div", { class: "muted" }, label));

page({
  id: "stats", title: "统计",
  async render(root, me) {
    const range = h("select", { id: "stats-range" }, [7, 14, 30, 90].map((n) =>
      h("option", { value: n, selected: n === 14 }, `最近 ${n} 天`)));
    const body = h("div");
    root.append(h("h1", {}, "统计"), h("p", {}, range), body);

    async function draw() {
      const n = Number(range.value);
      const q = `?since=${cstDay(-(n - 1))}&until=${cstDay()}`;
      const [rules, unanswered, esc, welcome, notif, contacts] = await Promise.all([
        api(`/stats/rules${q}&limit=10`), api(`/stats/unanswered${q}&limit=20`),
        api(`/stats/escalations${q}`), api(`/stats/welcome${q}`), api("/stats/notifications"),
        api(`/stats/contacts${q}`)]);

      const topItems = rules.rules.map((r) => ({ label: r.rule_id, value: r.hits,
        onclick: () => go(`rules/${encodeURIComponent(r.rule_id)}`) }));
      const mayMake = me.role === "admin";
      const unansweredRows = unanswered.groups.map((g) => h("tr", { "data-normalized": g.normalized },
        h("td", { class: "num" }, String(g.count)), h("td", {}, g.example),
        h("td", { class: "muted" }, g.normalized),
        h("td", {}, mayMake ? h("button", { type: "button", class: "secondary small make-rule", onclick: () => {
          handoff.rule = g.suggestion;
          go("rules");
        } }, "生成规则") : "")));

      const welcomeRows = Object.entries(welcome.by_kind).map(([kind, outcomes]) => h("tr", {},
        h("td", {}, KIND[kind] || kind),
        h("td", {}, Object.entries(outcomes).map(([o, c]) => h("span", { class: `tag ${o === "sent" ? "" : "off"}` }, `${WELCOME[o] || o} ${c}`)).flatMap((x) => [x, " "]))));

      const contactRows = Object.entries(contacts.by_channel_code).map(([code, n]) => h("tr", { "data-code": code },
        h("td", {}, code || "（无渠道码）"), h("td", { class: "num" }, String(n.added)),
        h("td", { class: "num" }, String(n.lost)), h("td", { class: "num" }, String(n.deleted))));

      body.replaceChildren(
        h("div", { class: "card" }, h("h2", {}, `规则命中（共 ${rules.total_hits} 次）`),
          lineChart("chart-hits", rules.days, rules.total_per_day)),
        h("div", { class: "row" },
          h("div", { class: "card col" }, h("h2", {}, "命中最多的规则"),
            topItems.length ? barChart("chart-top", topItems) : h("p", { class: "muted" }, "这段时间没有命中")),
          h("div", { class: "card col" }, h("h2", {}, "通知投递"),
            Object.keys(notif.by_status).length
              ? barChart("chart-notif", Object.entries(notif.by_status).map(([s, c]) => ({ label: NOTIF[s] || s, value: c, kind: s })))
              : h("p", { class: "muted" }, "还没有通知"))),
        h("div", { class: "card", id: "stats-unanswered" }, h("h2", {}, `未回答的问题（共 ${unanswered.total} 条）`),
          unansweredRows.length ? h("table", {}, h("thead", {}, h("tr", {}, ["次数", "最近的原话", "归一化", ""].map((x) => h("th", {}, x)))),
            h("tbody", {}, unansweredRows)) : h("p", { class: "muted" }, "没有未回答的问题")),
        h("div", { class: "card", id: "stats-escalations" }, h("h2", {}, `转人工（共 ${esc.total} 次）`),
          h("div", { class: "figures" },
            figure("认领用时中位数（分钟）", esc.to_claim.median_minutes, "fig-claim-median"),
            figure("认领用时 P90（分钟）", esc.to_claim.p90_minutes, "fig-claim-p90"),
            figure("解决用时中位数（分钟）", esc.to_resolve.median_minutes, "fig-resolve-median"),
            figure("解决用时 P90（分钟）", esc.to_resolve.p90_minutes, "fig-resolve-p90"),
            figure("再次提醒", esc.renotified, "fig-renotified"),
            figure("上报主管", esc.raised, "fig-raised"),
            figure("最久未认领（分钟）", esc.open_oldest_minutes, "fig-oldest")),
          esc.total ? barChart("chart-esc", Object.entries(ESC).map(([s, label]) => ({ label, value: esc.by_status[s] || 0, kind: s }))) : ""),
        h("div", { class: "card" }, h("h2", {}, `欢迎语（共 ${welcome.total} 次）`),
          welcomeRows.length ? h("table", {}, h("tbody", {}, welcomeRows)) : h("p", { class: "muted" }, "还没有欢迎语记录")),
        h("div", { class: "card", id: "stats-contacts" }, h("h2", {}, "客户增减"),
          h("div", { class: "figures" },
            figure("新增客户", contacts.total.added, "fig-added"),
            figure("流失（客户删除员工）", contacts.total.lost, "fig-lost"),
            figure("员工删除客户", contacts.total.deleted, "fig-deleted")),
          contactRows.length ? h("table", {}, h("thead", {}, h("tr", {}, ["渠道码", "新增", "流失", "被删除"].map((x) => h("th", {}, x)))),
            h("tbody", {}, contactRows)) : ""));
    }
    range.addEventListener("change", () => draw().catch((err) => body.replaceChildren(h("div", { class: "error" }, err.message))));
    await draw();
  },
});
