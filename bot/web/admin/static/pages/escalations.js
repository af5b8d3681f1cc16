import { api, errorBox, h, page } from "/admin/static/lib.js";

const STATUS = { open: "待认领", claimed: "处理中", resolved: "已解决" };
const REASON = { rule: "规则", unmatched: "连续未识别", menu: "菜单", budget: "消息额度", archive: "会话存档" };
const CHANNEL = { kefu: "微信客服", archive: "会话存档" };
const fmt = (iso) => (iso ? new Date(iso).toLocaleString("zh-CN", { hour12: false }) : "");
const since = (iso) => {
  const min = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60000));
  return min < 60 ? `${min} 分钟前` : min < 1440 ? `${Math.round(min / 60)} 小时前` : `${Math.round(min / 1440)} 天前`;
};

// The escalation inbox: specialists claim and resolve what customers escalated.
page({
  id: "escalations", title: "转人工", roles: ["admin", "specialist"],
  async render(root, me) {
    let status = "open";
    const tabs = h("p", { class: "tabs", id: "esc-tabs" });
    const as = h("input", { id: "esc-as", placeholder: `以此企业微信账号处理（默认 ${me.name}）` });
    const list = h("div", { id: "esc-list" });
    const out = h("div");
    const counts = {};

    function drawTabs() {
      tabs.replaceChildren(...Object.entries(STATUS).map(([s, label]) => h("button", {
        type: "button", class: s === status ? "" : "secondary", "data-status": s,
        onclick: () => { status = s; refresh().catch(show); } },
      `${label}${counts[s] === undefined ? "" : ` (${counts[s]})`}`)).flatMap((b) => [b, " "]));
    }
    const show = (err) => out.replaceChildren(errorBox(err));

    async function act(e, verb) {
      const body = as.value.trim() ? { userid: as.value.trim() } : {};
      let done = null;
      try {
        await api(`/escalations/${e.id}/${verb}`, { method: "POST", body });
        done = h("p", { class: "ok" }, `#${e.id} ${verb === "claim" ? "已认领" : "已解决"}`);
      } catch (err) { show(err); }
      await refresh();
      if (done) out.replaceChildren(done);  // once the list shows the change
    }

    async function messages(e, box) {
      const rows = await api(`/escalations/${e.id}/messages`);
      box.replaceChildren(rows.length ? h("div", { class: "chat short" }, rows.map((m) =>
        h("div", { class: `bubble ${m.direction === "in" ? "me" : "bot"}` },
          m.content || `[${m.msgtype}]`, h("span", { class: "muted when" }, ` ${fmt(m.at)}`))))
        : h("p", { class: "muted" }, "没有消息记录"));
    }

    function card(e) {
      const box = h("div", { class: "esc-messages" });
      const who = e.customer || e.external_userid || e.chat_id || "（未知客户）";
      return h("div", { class: "card esc", "data-esc": e.id },
        h("p", {}, h("strong", { class: "esc-customer" }, who), " ",
          h("span", { class: "tag" }, STATUS[e.status] || e.status), " ",
          h("span", { class: "muted" }, `#${e.id} · ${CHANNEL[e.channel] || e.channel} · ${since(e.created_at)}`)),
        h("p", {}, "原因：", REASON[e.reason] || e.reason, e.rule_id ? ["（规则 ", h("code", {}, e.rule_id), "）"] : "",
          e.order_no ? [" · 订单 ", h("a", { href: `#/orders/${encodeURIComponent(e.order_no)}` }, h("code", {}, e.order_no))] : "",
          e.servicer_userid ? ` · 分配给 ${e.servicer_userid}` : e.queued ? " · 排队中" : "",
          e.claimed_by ? ` · ${e.claimed_by} 认领于 ${fmt(e.claimed_at)}` : "",
          e.resolved_by ? ` · ${e.resolved_by} 解决于 ${fmt(e.resolved_at)}` : "",
          e.raised_to ? ` · 已上报 ${e.raised_to}` : ""),
        h("p", { class: "toolbar" },
          e.status === "open" ? h("button", { type: "button", class: "esc-claim", onclick: () => act(e, "claim") }, "认领") : "",
          e.status !== "resolved" ? h("button", { type: "button", class: "secondary esc-resolve", onclick: () => act(e, "resolve") }, "标记解决") : "",
          h("button", { type: "button", class: "secondary esc-show", onclick: () => messages(e, box).catch(show) }, "最近消息")),
        box);
    }

    async function refresh() {
      const [rows, all] = await Promise.all([api(`/escalations?status=${status}`), api("/escalations/counts")]);
      Object.keys(STATUS).forEach((s) => { counts[s] = all[s]; });
      drawTabs();
      list.replaceChildren(...(rows.length ? rows.map(card) : [h("p", { class: "muted" }, "这里没有转人工记录")]));
    }

    root.append(h("h1", {}, "转人工收件箱"), tabs, h("div", { class: "card" }, h("label", { for: "esc-as" }, "处理人"), as), out, list);
    drawTabs();
    await refresh();
    // New escalations appear without reloading; stops once the page is left.
    const timer = setInterval(() => {
      if (!document.body.contains(root)) { clearInterval(timer); return; }
      if (!list.querySelector(".esc-messages > *")) refresh().catch(show);
    }, 15000);
  },
});
