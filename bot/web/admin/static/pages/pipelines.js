import { api, errorBox, h, page } from "/admin/static/lib.js";

// Delivery pipelines per order type: the stages, their expected durations and the milestone
// notice templates for the team and the customer.
page({
  id: "pipelines", title: "里程碑模板",
  async render(root, me) {
    const admin = me.role === "admin";
    const pick = h("select", { id: "pipeline-type" });
    const name = h("input", { id: "pipeline-new", placeholder: "新订单类型，如 kitchen" });
    const editor = h("textarea", { id: "pipeline-json", rows: 22, spellcheck: "false" });
    const out = h("div", { id: "pipeline-out" });
    const table = h("tbody", { id: "pipeline-stages" });
    let all = [];

    function show(p) {
      editor.value = JSON.stringify({ stages: p.stages }, null, 2);
      table.replaceChildren(...p.stages.map((s, i) => h("tr", {},
        h("td", {}, String(i + 1)), h("td", {}, s.name), h("td", {}, `${s.expected_days} 天`),
        h("td", { class: "muted" }, s.team_template), h("td", { class: "muted" }, s.customer_template))));
    }
    async function refresh(selected) {
      all = await api("/pipelines");
      pick.replaceChildren(...all.map((p) => h("option", { value: p.order_type }, p.order_type)));
      const current = all.find((p) => p.order_type === selected) || all[0];
      if (current) { pick.value = current.order_type; show(current); }
    }
    pick.addEventListener("change", () => show(all.find((p) => p.order_type === pick.value)));

    const save = h("form", { id: "pipeline-form", onsubmit: async (e) => {
        e.preventDefault();
        const type = name.value.trim() || pick.value;
        let body;
        try { body = JSON.parse(editor.value); } catch (err) {
          out.replaceChildren(errorBox({ message: `不是合法的 JSON：${err.message}` }));
          return;
        }
        try {
          await api(`/pipelines/${encodeURIComponent(type)}`, { method: "PUT", body });
          name.value = "";
          await refresh(type);  // "saved" only once the list shows the saved type
          out.replaceChildren(h("p", { class: "ok" }, `已保存「${type}」`));
        } catch (err) { out.replaceChildren(errorBox(err)); }
      } },
      h("label", { for: "pipeline-json" }, "阶段（JSON）：name、expected_days、team_template、customer_template；模板变量如 {order_no} {stage} {note} {next_stage}"),
      editor,
      admin ? [h("label", { for: "pipeline-new" }, "另存为新的订单类型（留空则保存当前类型）"), name,
               h("p", {}, h("button", { type: "submit" }, "保存"))] : "",
      out);

    root.append(h("h1", {}, "里程碑模板"),
      h("div", { class: "card" }, h("label", { for: "pipeline-type" }, "订单类型"), pick,
        h("table", {}, h("thead", {}, h("tr", {}, ["#", "阶段", "预计", "团队通知", "客户通知"].map((x) => h("th", {}, x)))), table)),
      h("div", { class: "card" }, save));
    await refresh();
  },
});
