import { api, errorBox, h, page } from "/admin/static/lib.js";

page({
  id: "tokens", title: "访问令牌", roles: ["admin"],
  async render(root) {
    const list = h("tbody");
    const out = h("div");
    async function refresh() {
      const rows = await api("/tokens");
      list.replaceChildren(...rows.map((t) => h("tr", {},
        h("td", {}, t.name), h("td", {}, t.role),
        h("td", {}, t.revoked ? "已吊销" : "有效"),
        h("td", { class: "muted" }, t.last_used_at || "从未使用"),
        h("td", {}, t.revoked ? "" : h("button", { class: "danger", onclick: async () => {
          try { await api(`/tokens/${encodeURIComponent(t.name)}`, { method: "DELETE" }); await refresh(); }
          catch (err) { out.replaceChildren(errorBox(err)); }
        } }, "吊销")))));
    }
    const name = h("input", { id: "token-name", placeholder: "名称，如 zhangwei" });
    const role = h("select", { id: "token-role" }, ["admin", "specialist", "viewer"].map((r) => h("option", { value: r }, r)));
    root.append(
      h("h1", {}, "访问令牌"),
      h("div", { class: "card" },
        h("table", {}, h("thead", {}, h("tr", {}, ["名称", "角色", "状态", "最近使用", ""].map((x) => h("th", {}, x)))), list)),
      h("form", { class: "card", onsubmit: async (e) => {
          e.preventDefault();
          try {
            const t = await api("/tokens", { method: "POST", body: { name: name.value.trim(), role: role.value } });
            out.replaceChildren(h("p", { class: "ok" }, "新令牌（只显示这一次）："), h("pre", {}, t.token));
            await refresh();
          } catch (err) { out.replaceChildren(errorBox(err)); }
        } },
        h("h2", {}, "新建令牌"), h("label", {}, "名称"), name, h("label", {}, "角色"), role,
        h("p", {}, h("button", { type: "submit" }, "创建")), out));
    await refresh();
  },
});
