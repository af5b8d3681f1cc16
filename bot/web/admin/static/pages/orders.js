import { api, errorBox, h, page } from "/admin/static/lib.js";

const NOTIF = { pending: "待发送", sent: "已发送", delivered: "已送达", failed: "失败", missed: "已错过",
                skipped: "已跳过" };
const CHANNEL = { app: "应用消息", group: "客户群", kefu: "微信客服" };
const PAGE = 50;
const fmt = (iso) => (iso ? new Date(iso).toLocaleString("zh-CN", { hour12: false }) : "");
const statusClass = (s) => (s === "failed" || s === "missed" ? "tag off error" : "tag");

// Orders with filters, and one order's timeline: every milestone and every notification's state.
page({
  id: "orders", title: "订单",
  async render(root, me) {
    const mayWrite = me.role === "admin";
    let offset = 0;
    const stage = h("select", { id: "order-stage" }, h("option", { value: "" }, "全部阶段"));
    const specialist = h("input", { id: "order-specialist", placeholder: "专员账号，如 zhangwei" });
    const overdue = h("select", { id: "order-overdue" }, h("option", { value: "" }, "全部"),
      h("option", { value: "true" }, "只看超期"), h("option", { value: "false" }, "未超期"));
    const listBody = h("tbody", { id: "order-list" });
    const pager = h("p", { class: "muted", id: "order-pager" });
    const detail = h("div", { id: "order-detail" });
    const out = h("div");
    const show = (err) => { if (err.status !== 401) out.replaceChildren(errorBox(err)); };

    try {
      const pipelines = await api("/pipelines");
      const names = [...new Set(pipelines.flatMap((p) => p.stages.map((s) => s.name)))];
      stage.append(...names.map((n) => h("option", { value: n }, n)));
    } catch (err) { show(err); }

    async function refresh() {
      const q = new URLSearchParams({ limit: PAGE, offset });
      if (stage.value) q.set("stage", stage.value);
      if (specialist.value.trim()) q.set("specialist", specialist.value.trim());
      if (overdue.value) q.set("overdue", overdue.value);
      const res = await api(`/orders?${q}`);
      out.replaceChildren();
      listBody.replaceChildren(...res.orders.map((o) => h("tr", { class: "clickable", "data-order": o.order_no,
          onclick: () => openOrder(o.order_no).catch(show) },
        h("td", {}, h("code", {}, o.order_no)),
        h("td", {}, o.customer.name || o.customer.external_userid || ""),
        h("td", {}, o.stage || h("span", { class: "muted" }, "未开始"), o.next_stage ? h("span", { class: "muted" }, ` → ${o.next_stage}`) : ""),
        h("td", {}, o.team.specialist),
        h("td", {}, o.overdue ? h("span", { class: "tag off error" }, "超期") : ""),
        h("td", {}, o.group_chat_id ? "已绑定" : h("span", { class: "muted" }, "未建群")))));
      if (!res.orders.length) listBody.append(h("tr", {}, h("td", { colspan: 6, class: "muted" }, "没有符合条件的订单")));
      pager.replaceChildren(`共 ${res.total} 个，第 ${res.total ? offset + 1 : 0}–${offset + res.orders.length} 个 `,
        offset > 0 ? h("button", { type: "button", class: "secondary small", onclick: () => { offset = Math.max(0, offset - PAGE); refresh().catch(show); } }, "上一页") : "",
        " ",
        offset + PAGE < res.total ? h("button", { type: "button", class: "secondary small", onclick: () => { offset += PAGE; refresh().catch(show); } }, "下一页") : "");
    }

    async function openOrder(orderNo) {
      const t = await api(`/orders/${encodeURIComponent(orderNo)}/timeline`);
      const o = t.order;
      const team = [["专员", o.team.specialist], ["设计师", o.team.designer], ["安装师傅", o.team.installer],
        ["其他", (o.team.others || []).join(", ")]].filter(([, v]) => v);
      const milestone = h("input", { id: "milestone-name", placeholder: o.next_stage || "里程碑" });
      const note = h("input", { id: "milestone-note", placeholder: "备注（可选）" });
      const msOut = h("div");
      detail.replaceChildren(h("div", { class: "card" },
        h("h2", {}, `订单 ${o.order_no}`),
        h("p", {}, "客户：", o.customer.name || "", o.customer.external_userid ? h("span", { class: "muted" }, ` ${o.customer.external_userid}`) : "",
          " · 阶段：", o.stage || "未开始", o.stage_since ? h("span", { class: "muted" }, `（自 ${fmt(o.stage_since)}）`) : "",
          o.overdue ? [" ", h("span", { class: "tag off error" }, "超期")] : ""),
        h("p", {}, team.map(([k, v]) => `${k} ${v}`).join(" · "), o.group_chat_id ? ` · 客户群 ${o.group_chat_id}` : ""),
        mayWrite ? h("form", { class: "inline", id: "milestone-form", onsubmit: async (e) => {
            e.preventDefault();
            const name = milestone.value.trim() || o.next_stage;
            if (!name) return;
            try {
              await api(`/orders/${encodeURIComponent(o.order_no)}/milestones`, { method: "POST", body: {
                milestone: name, event_id: `console-${o.order_no}-${Date.now()}`, note: note.value.trim() || null } });
              await refresh();
              await openOrder(o.order_no);
            } catch (err) { msOut.replaceChildren(errorBox(err)); }
          } }, h("label", { for: "milestone-name" }, "记录里程碑"), milestone, note,
          h("p", {}, h("button", { type: "submit" }, "记录并通知")), msOut) : "",
        h("h2", {}, "时间线"),
        h("ol", { class: "timeline", id: "order-timeline" }, t.entries.map((e) => h("li", { "data-kind": e.kind },
          h("p", {}, h("strong", {}, e.milestone ? e.milestone.milestone : e.kind),
            h("span", { class: "muted" }, ` ${fmt(e.at)}`),
            e.milestone ? h("span", { class: "muted" }, ` · ${e.milestone.source} ${e.milestone.actor}${e.milestone.forced ? " · 强制" : ""}`) : "",
            e.milestone && e.milestone.note ? h("span", {}, ` · ${e.milestone.note}`) : ""),
          e.notifications.length ? h("table", { class: "notifications" }, h("tbody", {}, e.notifications.map((n) => h("tr", {},
            h("td", {}, CHANNEL[n.channel] || n.channel), h("td", {}, n.recipient),
            h("td", {}, h("span", { class: statusClass(n.status), "data-status": n.status }, NOTIF[n.status] || n.status)),
            h("td", { class: "muted" }, n.attempts ? `${n.attempts} 次尝试` : ""),
            h("td", { class: n.error ? "error" : "muted" }, n.error || n.detail || ""))))) : "")))));
      detail.scrollIntoView({ block: "nearest" });
    }

    const filter = () => { offset = 0; refresh().catch(show); };
    stage.addEventListener("change", filter);
    overdue.addEventListener("change", filter);
    specialist.addEventListener("change", filter);

    root.append(h("h1", {}, "订单"), out,
      h("div", { class: "card" },
        h("div", { class: "row filters" },
          h("div", { class: "col" }, h("label", { for: "order-stage" }, "阶段"), stage),
          h("div", { class: "col" }, h("label", { for: "order-specialist" }, "专员"), specialist),
          h("div", { class: "col" }, h("label", { for: "order-overdue" }, "超期"), overdue)),
        h("table", {}, h("thead", {}, h("tr", {}, ["订单号", "客户", "阶段", "专员", "", "客户群"].map((x) => h("th", {}, x)))), listBody),
        pager),
      detail);
    await refresh();
    const wanted = location.hash.split("/")[2];
    if (wanted) await openOrder(decodeURIComponent(wanted)).catch(show);
  },
});
