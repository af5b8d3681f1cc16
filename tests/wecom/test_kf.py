"""微信客服 endpoints through the client, and the sandbox's kf rules."""

from __future__ import annotations

import pytest

from bot.protocol import errors as E
from bot.protocol.errors import WeComAPIError
from bot.settings import WeComConfig
from bot.wecom.client import AppClient, WeComClient
from sandbox import SEED_CUSTOMERS, SEED_KF, Sandbox, SandboxClock
from sandbox.model import SandboxError

C1, C2 = SEED_CUSTOMERS[0][0], SEED_CUSTOMERS[1][0]


@pytest.fixture
def main(client: WeComClient) -> AppClient:
    return client.app("main")


async def _code(coro: object) -> int:
    with pytest.raises(WeComAPIError) as info:
        await coro  # type: ignore[misc]
    return info.value.errcode


async def _events(main: AppClient, token: str | None = None) -> list[dict[str, object]]:
    res = await main.kf_sync_msg(open_kfid=SEED_KF, token=token)
    return [m["event"] for m in res["msg_list"] if m["msgtype"] == "event"]


async def test_accounts_and_servicers(main: AppClient) -> None:
    accounts = await main.kf_account_list(limit=10)
    assert accounts["account_list"][0]["open_kfid"] == SEED_KF
    servicers = await main.kf_servicer_list(SEED_KF)
    status = {s["userid"]: s["status"] for s in servicers["servicer_list"]}
    assert status == {"zhangwei": 0, "liuyang": 0, "lina": 1}
    assert await _code(main.kf_servicer_list("wkNope")) == E.KF_OPEN_KFID_NOT_FOUND
    assert await _code(main.kf_account_list(limit=101)) == E.INVALID_PARAM


async def test_sync_msg_token_cursor_paging_and_origin(main: AppClient, sandbox: Sandbox) -> None:
    token = ""
    for i in range(5):
        token = (await sandbox.customer_says(SEED_KF, C1, f"m{i}"))["token"]
    await sandbox.customer_says(SEED_KF, C1, "menu", menu_id="101")
    await main.kf_send_text(C1, SEED_KF, "api reply")  # never returned by sync_msg
    seen, cursor, pages = [], None, 0
    while True:
        res = await main.kf_sync_msg(open_kfid=SEED_KF, token=token, cursor=cursor, limit=2)
        pages += 1
        seen += res["msg_list"]
        cursor = res["next_cursor"]
        if not res["has_more"]:
            break
    assert pages == 3
    assert [m["text"]["content"] for m in seen] == ["m0", "m1", "m2", "m3", "m4", "menu"]
    assert seen[-1]["text"]["menu_id"] == "101"
    assert {m["origin"] for m in seen} == {3}
    # Persisted cursor: nothing new after it.
    res = await main.kf_sync_msg(open_kfid=SEED_KF, token=token, cursor=cursor)
    assert res["msg_list"] == [] and res["has_more"] == 0


async def test_sync_msg_token_rules(main: AppClient, sandbox: Sandbox, clock: SandboxClock) -> None:
    token = (await sandbox.customer_says(SEED_KF, C1, "hi"))["token"]
    assert await _code(main.kf_sync_msg(open_kfid=SEED_KF, token="ENCforged")) == (
        E.KF_INVALID_MSG_TOKEN
    )
    clock.advance(601)  # the Token lives 10 minutes
    assert await _code(main.kf_sync_msg(open_kfid=SEED_KF, token=token)) == E.KF_INVALID_MSG_TOKEN
    # Without a token: allowed, under a strict limit.
    await main.kf_sync_msg(open_kfid=SEED_KF)
    await main.kf_sync_msg(open_kfid=SEED_KF)
    client_retry = main.client.retry
    main.client.retry = type(client_retry)(transient_retries=0)
    try:
        assert await _code(main.kf_sync_msg(open_kfid=SEED_KF)) == E.FREQ_LIMIT
    finally:
        main.client.retry = client_retry
    fresh = (await sandbox.customer_says(SEED_KF, C1, "again"))["token"]
    assert await _code(main.kf_sync_msg(open_kfid=SEED_KF, cursor="bogus", token=fresh)) == (
        E.INVALID_PARAM
    )
    assert await _code(main.kf_sync_msg(open_kfid=SEED_KF, token=fresh, limit=1001)) == (
        E.INVALID_PARAM
    )


async def test_sync_msg_keeps_three_days(
    main: AppClient, sandbox: Sandbox, clock: SandboxClock
) -> None:
    await sandbox.customer_says(SEED_KF, C1, "old")
    clock.advance(3 * 24 * 3600 + 1)
    token = (await sandbox.customer_says(SEED_KF, C1, "new"))["token"]
    res = await main.kf_sync_msg(open_kfid=SEED_KF, token=token)
    assert [m["text"]["content"] for m in res["msg_list"]] == ["new"]


async def test_five_messages_within_48h(
    main: AppClient, sandbox: Sandbox, clock: SandboxClock
) -> None:
    token = (await sandbox.customer_says(SEED_KF, C1, "hi"))["token"]
    for i in range(6):
        res = await main.kf_send_text(C1, SEED_KF, f"r{i}", msgid=f"out{i}")
        assert res["msgid"] == f"out{i}"  # the 6th succeeds too, per the docs …
    assert [m["payload"]["content"] for m in sandbox.inbox(C1)] == [f"r{i}" for i in range(5)]
    events = await _events(main, token)  # … and fails as an event
    assert events[-1] == {
        "event_type": "msg_send_fail",
        "open_kfid": SEED_KF,
        "external_userid": C1,
        "fail_msgid": "out5",
        "fail_type": 6,
    }
    assert await _code(main.kf_send_text(C1, SEED_KF, "dup", msgid="out0")) == E.INVALID_PARAM
    # A new customer message resets the allowance.
    await sandbox.customer_says(SEED_KF, C1, "again")
    await main.kf_send_text(C1, SEED_KF, "r6")
    assert sandbox.inbox(C1)[-1]["payload"]["content"] == "r6"
    # 48 h after the customer's last message: fail_type 4.
    clock.advance(48 * 3600 + 1)
    await main.kf_send_text(C1, SEED_KF, "late", msgid="late")
    events = await _events(main)
    assert events[-1]["fail_type"] == 4 and events[-1]["fail_msgid"] == "late"


async def test_over_limit_as_error_mode(main: AppClient, sandbox: Sandbox) -> None:
    sandbox.corp.limits.kf_over_limit = "error"
    await sandbox.customer_says(SEED_KF, C1, "hi")
    for i in range(5):
        await main.kf_send_text(C1, SEED_KF, f"r{i}")
    assert await _code(main.kf_send_text(C1, SEED_KF, "r5")) == E.KF_OVER_SEND_LIMIT


async def test_session_states(main: AppClient, sandbox: Sandbox) -> None:
    assert (await main.kf_service_state_get(SEED_KF, C1))["service_state"] == 4
    assert await _code(main.kf_send_text(C1, SEED_KF, "x")) == E.KF_SESSION_STATE_INVALID
    await sandbox.customer_says(SEED_KF, C1, "hi")
    assert (await main.kf_service_state_get(SEED_KF, C1))["service_state"] == 0
    assert (await main.kf_service_state_trans(SEED_KF, C1, 1)) == {"errcode": 0, "errmsg": "ok"}
    await main.kf_send_text(C1, SEED_KF, "bot reply")  # state 1: allowed
    assert await _code(main.kf_service_state_trans(SEED_KF, C1, 1)) == E.KF_BAD_TRANSITION
    # To a human: the servicer must be 接待中 (lina is 停止接待) and known.
    assert await _code(main.kf_service_state_trans(SEED_KF, C1, 3, "lina")) == (
        E.KF_SERVICER_INACTIVE
    )
    assert await _code(main.kf_service_state_trans(SEED_KF, C1, 3, "nobody")) == (
        E.KF_SERVICER_INACTIVE
    )
    trans = await main.kf_service_state_trans(SEED_KF, C1, 3, "zhangwei")
    assert trans["msg_code"]
    got = await main.kf_service_state_get(SEED_KF, C1)
    assert (got["service_state"], got["servicer_userid"]) == (3, "zhangwei")
    assert await _code(main.kf_send_text(C1, SEED_KF, "x")) == E.KF_SESSION_STATE_INVALID
    # The state code: one message while still in state 3, once.
    await main.kf_send_msg_on_event(trans["msg_code"], "text", {"content": "专员已接入"})
    assert sandbox.inbox(C1)[-1]["payload"] == {"content": "专员已接入"}
    assert await _code(main.kf_send_msg_on_event(trans["msg_code"], "text", {"content": "x"})) == (
        E.KF_INVALID_MSG_CODE
    )
    assert await _code(main.kf_service_state_trans(SEED_KF, C1, 0)) == E.KF_BAD_TRANSITION
    end = await main.kf_service_state_trans(SEED_KF, C1, 4)
    assert end["msg_code"]
    assert await _code(main.kf_service_state_trans(SEED_KF, C1, 0)) == E.KF_BAD_TRANSITION
    # A new customer message reopens the session at 0.
    await sandbox.customer_says(SEED_KF, C1, "back")
    assert (await main.kf_service_state_get(SEED_KF, C1))["service_state"] == 0


async def test_state_code_only_while_in_that_state(main: AppClient, sandbox: Sandbox) -> None:
    await sandbox.customer_says(SEED_KF, C1, "hi")
    queued = await main.kf_service_state_trans(SEED_KF, C1, 2)
    await main.kf_service_state_trans(SEED_KF, C1, 3, "liuyang")
    assert await _code(main.kf_send_msg_on_event(queued["msg_code"], "text", {"content": "x"})) == (
        E.KF_INVALID_MSG_CODE
    )


async def test_welcome_code_20s_and_once(
    main: AppClient, sandbox: Sandbox, clock: SandboxClock
) -> None:
    entered = await sandbox.customer_enters(SEED_KF, C2, scene="web", scene_param="p1")
    code = entered["welcome_code"]
    events = await _events(main, entered["token"])
    assert events[0]["event_type"] == "enter_session"
    assert events[0]["welcome_code"] == code and events[0]["scene_param"] == "p1"
    menu = {
        "head_content": "您好",
        "list": [{"type": "click", "click": {"id": "1", "content": "进度"}}],
    }
    await main.kf_send_msg_on_event(code, "msgmenu", menu)
    assert sandbox.inbox(C2)[-1]["msgtype"] == "msgmenu"
    assert await _code(main.kf_send_msg_on_event(code, "text", {"content": "x"})) == (
        E.KF_INVALID_MSG_CODE
    )
    # Welcomed within 48 h: no new code.
    assert (await sandbox.customer_enters(SEED_KF, C2))["welcome_code"] is None
    clock.advance(48 * 3600 + 1)
    late = (await sandbox.customer_enters(SEED_KF, C2))["welcome_code"]
    assert late
    clock.advance(21)
    assert await _code(main.kf_send_msg_on_event(late, "text", {"content": "x"})) == (
        E.KF_INVALID_MSG_CODE
    )
    # A customer who has written gets no welcome_code.
    await sandbox.customer_says(SEED_KF, C1, "hi")
    assert (await sandbox.customer_enters(SEED_KF, C1))["welcome_code"] is None


async def test_customer_batchget_and_upgrade_service(main: AppClient, sandbox: Sandbox) -> None:
    res = await main.kf_customer_batchget([C1, "wmUnknown"])
    assert [c["external_userid"] for c in res["customer_list"]] == [C1]
    assert res["customer_list"][0]["nickname"] == SEED_CUSTOMERS[0][1]
    assert res["invalid_external_userid"] == ["wmUnknown"]
    assert await _code(main.kf_customer_batchget([])) == E.INVALID_PARAM
    chat = (await sandbox.staff_creates_group("zhangwei", "订单 A001 交付群"))["chat_id"]
    await main.kf_upgrade_service(SEED_KF, C1, chat_id=chat, wording="进群跟进订单")
    await main.kf_upgrade_service(SEED_KF, C1, member_userid="zhangwei")
    assert [m["payload"]["type"] for m in sandbox.inbox(C1)] == [2, 1]
    sandbox.kf.accounts[SEED_KF].upgrade_groups = set()
    assert await _code(main.kf_upgrade_service(SEED_KF, C1, chat_id=chat)) == (
        E.KF_UPGRADE_NOT_CONFIGURED
    )


async def test_servicer_status_change_event(main: AppClient, sandbox: Sandbox) -> None:
    token = (await sandbox.set_servicer_status(SEED_KF, "lina", True))["token"]
    assert (await _events(main, token))[-1]["event_type"] == "servicer_status_change"
    servicers = await main.kf_servicer_list(SEED_KF)
    assert {s["userid"]: s["status"] for s in servicers["servicer_list"]}["lina"] == 0


async def test_servicer_replies_and_ends_from_the_client(main: AppClient, sandbox: Sandbox) -> None:
    await sandbox.customer_says(SEED_KF, C1, "转人工")
    await main.kf_service_state_trans(SEED_KF, C1, 2)
    said = await sandbox.servicer_says(SEED_KF, C1, "liuyang", "我来处理")
    res = await main.kf_sync_msg(open_kfid=SEED_KF, token=said["token"])
    by_origin = {m["origin"]: m for m in res["msg_list"]}
    assert by_origin[5]["servicer_userid"] == "liuyang"
    change = by_origin[4]["event"]
    assert change["event_type"] == "session_status_change" and change["change_type"] == 1
    got = await main.kf_service_state_get(SEED_KF, C1)
    assert (got["service_state"], got["servicer_userid"]) == (3, "liuyang")
    ended = await sandbox.servicer_ends_session(SEED_KF, C1)
    assert (await main.kf_service_state_get(SEED_KF, C1))["service_state"] == 4
    await main.kf_send_msg_on_event(ended["msg_code"], "text", {"content": "感谢咨询"})
    assert sandbox.inbox(C1)[-1]["payload"] == {"content": "感谢咨询"}


async def test_msgmenu_limits_on_send_msg_and_on_event(main: AppClient, sandbox: Sandbox) -> None:
    def menu(n: int, kind: str = "click") -> dict[str, object]:
        return {"head_content": "请选择",
                "list": [{"type": kind, kind: {"id": str(i), "content": f"选项{i}"}}
                         for i in range(n)]}

    await sandbox.customer_says(SEED_KF, C1, "hi")
    assert await _code(main.kf_send_msg(C1, SEED_KF, "msgmenu", menu(11))) == E.KF_MENU_TOO_MANY
    assert await _code(main.kf_send_msg(C1, SEED_KF, "msgmenu", menu(1, "button"))) == (
        E.KF_MENU_BAD_ITEM)
    long_head = {**menu(1), "head_content": "长" * 400}  # 1,200 bytes
    assert await _code(main.kf_send_msg(C1, SEED_KF, "msgmenu", long_head)) == (
        E.CONTENT_TOO_LARGE)
    await main.kf_send_msg(C1, SEED_KF, "msgmenu", menu(10))
    assert len(sandbox.inbox(C1)[-1]["payload"]["list"]) == 10
    code = (await sandbox.customer_enters(SEED_KF, C2))["welcome_code"]
    assert await _code(main.kf_send_msg_on_event(code, "msgmenu", menu(11))) == (
        E.KF_MENU_TOO_MANY)
    await main.kf_send_msg_on_event(code, "msgmenu", menu(10))  # the code was not used up


async def test_welcome_code_not_after_a_message_or_with_a_console_welcome(
    main: AppClient, sandbox: Sandbox, clock: SandboxClock
) -> None:
    """The strictest reading of WeCom's conditions: no welcome_code within 48 h of anything
    sent to the customer, nor while the console has a welcome of its own."""
    await sandbox.customer_says(SEED_KF, C2, "hi")
    await main.kf_send_text(C2, SEED_KF, "reply")
    clock.advance(47 * 3600)  # within 48 h of both
    assert (await sandbox.customer_enters(SEED_KF, C2))["welcome_code"] is None
    clock.advance(2 * 3600)
    assert (await sandbox.customer_enters(SEED_KF, C2))["welcome_code"]
    await sandbox.servicer_says(SEED_KF, C1, "zhangwei", "您好")  # from the client, to C1
    assert (await sandbox.customer_enters(SEED_KF, C1))["welcome_code"] is None
    sandbox.kf.accounts[SEED_KF].console_welcome = True
    clock.advance(49 * 3600)
    assert (await sandbox.customer_enters(SEED_KF, C1))["welcome_code"] is None
    sandbox.kf.accounts[SEED_KF].console_welcome = False
    assert (await sandbox.customer_enters(SEED_KF, C1))["welcome_code"]


async def test_kf_text_and_menu_sizes_refused_never_cut(main: AppClient, sandbox: Sandbox) -> None:
    await sandbox.customer_says(SEED_KF, C1, "hi")
    assert await _code(main.kf_send_text(C1, SEED_KF, "长" * 683)) == E.CONTENT_TOO_LARGE
    await main.kf_send_text(C1, SEED_KF, "长" * 682 + "ab")  # 2048 bytes exactly
    assert len(sandbox.inbox(C1)[-1]["payload"]["content"].encode()) == 2048
    item = {"type": "click", "click": {"id": "1", "content": "进度"}}
    menu = {"head_content": "头" * 342, "list": [item]}
    assert await _code(main.kf_send_msg(C1, SEED_KF, "msgmenu", menu)) == E.CONTENT_TOO_LARGE
    menu = {"head_content": "头", "list": [item] * 11}
    assert await _code(main.kf_send_msg(C1, SEED_KF, "msgmenu", menu)) == E.KF_MENU_TOO_MANY
    menu = {"list": [{"type": "click", "click": {"id": "1", "content": "进" * 43}}]}
    assert await _code(main.kf_send_msg(C1, SEED_KF, "msgmenu", menu)) == E.CONTENT_TOO_LARGE
    entered = await sandbox.customer_enters(SEED_KF, C2)
    assert await _code(main.kf_send_msg_on_event(
        entered["welcome_code"], "text", {"content": "长" * 683})) == E.CONTENT_TOO_LARGE
    assert len(sandbox.inbox(C1)) == 1 and sandbox.inbox(C2) == []


async def test_the_session_end_code_is_one_message_within_20_seconds(
    config: WeComConfig,
) -> None:
    """protocol-2.md §6.3: the end of a session's msg_code takes one text or menu, within
    20 s, while the session is still ended. Read strictly: at 20.0 s it is gone."""
    now = [1_900_000_000.0]
    sandbox = Sandbox(config, clock=lambda: now[0], callback_retry_delay=0.0)
    menu = {"head_content": "请打分", "list": [{"type": "click", "click": {"id": "s-5",
                                                                          "content": "5分"}}]}

    def send(code: str, msgtype: str = "msgmenu", payload: object = menu) -> int:
        try:
            sandbox.kf_endpoints.send_msg_on_event({"code": code, "msgtype": msgtype,
                                                    msgtype: payload})
        except SandboxError as exc:
            return exc.errcode
        return 0

    async def ended() -> str:
        await sandbox.customer_says(SEED_KF, C1, "hi")
        await sandbox.servicer_says(SEED_KF, C1, "zhangwei", "您好")
        return str((await sandbox.servicer_ends_session(SEED_KF, C1))["msg_code"])

    code = await ended()
    now[0] += 19.999
    assert send(code, "image", {"media_id": "x"}) == E.INVALID_PARAM  # text or a menu only
    assert send(code) == 0 and sandbox.inbox(C1)[-1]["msgtype"] == "msgmenu"
    assert send(code, "text", {"content": "again"}) == E.KF_INVALID_MSG_CODE  # once
    code = await ended()
    now[0] += 20.0
    assert send(code) == E.KF_INVALID_MSG_CODE  # the 20th second is past the window
    code = await ended()
    await sandbox.customer_says(SEED_KF, C1, "还在吗")  # the session is no longer ended
    assert send(code) == E.KF_INVALID_MSG_CODE
