"""External contacts, customer groups, join ways, templates and 群发 tasks."""

from __future__ import annotations

import pytest

from bot.protocol import errors as E
from bot.protocol.errors import WeComAPIError, WeComHTTPError
from bot.wecom.client import AppClient, WeComClient
from sandbox import SEED_CUSTOMERS, Sandbox, SandboxClock

C1, C2, C3 = (c[0] for c in SEED_CUSTOMERS)


@pytest.fixture
def main(client: WeComClient) -> AppClient:
    return client.app("main")


async def _code(coro: object) -> int:
    with pytest.raises(WeComAPIError) as info:
        await coro  # type: ignore[misc]
    return info.value.errcode


async def test_externalcontact_get(main: AppClient, sandbox: Sandbox) -> None:
    added = await sandbox.staff_adds_customer("lina", name="周女士", state="ad-2024")
    res = await main.externalcontact_get(added["external_userid"])
    assert res["external_contact"]["name"] == "周女士"
    assert res["follow_user"][0]["userid"] == "lina"
    assert res["follow_user"][0]["state"] == "ad-2024"
    assert await _code(main.externalcontact_get("wmNobody")) == E.INVALID_EXTERNAL_USERID


async def test_welcome_code_20s_and_once(
    main: AppClient, sandbox: Sandbox, clock: SandboxClock
) -> None:
    added = await sandbox.staff_adds_customer("zhangwei", state="store-1")
    code = added["welcome_code"]
    assert code
    await main.send_welcome_msg(code, text="您好，我是张伟")
    welcome = sandbox.inbox(added["external_userid"])[-1]
    assert welcome["channel"] == "welcome" and welcome["from"] == "zhangwei"
    assert await _code(main.send_welcome_msg(code, text="again")) == E.WELCOME_CODE_USED
    late = (await sandbox.staff_adds_customer("lina"))["welcome_code"]
    clock.advance(21)
    assert await _code(main.send_welcome_msg(late, text="late")) == E.WELCOME_CODE_INVALID
    assert await _code(main.send_welcome_msg("no-such-code", text="x")) == E.WELCOME_CODE_INVALID
    attachments = [{"msgtype": "link", "link": {"title": "t", "url": "https://e.x"}}] * 10
    fresh = (await sandbox.staff_adds_customer("wangqiang"))["welcome_code"]
    # 41064 附件数量超过限制 (protocol-2.md §7.1)
    assert await _code(main.send_welcome_msg(fresh, attachments=attachments)) == (
        E.TOO_MANY_ATTACHMENTS)


async def test_a_welcome_code_another_app_is_sending_with(
    main: AppClient, sandbox: Sandbox, clock: SandboxClock
) -> None:
    """41096 while another app sends; then 41051 if its welcome went out, or the code is
    ours to use if it failed (docs 92599)."""
    delivered = await sandbox.staff_adds_customer("zhangwei", other_app_sending=2)
    code = delivered["welcome_code"]
    assert await _code(main.send_welcome_msg(code, text="hi")) == E.WELCOME_CONCURRENT
    clock.advance(2)
    assert await _code(main.send_welcome_msg(code, text="hi")) == E.WELCOME_CODE_USED
    assert [m["channel"] for m in sandbox.inbox(delivered["external_userid"])] == ["welcome"]
    failed = await sandbox.staff_adds_customer("lina", other_app_sending=2,
                                               other_app_delivers=False)
    assert await _code(main.send_welcome_msg(failed["welcome_code"], text="hi")) \
        == E.WELCOME_CONCURRENT
    clock.advance(2)
    await main.send_welcome_msg(failed["welcome_code"], text="您好")
    (got,) = sandbox.inbox(failed["external_userid"])
    assert got["text"]["content"] == "您好"


async def test_no_welcome_code_with_a_console_welcome(sandbox: Sandbox) -> None:
    sandbox.corp.staff["liuyang"].console_welcome = True
    assert (await sandbox.staff_adds_customer("liuyang"))["welcome_code"] is None


async def test_groupchat_list_get_and_membership(main: AppClient, sandbox: Sandbox) -> None:
    chats = [
        (await sandbox.staff_creates_group("zhangwei", f"订单 A00{i} 交付群", [C1, "lina"]))[
            "chat_id"
        ]
        for i in range(3)
    ]
    other = (await sandbox.staff_creates_group("liuyang", "其他群"))["chat_id"]
    page1 = await main.groupchat_list(limit=2)
    page2 = await main.groupchat_list(limit=2, cursor=page1["next_cursor"])
    listed = [g["chat_id"] for g in page1["group_chat_list"] + page2["group_chat_list"]]
    assert listed == [*chats, other] and page2["next_cursor"] == ""
    mine = await main.groupchat_list(owner_userids=["liuyang"])
    assert [g["chat_id"] for g in mine["group_chat_list"]] == [other]
    assert await _code(main.groupchat_list(limit=1001)) == E.INVALID_PARAM

    before = (await main.groupchat_get(chats[0]))["group_chat"]
    await sandbox.customer_joins_group(C2, chat_id=chats[0], join_scene=2, invitor="zhangwei")
    got = (await main.groupchat_get(chats[0]))["group_chat"]
    assert got["name"] == "订单 A000 交付群" and got["owner"] == "zhangwei"
    members = {m["userid"]: m for m in got["member_list"]}
    assert members[C2]["type"] == 2 and members[C2]["join_scene"] == 2
    assert members["lina"]["type"] == 1 and members[C1]["name"] == SEED_CUSTOMERS[0][1]
    assert got["member_version"] != before["member_version"]
    await sandbox.customer_leaves_group(chats[0], C2)
    got = (await main.groupchat_get(chats[0], need_name=False))["group_chat"]
    assert C2 not in {m["userid"] for m in got["member_list"]}
    assert "name" not in got["member_list"][0]
    assert await _code(main.groupchat_get("wrNope")) == E.INVALID_CHAT_ID


async def test_join_ways(main: AppClient, sandbox: Sandbox) -> None:
    chat = (await sandbox.staff_creates_group("zhangwei", "A001"))["chat_id"]
    added = await main.add_join_way(
        scene=2, chat_id_list=[chat], state="order-A001", room_base_name="A001-", room_base_id=2
    )
    way = (await main.get_join_way(added["config_id"]))["join_way"]
    assert way["chat_id_list"] == [chat] and way["state"] == "order-A001" and way["qr_code"]
    joined = await sandbox.customer_joins_group(C3, config_id=added["config_id"])
    assert joined == {"chat_id": chat, "state": "order-A001"}
    member = next(
        m
        for m in (await main.groupchat_get(chat))["group_chat"]["member_list"]
        if m["userid"] == C3
    )
    assert member["state"] == "order-A001" and member["join_scene"] == 3
    # Full group: a new room is created from room_base_name + room_base_id.
    sandbox.corp.limits.group_member_cap = 2
    overflow = await sandbox.customer_joins_group(C1, config_id=added["config_id"])
    assert overflow["chat_id"] != chat
    assert sandbox.customer_groups.groups[overflow["chat_id"]].name == "A001-2"
    assert await _code(main.add_join_way(scene=2, chat_id_list=[chat] * 6)) == E.INVALID_PARAM
    assert await _code(main.add_join_way(scene=3, chat_id_list=[chat])) == E.INVALID_PARAM
    assert await _code(main.add_join_way(scene=2, chat_id_list=["wrNope"])) == E.INVALID_CHAT_ID
    await main.del_join_way(added["config_id"])
    assert await _code(main.get_join_way(added["config_id"])) == E.INVALID_PARAM


async def test_group_welcome_templates(main: AppClient, sandbox: Sandbox) -> None:
    tid = (
        await main.group_welcome_template_add(
            text="欢迎 %NICKNAME%", link={"title": "进度", "url": "https://e.x"}
        )
    )["template_id"]
    got = await main.group_welcome_template_get(tid)
    assert got["text"] == {"content": "欢迎 %NICKNAME%"} and got["link"]["title"] == "进度"
    await main.group_welcome_template_edit(tid, text="新欢迎语")
    assert (await main.group_welcome_template_get(tid))["text"] == {"content": "新欢迎语"}
    await main.group_welcome_template_del(tid)
    assert await _code(main.group_welcome_template_get(tid)) == E.INVALID_PARAM
    for _ in range(100):
        await main.group_welcome_template_add(text="x")
    assert await _code(main.group_welcome_template_add(text="x")) == E.INVALID_PARAM
    with pytest.raises(ValueError):
        await main.group_welcome_template_add(text="x", image={}, link={})


async def test_group_task_pending_until_confirmed_and_daily_quota(
    main: AppClient, sandbox: Sandbox, clock: SandboxClock
) -> None:
    a = (await sandbox.staff_creates_group("zhangwei", "A001"))["chat_id"]
    b = (await sandbox.staff_creates_group("zhangwei", "A002"))["chat_id"]
    foreign = (await sandbox.staff_creates_group("liuyang", "B001"))["chat_id"]
    res = await main.add_msg_template(
        chat_type="group", sender="zhangwei", chat_id_list=[a, b, foreign], text="量尺已完成"
    )
    assert res["fail_list"] == [foreign]
    msgid = res["msgid"]
    # Right after creation it is being dispatched (41063); a moment later it can be read.
    assert await _code(main.get_groupmsg_task(msgid)) == E.GROUPMSG_DISPATCHING
    assert await _code(main.get_groupmsg_send_result(msgid, "zhangwei")) \
        == E.GROUPMSG_DISPATCHING
    clock.advance(sandbox.corp.limits.groupmsg_dispatch_seconds)
    task = (await main.get_groupmsg_task(msgid))["task_list"]
    assert task == [{"userid": "zhangwei", "status": 0}]
    assert sandbox.inbox(a) == []  # nothing is sent until the owner confirms
    await main.remind_groupmsg_send(msgid)
    assert sandbox.inbox("zhangwei")[-1]["channel"] == "task_reminder"

    await sandbox.owner_confirms_task(msgid)
    assert (await main.get_groupmsg_task(msgid))["task_list"][0]["status"] == 2
    sent = await main.get_groupmsg_send_result(msgid, "zhangwei")
    assert {r["chat_id"]: r["status"] for r in sent["send_list"]} == {a: 1, b: 1}
    assert sandbox.inbox(a)[-1]["text"] == {"content": "量尺已完成"}
    assert await _code(main.remind_groupmsg_send(msgid)) == E.INVALID_PARAM

    # Same day, same group: the second 群发 is not delivered (send status 3).
    second = (
        await main.add_msg_template(
            chat_type="group", sender="zhangwei", chat_id_list=[a], text="设计已确认"
        )
    )["msgid"]
    await sandbox.owner_confirms_task(second)
    sent = await main.get_groupmsg_send_result(second, "zhangwei")
    assert sent["send_list"][0]["status"] == 3
    assert len(sandbox.inbox(a)) == 1
    # The next natural day it goes through.
    clock.advance(24 * 3600)
    third = (
        await main.add_msg_template(
            chat_type="group", sender="zhangwei", chat_id_list=[a], text="生产中"
        )
    )["msgid"]
    await sandbox.owner_confirms_task(third)
    assert len(sandbox.inbox(a)) == 2


async def test_group_task_auto_confirm_and_single_chat(
    main: AppClient, sandbox: Sandbox, clock: SandboxClock
) -> None:
    sandbox.corp.limits.auto_confirm_after = 60
    res_time = int(clock())
    res = await main.add_msg_template(external_userid=[C1, "wmNobody"], text="活动通知")
    assert res["fail_list"] == ["wmNobody"]
    clock.advance(sandbox.corp.limits.groupmsg_dispatch_seconds)
    assert (await main.get_groupmsg_task(res["msgid"]))["task_list"][0]["status"] == 0
    clock.advance(61)
    assert (await main.get_groupmsg_task(res["msgid"]))["task_list"][0]["status"] == 2
    sent = await main.get_groupmsg_send_result(res["msgid"], "zhangwei")
    [row] = sent["send_list"]
    assert (row["external_userid"], row["userid"], row["status"]) == (C1, "zhangwei", 1)
    assert row["send_time"] >= res_time
    assert sandbox.inbox(C1)[-1]["channel"] == "group_task"
    assert await _code(main.add_msg_template(chat_type="group", text="x")) == E.INVALID_PARAM
    assert await _code(main.get_groupmsg_task("msgNope")) == E.INVALID_PARAM
    none_valid = await main.add_msg_template(
        chat_type="group", sender="lina", chat_id_list=["wrNope"], text="x"
    )
    assert none_valid["fail_list"] == ["wrNope"] and "msgid" not in none_valid


async def test_group_task_records_and_a_create_whose_answer_is_lost(
    main: AppClient, sandbox: Sandbox, clock: SandboxClock
) -> None:
    """get_groupmsg_list_v2 lists the corp's 群发 in a window at most a month long; a create
    whose answer is lost after it took effect is not repeated by the client (it would make a
    second task), while a read that fails the same way is."""
    chat = (await sandbox.staff_creates_group("zhangwei", "L001"))["chat_id"]
    t0 = int(clock())
    first = (await main.add_msg_template(chat_type="group", sender="zhangwei",
                                         chat_id_list=[chat], text="安装已完成"))["msgid"]
    assert await _code(main.get_groupmsg_list_v2(
        chat_type="group", start_time=t0 - 60, end_time=t0 + 60)) == E.GROUPMSG_DISPATCHING
    clock.advance(sandbox.corp.limits.groupmsg_dispatch_seconds)
    records = await main.get_groupmsg_list_v2(chat_type="group", start_time=t0 - 60,
                                              end_time=t0 + 60)
    assert [(r["msgid"], r["text"], r["create_type"]) for r in records["group_msg_list"]] == [
        (first, {"content": "安装已完成"}, 0)]
    assert "creator" not in records["group_msg_list"][0]  # made through the API
    single = await main.get_groupmsg_list_v2(chat_type="single", start_time=t0 - 60,
                                             end_time=t0 + 60)
    assert single["group_msg_list"] == []
    assert await _code(main.get_groupmsg_list_v2(
        chat_type="group", start_time=t0 - 40 * 86400, end_time=t0)) == E.INVALID_PARAM

    sandbox.corp.faults.lost_answer_burst = 1
    with pytest.raises(WeComHTTPError):
        await main.add_msg_template(chat_type="group", sender="zhangwei", chat_id_list=[chat],
                                    text="验收已完成")
    assert [t.content["text"]["content"] for t in sandbox.mass_messaging.tasks.values()] == [
        "安装已完成", "验收已完成"]  # it landed, once
    sandbox.corp.faults.lost_answer_burst = 1
    assert (await main.get_groupmsg_task(first))["task_list"][0]["userid"] == "zhangwei"
