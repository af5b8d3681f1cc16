import { api, errorBox, h, page } from "/admin/static/lib.js";

const STATUS = { pending: "待发送", sent: "已发送", delivered: "已送达", failed: "失败", missed: "已错过" };

page({
  id: "notifications", title: "通知",
  async render(root, me) {
    const filter = h("select", { id: "notif-status" },
      h("option", { value: "" }, "全部"),
      Object.entries(STATUS).map(([v, l]) => h("option", { value: v }, l)));
    const body = h("tbody");
    const totals = h("p", { class: "muted", id: "notif-totals" });
    const out = h("div");
    const mayRetry = me.role !== "viewer";
    async function refresh() {
      const q = filter.value ? `?status=${encodeURIComponent(filter.value)}` : "";
      const [rows, stats] = await Promise.all([api(`/notifications${q}`), api("/stats/notifications")]);
      totals.textContent = Object.entries(stats.by_status).map(([s, n]) => `${STATUS[s] || s} ${n}`).join(" · ") || "还没有通知";
      body.replaceChildren(...rows.map((n) => h("tr", {},
        h("td", {}, String(n.id)), h("td", {}, n.api), h("td", {}, n.recipient), h("td", { class: "muted" }, n.ref || ""),
        h("td", {}, h("span", { class: "tag" }, STATUS[n.status] || n.status)), h("td", {}, String(n.attempts)),
        h("td", { class: "error" }, n.last_error || ""),
        h("td", {}, mayRetry && (n.status === "failed" || n.status === "missed")
          ? h("button", { class: "secondary", onclick: async () => {
              try { await api(`/notifications/${n.id}/retry`, { method: "POST" }); await refresh(); }
              catch (err) { out.replaceChildren(errorBox(err)); }
            } }, "重试") : ""))));
    }
    filter.addEventListener("change", () => refresh().catch((err) => out.replaceChildren(errorBox(err))));
    root.append(h("h1", {}, "通知投递"), totals,
      h("div", { class: "card" }, h("label", {}, "状态"), filter, out,
        h("table", {}, h("thead", {}, h("tr", {}, ["#", "接口", "收件人", "关联", "状态", "尝试", "错误", ""].map((x) => h("th", {}, x)))), body)));
    await refresh();
  },
});
