import { api, errorBox, h, page } from "/admin/static/lib.js";

// Act in the built-in sandbox and watch the bot answer through the real callback path.
page({
  id: "playground", title: "演练场", roles: ["admin"],
  async render(root) {
    let world;
    try { world = await api("/playground/world"); } catch (err) {
      root.append(h("h1", {}, "演练场"), errorBox(err));
      return;
    }
    const timers = [];
    const stopWhenLeft = () => { if (!document.body.contains(root)) timers.forEach(clearInterval); };

    function chatPane({ id, title, who, options, send, inboxOf }) {
      const select = h("select", { id: `${id}-who` }, options.map(([v, label]) => h("option", { value: v }, label)));
      const log = h("div", { class: "chat", id: `${id}-log` });
      const input = h("input", { id: `${id}-text`, placeholder: "输入消息，回车发送" });
      const out = h("div");
      const mine = new Map();  // recipient → what we said, to interleave with replies
      async function refresh() {
        stopWhenLeft();
        const recipient = select.value;
        let received = [];
        try { received = (await api(`/playground/inbox/${encodeURIComponent(inboxOf(recipient))}`)).messages; }
        catch (err) { out.replaceChildren(errorBox(err)); return; }
        const items = [...(mine.get(recipient) || []), ...received.map((m) => ({ at: m.at, text: m.summary, me: false }))];
        items.sort((a, b) => a.at - b.at);
        log.replaceChildren(...items.map((m) => h("div", { class: `bubble ${m.me ? "me" : "bot"}` }, m.text)));
        log.scrollTop = log.scrollHeight;
      }
      const form = h("form", { onsubmit: async (e) => {
          e.preventDefault();
          const text = input.value.trim();
          if (!text) return;
          input.value = "";
          const recipient = select.value;
          mine.set(recipient, [...(mine.get(recipient) || []), { at: Date.now() / 1000, text, me: true }]);
          try { await send(recipient, text); out.replaceChildren(); } catch (err) { out.replaceChildren(errorBox(err)); }
          setTimeout(refresh, 300);
        } }, input);
      select.addEventListener("change", refresh);
      timers.push(setInterval(refresh, 1500));
      refresh();
      return h("div", { class: "card col" }, h("h2", {}, title), h("label", {}, who), select, log, form, out);
    }

    const kf = world.kf_accounts[0];
    const customers = world.customers.map((c) => [c.external_userid, `${c.name}（${c.external_userid.slice(0, 12)}…）`]);
    const staff = world.staff.map((s) => [s.userid, `${s.name}（${s.userid}）`]);

    const kfPane = chatPane({
      id: "kf", title: `微信客服：${kf ? kf.name : "无客服账号"}`, who: "我是客户", options: customers,
      send: (euid, text) => api("/playground/kf/say", { method: "POST", body: { external_userid: euid, text, open_kfid: kf.open_kfid } }),
      inboxOf: (euid) => euid,
    });
    const enter = h("button", { class: "secondary", id: "kf-enter", onclick: async () => {
      const euid = document.getElementById("kf-who").value;
      try { await api("/playground/kf/enter", { method: "POST", body: { external_userid: euid, open_kfid: kf.open_kfid } }); }
      catch (err) { kfPane.append(errorBox(err)); }
    } }, "进入会话（触发欢迎语）");
    kfPane.insertBefore(h("p", {}, enter), kfPane.children[3]);

    const appPane = chatPane({
      id: "app", title: "员工与应用对话", who: "我是员工", options: staff,
      send: (userid, text) => api("/playground/app/say", { method: "POST", body: { userid, text } }),
      inboxOf: (userid) => userid,
    });

    // Contacts and groups.
    const out = h("div");
    const act = (path, body) => async (e) => {
      e.preventDefault();
      try {
        const r = await api(path, { method: "POST", body: body() });
        out.replaceChildren(h("p", { class: "ok" }, "已执行"), h("pre", {}, JSON.stringify(r.result, null, 2)));
        await drawWorld();
      } catch (err) { out.replaceChildren(errorBox(err)); }
    };
    const pick = (id, options) => h("select", { id }, options.map(([v, l]) => h("option", { value: v }, l)));
    const addStaff = pick("contact-staff", staff);
    const addState = h("input", { id: "contact-state", placeholder: "渠道码 State，如 showroom" });
    const groupOwner = pick("group-owner", staff);
    const groupName = h("input", { id: "group-name", placeholder: "群名，如 A20261123001 张女士" });
    const joinWho = pick("join-who", customers);
    const joinWhere = h("input", { id: "join-where", placeholder: "chat_id（wr…）或加群码 config_id" });
    const worldBox = h("div");
    const msOrder = h("input", { id: "milestone-order", placeholder: "订单号，如 A20261123001" });
    const msStage = h("input", { id: "milestone-stage", placeholder: "节点，如 签约、发货、安装" });
    const msNote = h("input", { id: "milestone-note", placeholder: "备注（可选）" });
    const msForce = h("input", { id: "milestone-force", type: "checkbox", class: "inline" });

    async function drawWorld() {
      world = await api("/playground/world");
      worldBox.replaceChildren(
        h("h2", {}, "客户群"),
        h("table", {}, h("tbody", {}, world.groups.map((g) => h("tr", {},
          h("td", {}, g.name), h("td", { class: "muted" }, g.chat_id), h("td", {}, `群主 ${g.owner}`),
          h("td", {}, `${g.members.length} 人`))))),
        h("h2", {}, "待确认的群发任务"),
        h("table", {}, h("tbody", {}, world.tasks.filter((t) => Object.values(t.senders).includes(0)).map((t) =>
          h("tr", {}, h("td", {}, (t.content.text || {}).content || t.msgid),
            h("td", {}, Object.keys(t.senders).join(", ")),
            h("td", {}, h("button", { class: "secondary", onclick: act("/playground/tasks/confirm", () => ({ msgid: t.msgid })) }, "群主确认发送")))))));
    }

    root.append(
      h("h1", {}, "演练场"),
      h("p", { class: "muted" }, "这里的每个动作都由内置沙箱模拟企业微信，经真实的加密回调送达本服务。"),
      h("div", { class: "row" }, kfPane, appPane),
      h("div", { class: "row" },
        h("form", { class: "card col", onsubmit: act("/playground/contact/add", () => ({ userid: addStaff.value, state: addState.value.trim() })) },
          h("h2", {}, "员工添加客户"), h("label", {}, "员工"), addStaff, h("label", {}, "渠道码"), addState,
          h("p", {}, h("button", { type: "submit" }, "添加"))),
        h("form", { class: "card col", onsubmit: act("/playground/groups/create", () => ({ owner: groupOwner.value, name: groupName.value.trim() })) },
          h("h2", {}, "员工建客户群"), h("label", {}, "群主"), groupOwner, h("label", {}, "群名"), groupName,
          h("p", {}, h("button", { type: "submit" }, "建群"))),
        h("form", { class: "card col", onsubmit: act("/playground/groups/join", () => {
            const where = joinWhere.value.trim();
            return where.startsWith("wr") ? { external_userid: joinWho.value, chat_id: where } : { external_userid: joinWho.value, config_id: where };
          }) },
          h("h2", {}, "客户入群"), h("label", {}, "客户"), joinWho, h("label", {}, "群或加群码"), joinWhere,
          h("p", {}, h("button", { type: "submit" }, "入群"))),
        h("form", { class: "card col", id: "milestone-form", onsubmit: async (e) => {
            e.preventDefault();
            const orderNo = msOrder.value.trim();
            try {
              const r = await api(`/orders/${encodeURIComponent(orderNo)}/milestones`, { method: "POST", body: {
                milestone: msStage.value.trim(), note: msNote.value.trim() || null, force: msForce.checked,
                event_id: `playground-${Date.now()}` } });
              out.replaceChildren(h("p", { class: "ok" }, `已记录：${r.order_no} →「${r.milestone}」`));
            } catch (err) { out.replaceChildren(errorBox(err)); }
          } },
          h("h2", {}, "记录里程碑"), h("label", {}, "订单号"), msOrder, h("label", {}, "节点"), msStage,
          h("label", {}, "备注"), msNote, h("label", {}, msForce, " 强制（跳过或回退节点）"),
          h("p", {}, h("button", { type: "submit" }, "记录")))),
      h("div", { class: "card" }, out, worldBox));
    await drawWorld();
  },
});
