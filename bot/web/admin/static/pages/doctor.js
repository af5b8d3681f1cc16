import { api, errorBox, h, page } from "/admin/static/lib.js";

// 上线检查: the same checks as `wecom-bot doctor`, run by the service (GET /api/v1/doctor).
const MARK = { ok: ["通过", "ok"], warn: ["注意", "warn"], fail: ["失败", "fail"], skip: ["跳过", "skip"] };

page({
  id: "doctor", title: "上线检查", roles: ["admin"],
  async render(root) {
    const summary = h("p", { id: "doctor-summary", class: "muted" }, "点「开始检查」对照企业微信检查配置。");
    const list = h("tbody", { id: "doctor-checks" });
    const out = h("div");
    const run = h("button", { type: "button", id: "doctor-run", onclick: check }, "开始检查");
    async function check() {
      run.disabled = true;
      summary.textContent = "正在检查（会调用企业微信 API，约几秒）…";
      out.replaceChildren();
      try {
        const report = await api("/doctor");
        const n = (s) => report.checks.filter((c) => c.status === s).length;
        summary.textContent = `${n("ok")} 项通过，${n("warn")} 项注意，${n("fail")} 项失败，${n("skip")} 项跳过：`
          + (report.ok ? "可以上线。" : "按「怎么修」处理后再检查一次。");
        summary.className = report.ok ? "ok" : "error";
        list.replaceChildren(...report.checks.map((c) => h("tr", { "data-check": c.id },
          h("td", {}, h("span", { class: `tag doctor-${MARK[c.status][1]}` }, MARK[c.status][0])),
          h("td", {}, c.title),
          h("td", {}, c.message),
          h("td", { class: "muted" }, c.status === "fail" || c.status === "warn" ? c.fix : ""))));
      } catch (err) {
        summary.textContent = "";
        out.replaceChildren(errorBox(err));
      } finally {
        run.disabled = false;
      }
    }
    root.append(
      h("h1", {}, "上线检查"),
      h("div", { class: "card" },
        h("p", {}, "检查每个应用的 Secret、企业可信IP、可见范围、客户联系与微信客服权限、客服账号、回调 URL、"
          + "时钟、数据库和 Redis；和命令 wecom-bot doctor 相同。"),
        h("p", {}, run), summary, out,
        h("table", {}, h("thead", {}, h("tr", {}, ["结果", "检查项", "情况", "怎么修"].map((x) => h("th", {}, x)))), list)));
  },
});
