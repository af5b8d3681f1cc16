import { ApiError, api, apiText, errorBox, h, handoff, page, problemList } from "/admin/static/lib.js";

const CHANNELS = ["kefu", "app", "aibot", "archive"];
const ACTION = { reply: "回复", escalate: "转人工", offer_group: "邀请入群" };
const CHANGE = { create: "新建", update: "修改", delete: "删除", enable: "启用", disable: "停用",
                 rollback: "回滚", import: "导入" };
const BLANK = { id: "new-rule", name: "", priority: 50, when: { any: ["关键词"] }, action: "reply",
                replies: { messages: [{ text: "回复内容" }] } };

const fmt = (iso) => (iso ? new Date(iso).toLocaleString("zh-CN", { hour12: false }) : "");

// The customer's text with the matched spans marked (spans are in the original text).
function marked(text, hits) {
  const spans = hits.filter((x) => x.end > x.start).sort((a, b) => a.start - b.start);
  const out = [];
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue;
    if (s.start > at) out.push(text.slice(at, s.start));
    out.push(h("mark", { title: `${s.kind}: ${s.term}` }, text.slice(s.start, s.end)));
    at = s.end;
  }
  out.push(text.slice(at));
  return out;
}

page({
  id: "rules", title: "关键词规则",
  async render(root, me) {
    const admin = me.role === "admin";
    let rules = [];
    let current = null;  // the rule id being edited (null: a new rule)

    // -- list ------------------------------------------------------------------------------
    const search = h("input", { id: "rule-search", type: "search", placeholder: "搜索编号、名称或关键词" });
    const listBody = h("tbody", { id: "rule-list" });
    const listOut = h("div");
    function drawList() {
      const q = search.value.trim().toLowerCase();
      const shown = rules.filter((r) => !q || r.id.includes(q) ||
        JSON.stringify(r.rule).toLowerCase().includes(q));
      listBody.replaceChildren(...shown.map((r) => h("tr", {
          class: `clickable${r.id === current ? " selected" : ""}`, "data-rule": r.id,
          onclick: () => open(r.id) },
        h("td", {}, h("code", {}, r.id)),
        h("td", { class: "rule-name" }, r.rule.name || ""),
        h("td", {}, ACTION[r.rule.action || "reply"] || r.rule.action),
        h("td", {}, String(r.rule.priority ?? "")),
        h("td", {}, h("span", { class: `tag ${r.enabled ? "" : "off"}` }, r.enabled ? "启用" : "停用")))));
      if (!shown.length) listBody.append(h("tr", {}, h("td", { colspan: 5, class: "muted" }, "没有规则")));
    }
    async function loadList() {
      rules = await api("/rules");
      drawList();
      drawConflicts().catch((err) => conflictBox.replaceChildren(errorBox(err)));
    }
    search.addEventListener("input", drawList);

    // -- editor ----------------------------------------------------------------------------
    const title = h("h2", { id: "editor-title" }, "新规则");
    const meta = h("p", { class: "muted", id: "editor-meta" });
    const editor = h("textarea", { id: "rule-json", class: "code", spellcheck: "false", rows: 18 });
    const problems = h("div", { id: "rule-problems" });
    const toolbar = h("p", { class: "toolbar" });
    const history = h("div", { id: "rule-history" });

    function button(label, cls, id, fn) {
      return h("button", { type: "button", class: cls, id, onclick: async () => {
        problems.replaceChildren();
        try { await fn(); } catch (err) { if (err.status !== 401) problems.replaceChildren(problemList(err)); }
      } }, label);
    }

    function parse() {
      try { return JSON.parse(editor.value); } catch (err) {
        throw new ApiError(400, { error: { message: `JSON 格式错误：${err.message}`, field: "JSON" } });
      }
    }

    async function save() {
      const body = parse();
      const saved = current
        ? await api(`/rules/${encodeURIComponent(current)}`, { method: "PUT", body })
        : await api("/rules", { method: "POST", body });
      await loadList();
      await open(saved.id, "已保存");
    }

    async function open(id, note) {
      current = id;
      const r = await api(`/rules/${encodeURIComponent(id)}`);
      title.textContent = `规则 ${r.id}`;
      meta.textContent = `${r.enabled ? "启用中" : "已停用"} · 版本 ${r.revision} · ${r.updated_by} 于 ${fmt(r.updated_at)}`;
      editor.value = JSON.stringify(r.rule, null, 2);
      problems.replaceChildren(note ? h("p", { class: "ok" }, note) : "");
      toolbar.replaceChildren(...(admin ? [
        button("保存", "", "rule-save", save),
        button(r.enabled ? "停用" : "启用", "secondary", "rule-toggle", async () => {
          await api(`/rules/${encodeURIComponent(id)}/${r.enabled ? "disable" : "enable"}`, { method: "POST" });
          await loadList(); await open(id, r.enabled ? "已停用" : "已启用");
        }),
        button("删除", "danger", "rule-delete", async () => {
          if (!confirm(`删除规则 ${id}？（历史保留，可回滚）`)) return;
          await api(`/rules/${encodeURIComponent(id)}`, { method: "DELETE" });
          await loadList(); await openNew(BLANK, "已删除");
        }),
        button("新建规则", "secondary", "rule-new", () => openNew(BLANK)),
      ] : []));
      drawList();
      await drawHistory(id);
    }

    async function openNew(rule, note) {
      current = null;
      title.textContent = "新规则";
      meta.textContent = "填写后保存；编号只能用小写字母、数字、- 和 _。";
      editor.value = JSON.stringify(rule, null, 2);
      problems.replaceChildren(note ? h("p", { class: "ok" }, note) : "");
      toolbar.replaceChildren(...(admin ? [button("创建", "", "rule-save", save)] : []));
      history.replaceChildren();
      drawList();
    }

    async function drawHistory(id) {
      const versions = await api(`/rules/${encodeURIComponent(id)}/versions`);
      history.replaceChildren(h("h2", {}, "历史版本"), ...versions.map((v) => h("div", { class: "version", "data-change": v.id },
        h("p", {}, h("span", { class: "tag" }, CHANGE[v.action] || v.action), " ",
          h("strong", {}, v.actor), h("span", { class: "muted" }, ` ${fmt(v.at)} · #${v.id}`), " ",
          admin && v.after ? button("回滚到此版本", "secondary small", null, async () => {
            await api(`/rules/${encodeURIComponent(id)}/rollback`, { method: "POST", body: { change_id: v.id } });
            await loadList(); await open(id, `已回滚到 #${v.id}`);
          }) : ""),
        h("pre", { class: "diff" }, v.diff.split("\n").map((line) => h("span", {
          class: line.startsWith("+") && !line.startsWith("+++") ? "add"
            : line.startsWith("-") && !line.startsWith("---") ? "del" : "" }, `${line}\n`))))));
    }

    // -- tester ----------------------------------------------------------------------------
    const testText = h("input", { id: "test-text", placeholder: "客户会说的话，如：沙发多久能到" });
    const testChannel = h("select", { id: "test-channel" }, h("option", { value: "" }, "任意渠道"),
      CHANNELS.map((c) => h("option", { value: c }, c)));
    const testOut = h("div", { id: "test-result" });
    async function runTest() {
      const text = testText.value;
      if (!text.trim()) { testOut.replaceChildren(); return; }
      const body = { text };
      if (testChannel.value) body.channel = testChannel.value;
      let r;
      try { r = await api("/rules/test", { method: "POST", body }); } catch (err) {
        testOut.replaceChildren(errorBox(err)); return;
      }
      const w = r.winner;
      testOut.replaceChildren(
        w ? h("p", { id: "test-winner", class: "ok" }, "命中：", h("code", {}, w.rule_id),
              ` （${ACTION[w.action] || w.action}，优先级 ${w.priority}）`)
          : h("p", { id: "test-winner", class: "error" }, "没有规则命中（将发送兜底回复）"),
        h("p", { class: "test-text" }, marked(text, w ? w.hits : [])),
        w ? h("table", { class: "hits" }, h("tbody", {}, w.hits.map((x) => h("tr", {},
          h("td", {}, x.kind), h("td", {}, h("code", {}, x.term)), h("td", { class: "muted" }, `${x.start}–${x.end}`))))) : "",
        h("p", {}, h("span", { class: "muted" }, "归一化："), h("code", { id: "test-normalized" }, r.normalized)),
        h("p", { class: "tokens" }, h("span", { class: "muted" }, "分词："), r.tokens.map((t) => h("span", { class: "token" }, t))),
        w && w.shadowed.length ? h("p", {}, h("span", { class: "muted" }, "被压过的规则："),
          w.shadowed.map((id) => h("code", { class: "shadowed" }, id)).flatMap((x) => [x, " "])) : "",
        r.matches.length > 1 ? h("p", { class: "muted" }, `共 ${r.matches.length} 条规则命中`) : "",
        r.near_misses.length ? h("div", {}, h("p", { class: "muted" }, "差一点命中："),
          h("ul", { id: "test-near" }, r.near_misses.map((n) => h("li", {}, h("code", {}, n.rule_id), "：", n.reasons.join("；"))))) : "",
        h("p", { class: "muted" }, `规则集版本 ${r.revision}`));
    }
    let timer = null;
    testText.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(runTest, 250); });
    testChannel.addEventListener("change", runTest);

    // -- import / export -------------------------------------------------------------------
    const importText = h("textarea", { id: "import-text", class: "code", rows: 8, placeholder: "rules:\n  - id: …" });
    const importMode = h("select", { id: "import-mode" }, h("option", { value: "merge" }, "合并（同编号覆盖）"),
      h("option", { value: "replace" }, "替换（删除文件里没有的规则）"));
    const ioOut = h("div", { id: "import-result" });
    async function doImport(dryRun) {
      ioOut.replaceChildren();
      try {
        const r = JSON.parse(await apiText(`/rules/import?mode=${importMode.value}&dry_run=${dryRun}`,
          { method: "POST", text: importText.value }));
        const line = (label, ids) => (ids.length ? h("p", {}, `${label}：`, ids.join(", ")) : "");
        ioOut.replaceChildren(h("p", { class: "ok" }, r.applied ? "已导入" : "预演（没有改动）"),
          line("新建", r.created), line("修改", r.updated), line("删除", r.deleted),
          h("pre", { class: "diff" }, r.diff || "（没有差异）"));
        if (r.applied) await loadList();
      } catch (err) { if (err.status !== 401) ioOut.replaceChildren(problemList(err)); }
    }
    const exportButton = (fmtName) => h("button", { type: "button", class: "secondary", id: `export-${fmtName}`, onclick: async () => {
      try {
        const text = await apiText(`/rules/export?format=${fmtName}`);
        const url = URL.createObjectURL(new Blob([text], { type: fmtName === "json" ? "application/json" : "application/yaml" }));
        const a = h("a", { href: url, download: `rules.${fmtName === "json" ? "json" : "yaml"}` });
        document.body.append(a); a.click(); a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
        importText.value = importText.value || text;
      } catch (err) { ioOut.replaceChildren(errorBox(err)); }
    } }, `导出 ${fmtName.toUpperCase()}`);

    // -- conflicts --------------------------------------------------------------------------
    const conflictBox = h("div", { id: "rule-conflicts" });
    async function drawConflicts() {
      const rows = await api("/rules/conflicts");
      conflictBox.replaceChildren(h("h2", {}, `冲突检查（${rows.length}）`), rows.length
        ? h("table", {}, h("tbody", {}, rows.map((c) => h("tr", { "data-rule": c.rule_id },
            h("td", {}, h("code", { class: "clickable", onclick: () => open(c.rule_id) }, c.rule_id)),
            h("td", {}, c.kind === "shadowed" ? "总被压过：" : "同一精确词："),
            h("td", {}, h("code", { class: "clickable", onclick: () => open(c.other_id) }, c.other_id)),
            h("td", {}, `「${c.text}」`), h("td", { class: "muted" }, c.detail)))))
        : h("p", { class: "muted" }, "没有发现冲突：每条规则都能在自己的关键词上命中。"));
    }

    root.append(
      h("h1", {}, "关键词规则"),
      h("div", { class: "row" },
        h("div", { class: "card col narrow" }, search, listOut,
          h("table", { class: "list" }, h("thead", {}, h("tr", {}, ["编号", "名称", "动作", "优先级", "状态"].map((x) => h("th", {}, x)))), listBody)),
        h("div", { class: "card col" }, title, meta, editor, problems, toolbar),
        h("div", { class: "card col", id: "tester" }, h("h2", {}, "实时测试"),
          h("label", { for: "test-text" }, "消息"), testText,
          h("label", { for: "test-channel" }, "渠道"), testChannel,
          h("p", { class: "muted" }, "用的是正在运行的规则集：保存后立即生效。"), testOut)),
      h("div", { class: "card" }, history),
      h("div", { class: "card" }, conflictBox),
      h("div", { class: "card", id: "rules-io" }, h("h2", {}, "导入 / 导出"),
        h("p", {}, exportButton("yaml"), " ", exportButton("json")),
        admin ? [h("label", { for: "import-text" }, "规则文件（YAML 或 JSON）"), importText,
          h("label", { for: "import-mode" }, "方式"), importMode,
          h("p", {}, h("button", { type: "button", class: "secondary", id: "import-dry", onclick: () => doImport(true) }, "预演"), " ",
            h("button", { type: "button", id: "import-apply", onclick: () => doImport(false) }, "导入"))] : "",
        ioOut));

    await loadList();
    const wanted = location.hash.split("/")[2];
    if (handoff.rule) {
      const draft = handoff.rule;
      delete handoff.rule;
      await openNew(draft, "由未回答问题生成：请填写回复后创建");
    } else if (wanted && rules.some((r) => r.id === decodeURIComponent(wanted))) {
      await open(decodeURIComponent(wanted));
    } else if (rules.length) {
      await open(rules[0].id);
    } else {
      await openNew(BLANK);
    }
  },
});
