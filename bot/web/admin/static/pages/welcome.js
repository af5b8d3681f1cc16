import { api, errorBox, h, page } from "/admin/static/lib.js";

// New-contact welcomes (per channel code and staff member) and the channel codes themselves.
page({
  id: "welcome", title: "欢迎语",
  async render(root, me) {
    const admin = me.role === "admin";
    const codesBody = h("tbody", { id: "code-list" });
    const textsBody = h("tbody", { id: "welcome-list" });
    const out = h("div", { id: "welcome-out" });
    const codeSelect = h("select", { id: "welcome-code" });
    const show = (err) => { if (err.status !== 401) out.replaceChildren(errorBox(err)); };
    const del = (path, label) => h("button", { type: "button", class: "danger small", onclick: async () => {
      if (!confirm(`删除${label}？`)) return;
      // The confirmation once the lists show the change (tests and people read them then).
      try { await api(path, { method: "DELETE" }); await refresh(); out.replaceChildren(h("p", { class: "ok" }, "已删除")); }
      catch (err) { show(err); }
    } }, "删除");

    const tplBody = h("tbody", { id: "template-list" });
    const kfBody = h("tbody", { id: "kf-welcome-list" });
    async function refresh() {
      const [codes, texts, templates, kf] = await Promise.all([api("/channel-codes"), api("/welcome-texts"),
        api("/group-welcome-templates"), api("/kf-welcome")]);
      kfBody.replaceChildren(...kf.map((w) => h("tr", { "data-kf": w.open_kfid },
        h("td", {}, w.open_kfid === "*" ? h("span", { class: "muted" }, "所有客服账号") : w.open_kfid),
        h("td", { class: "kf-welcome-text" }, w.text),
        h("td", {}, w.menu.map((m) => m.content).join(" / ")),
        h("td", { class: "muted" }, w.source === "settings" ? "配置文件默认" : ""),
        h("td", {}, admin && w.source === "admin" ? del(`/kf-welcome/${encodeURIComponent(w.open_kfid)}`, "这条客服欢迎语") : ""))));
      tplBody.replaceChildren(...templates.map((t) => h("tr", { "data-template": t.id },
        h("td", {}, t.name, t.is_default ? [" ", h("span", { class: "tag" }, "默认")] : ""),
        h("td", { class: "template-text" }, t.text),
        h("td", { class: "muted" }, t.template_id ? "已同步" : "未同步"),
        h("td", {}, admin ? del(`/group-welcome-templates/${t.id}`, `入群欢迎语 ${t.name}`) : ""))));
      if (!templates.length) tplBody.append(h("tr", {}, h("td", { colspan: 4, class: "muted" }, "还没有入群欢迎语")));
      const names = Object.fromEntries(codes.map((c) => [c.code, c.name]));
      codesBody.replaceChildren(...codes.map((c) => h("tr", { "data-code": c.code },
        h("td", {}, h("code", {}, c.code)), h("td", { class: "code-name" }, c.name),
        h("td", {}, admin ? del(`/channel-codes/${encodeURIComponent(c.code)}`, `渠道码 ${c.code}`) : ""))));
      if (!codes.length) codesBody.append(h("tr", {}, h("td", { colspan: 3, class: "muted" }, "还没有渠道码")));
      const picked = codeSelect.value;
      codeSelect.replaceChildren(h("option", { value: "" }, "任意渠道"),
        ...codes.map((c) => h("option", { value: c.code }, `${c.name}（${c.code}）`)));
      if (codes.some((c) => c.code === picked)) codeSelect.value = picked;
      textsBody.replaceChildren(...texts.map((w) => h("tr", { "data-welcome": w.id },
        h("td", {}, w.channel_code ? `${names[w.channel_code] || ""}（${w.channel_code}）` : h("span", { class: "muted" }, "任意渠道")),
        h("td", {}, w.userid || h("span", { class: "muted" }, "任意员工")),
        h("td", { class: "welcome-text" }, w.text),
        h("td", { class: "muted" }, w.attachments.length ? `${w.attachments.length} 个附件` : ""),
        h("td", {}, admin ? del(`/welcome-texts/${w.id}`, "这条欢迎语") : ""))));
      if (!texts.length) textsBody.append(h("tr", {}, h("td", { colspan: 5, class: "muted" }, "还没有欢迎语（将使用默认欢迎语）")));
    }

    const code = h("input", { id: "code-code", placeholder: "如 showroom（「联系我」的 state）" });
    const codeName = h("input", { id: "code-name", placeholder: "如 展厅" });
    const userid = h("input", { id: "welcome-userid", placeholder: "员工账号，留空表示任意员工" });
    const text = h("textarea", { id: "welcome-text", rows: 4, placeholder: "您好，欢迎来到…" });
    const kfAccount = h("input", { id: "kf-account", placeholder: "客服账号 open_kfid，* 表示所有账号", value: "*" });
    const kfText = h("textarea", { id: "kf-text", rows: 2, placeholder: "您好，欢迎咨询！请选择：" });
    const kfMenu = h("textarea", { id: "kf-menu", rows: 3, placeholder: "每行一个菜单：id 文字，如\nprogress 查询进度\nhuman 转人工" });
    const tplName = h("input", { id: "template-name", placeholder: "如 订单群欢迎" });
    const tplText = h("textarea", { id: "template-text", rows: 3, placeholder: "欢迎加入…" });
    const tplDefault = h("input", { id: "template-default", type: "checkbox", class: "inline" });
    const submit = (fn) => async (e) => {
      e.preventDefault();
      try { await fn(); await refresh(); out.replaceChildren(h("p", { class: "ok" }, "已保存")); } catch (err) { show(err); }
    };

    root.append(h("h1", {}, "欢迎语与渠道码"), out,
      h("div", { class: "row" },
        h("div", { class: "card col" }, h("h2", {}, "渠道码"),
          h("table", {}, h("thead", {}, h("tr", {}, ["State", "渠道", ""].map((x) => h("th", {}, x)))), codesBody),
          admin ? h("form", { id: "code-form", onsubmit: submit(() => api("/channel-codes", { method: "PUT",
              body: { code: code.value.trim(), name: codeName.value.trim() } })) },
            h("h2", {}, "新增或改名"), h("label", { for: "code-code" }, "State"), code,
            h("label", { for: "code-name" }, "渠道名称"), codeName, h("p", {}, h("button", { type: "submit" }, "保存"))) : ""),
        h("div", { class: "card col" }, h("h2", {}, "添加客户后的欢迎语"),
          h("p", { class: "muted" }, "最具体的一条生效：渠道码+员工 > 渠道码 > 员工 > 默认。"),
          h("table", {}, h("thead", {}, h("tr", {}, ["渠道", "员工", "内容", "", ""].map((x) => h("th", {}, x)))), textsBody),
          admin ? h("form", { id: "welcome-form", onsubmit: submit(() => api("/welcome-texts", { method: "POST", body: {
              channel_code: codeSelect.value || null, userid: userid.value.trim() || null, text: text.value } })) },
            h("h2", {}, "新增欢迎语"), h("label", { for: "welcome-code" }, "渠道"), codeSelect,
            h("label", { for: "welcome-userid" }, "员工"), userid, h("label", { for: "welcome-text" }, "内容"), text,
            h("p", {}, h("button", { type: "submit" }, "添加"))) : "")),
      h("div", { class: "card" }, h("h2", {}, "微信客服欢迎语（客户进入会话时，20 秒内发送）"),
        h("table", {}, h("thead", {}, h("tr", {}, ["客服账号", "内容", "菜单", "", ""].map((x) => h("th", {}, x)))), kfBody),
        admin ? h("form", { id: "kf-form", onsubmit: submit(() => api("/kf-welcome", { method: "PUT", body: {
            open_kfid: kfAccount.value.trim() || "*", text: kfText.value.trim(),
            menu: kfMenu.value.split("\n").map((l) => l.trim()).filter(Boolean).map((l) => {
              const [id, ...rest] = l.split(/\s+/); return { id, content: rest.join(" ") || id }; }) } })) },
          h("h2", {}, "设置客服欢迎语"), h("label", { for: "kf-account" }, "客服账号"), kfAccount,
          h("label", { for: "kf-text" }, "内容"), kfText, h("label", { for: "kf-menu" }, "菜单"), kfMenu,
          h("p", {}, h("button", { type: "submit" }, "保存"))) : ""),
      h("div", { class: "card" }, h("h2", {}, "入群欢迎语（与企业微信同步）"),
        h("table", {}, h("thead", {}, h("tr", {}, ["名称", "内容", "", ""].map((x) => h("th", {}, x)))), tplBody),
        admin ? h("form", { id: "template-form", onsubmit: submit(() => api("/group-welcome-templates", { method: "POST", body: {
            name: tplName.value.trim(), text: tplText.value, is_default: tplDefault.checked } })) },
          h("h2", {}, "新增入群欢迎语"), h("label", { for: "template-name" }, "名称"), tplName,
          h("label", { for: "template-text" }, "内容"), tplText,
          h("label", {}, tplDefault, " 设为默认"),
          h("p", {}, h("button", { type: "submit" }, "添加"))) : ""));
    await refresh();
  },
});
