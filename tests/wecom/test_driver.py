"""Callback driver: encrypted callbacks to a tiny receiver, retries, passive replies."""

from __future__ import annotations

import json

from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.protocol.safexml import parse_xml
from bot.settings import WeComConfig
from sandbox import SEED_CUSTOMERS, SEED_KF, Sandbox
from tests.harness.receiver import Receiver
from tests.harness.wecom_client import CORP

C1 = SEED_CUSTOMERS[0][0]


async def test_kf_callback_is_encrypted_for_the_app(sandbox: Sandbox, receiver: Receiver) -> None:
    said = await sandbox.customer_says(SEED_KF, C1, "你好")
    await sandbox.drain()
    [(app, envelope, plaintext)] = receiver.got
    assert app == "main"
    assert envelope["ToUserName"] == CORP and envelope["AgentID"] == "1000002"
    event = parse_xml(plaintext)
    assert event["Event"] == "kf_msg_or_event" and event["MsgType"] == "event"
    assert event["Token"] == said["token"] and event["OpenKfId"] == SEED_KF
    assert "你好" not in plaintext  # the callback carries no content
    [delivery] = sandbox.corp.driver.deliveries
    assert delivery.status == "delivered" and len(delivery.attempts) == 1


async def test_non_200_is_retried_three_times(sandbox: Sandbox, receiver: Receiver) -> None:
    receiver.status = 500
    await sandbox.staff_adds_customer("zhangwei", state="s1")
    await sandbox.drain()
    assert receiver.hits == 4  # the first try and 3 retries
    [delivery] = sandbox.corp.driver.deliveries
    assert delivery.status == "failed"
    assert [a["status"] for a in delivery.attempts] == [500] * 4
    # Each attempt is a fresh encryption of the same plaintext.
    assert len({env["Encrypt"] for _, env, _ in receiver.got}) == 4
    assert len({p for _, _, p in receiver.got}) == 1


async def test_unreachable_service_is_retried(sandbox: Sandbox) -> None:
    sandbox.corp.callback_base_url = "http://127.0.0.1:9"  # nothing listens on discard
    await sandbox.customer_says(SEED_KF, C1, "hi")
    await sandbox.drain()
    [delivery] = sandbox.corp.driver.deliveries
    assert delivery.status == "failed" and len(delivery.attempts) == 4
    assert all(a["error"] for a in delivery.attempts)


async def test_contact_and_group_events(sandbox: Sandbox, receiver: Receiver) -> None:
    added = await sandbox.staff_adds_customer("zhangwei", state="store-7")
    chat = (await sandbox.staff_creates_group("zhangwei", "订单 A001"))["chat_id"]
    await sandbox.customer_joins_group(added["external_userid"], chat_id=chat, join_scene=1)
    await sandbox.customer_leaves_group(chat, added["external_userid"], quit_scene=1)
    await sandbox.drain()
    events = [parse_xml(p) for _, _, p in receiver.got]
    add, create, join, leave = events
    assert add["ChangeType"] == "add_external_contact" and add["FromUserName"] == "sys"
    assert add["UserID"] == "zhangwei" and add["State"] == "store-7"
    assert add["WelcomeCode"] == added["welcome_code"]
    assert add["ExternalUserID"] == added["external_userid"]
    assert (create["Event"], create["ChangeType"], create["ChatId"]) == (
        "change_external_chat",
        "create",
        chat,
    )
    assert join["UpdateDetail"] == "add_member" and join["JoinScene"] == "0"
    assert join["MemChangeList"] == {"Item": added["external_userid"]}
    assert join["MemChangeCnt"] == "1" and join["LastMemVer"] != join["CurMemVer"]
    assert leave["UpdateDetail"] == "del_member" and leave["QuitScene"] == "1"
    assert leave["LastMemVer"] == join["CurMemVer"]


async def test_app_text_and_passive_reply(sandbox: Sandbox, receiver: Receiver) -> None:
    receiver.reply = (
        "<xml><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[收到]]></Content></xml>"
    )
    sent = await sandbox.staff_says("lina", "A001 进度", app="ops")
    await sandbox.drain()
    [(app, envelope, plaintext)] = receiver.got
    assert app == "ops" and envelope["AgentID"] == "1000003"
    msg = parse_xml(plaintext)
    assert msg["MsgType"] == "text" and msg["Content"] == "A001 进度"
    assert msg["FromUserName"] == "lina" and msg["MsgId"] == sent["msgid"]
    reply = sandbox.inbox("lina")[-1]
    assert reply["channel"] == "app_reply" and "收到" in reply["reply"]


async def test_aibot_json_callback_and_stream_reply(sandbox: Sandbox, receiver: Receiver) -> None:
    stream = {"msgtype": "stream", "stream": {"id": "s1", "finish": True, "content": "设计中"}}
    receiver.reply = json.dumps(stream, ensure_ascii=False)
    await sandbox.staff_mentions_aibot("wangqiang", "@bot A001", chatid="wrInner")
    await sandbox.drain()
    [(app, envelope, plaintext)] = receiver.got
    assert app == "aibot" and set(envelope) == {"encrypt"}
    msg = json.loads(plaintext)
    assert msg["chattype"] == "group" and msg["chatid"] == "wrInner"
    assert msg["from"] == {"userid": "wangqiang"} and msg["text"]["content"] == "@bot A001"
    assert "response_code=" in msg["response_url"]
    assert json.loads(sandbox.inbox("wrInner")[-1]["reply"]) == stream


async def test_no_callback_url_means_skipped(sandbox: Sandbox) -> None:
    await sandbox.customer_says(SEED_KF, C1, "hi")
    assert sandbox.corp.driver.deliveries[-1].status == "skipped"


async def test_several_urls_take_callbacks_in_turn(sandbox: Sandbox, receiver: Receiver,
                                                   config: WeComConfig) -> None:
    # Two serve processes behind one balancer: each POST goes to the next URL, a retry too.
    other = Receiver(config)
    app = web.Application()
    app.router.add_post("/wecom/callback/{app}", other.handle)
    srv = TestServer(app, host="127.0.0.1")
    await srv.start_server()
    try:
        first = sandbox.corp.callback_base_url
        assert first is not None
        second = str(srv.make_url("")).rstrip("/")
        sandbox.corp.callback_base_urls = (first, second)
        for i in range(4):
            await sandbox.customer_says(SEED_KF, C1, f"第{i}句")
        await sandbox.drain()
        assert receiver.hits == other.hits == 2
        assert [d.attempts[0]["url"] for d in sandbox.corp.driver.deliveries] == [
            first, second, first, second]
        receiver.status = 500  # the first process fails: the retry reaches the second
        await sandbox.staff_adds_customer("zhangwei", state="s1")
        await sandbox.drain()
        delivery = sandbox.corp.driver.deliveries[-1]
        assert delivery.status == "delivered"
        assert [(a["url"], a["status"]) for a in delivery.attempts] == [
            (first, 500), (second, 200)]
    finally:
        await srv.close()


async def test_a_closed_sandbox_calls_back_no_more(sandbox: Sandbox, receiver: Receiver) -> None:
    """What happens in a sandbox after its close() (a service's late reply making a kf
    event) is not delivered: its delivery would open an HTTP session close() no longer
    sees."""
    await sandbox.customer_says(SEED_KF, C1, "你好")
    await sandbox.drain()
    await sandbox.close()
    hits = receiver.hits
    await sandbox.customer_says(SEED_KF, C1, "还在吗")
    await sandbox.drain()
    assert sandbox.corp.driver.deliveries[-1].status == "skipped"
    assert receiver.hits == hits
