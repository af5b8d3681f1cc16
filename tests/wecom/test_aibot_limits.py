"""The sandbox's AI bot is as strict as WeCom: 3 messages of a user being answered at once,
stream content ≤ 20,480 bytes, only stream/template-card replies to a message; the service
keeps its streams inside the limit."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import pytest

from bot.protocol.replies import STREAM_MAX_BYTES, TextReply, passive_aibot_plaintext
from sandbox import Sandbox, SandboxClock, SandboxError
from tests.harness.receiver import Receiver

CHAT = "wrInner"


def stream(content: str, finish: bool = True) -> str:
    return json.dumps({"msgtype": "stream",
                       "stream": {"id": "s1", "finish": finish, "content": content}},
                      ensure_ascii=False)


def code_of(url: str) -> str:
    return parse_qs(urlparse(url).query)["response_code"][0]


async def test_three_messages_in_flight_per_user(
    sandbox: Sandbox, receiver: Receiver, clock: SandboxClock,
) -> None:
    receiver.reply = None  # 200 with an empty body: answered later, by response_url
    urls = [(await sandbox.staff_mentions_aibot("lina", f"@bot 问题{i}", chatid=CHAT))
            ["response_url"] for i in range(3)]
    with pytest.raises(SandboxError, match="still being answered"):
        await sandbox.staff_mentions_aibot("lina", "@bot 第四个", chatid=CHAT)
    await sandbox.staff_mentions_aibot("wangqiang", "@bot 别人", chatid=CHAT)  # per user
    # Answering one through its response_url frees a place.
    sandbox.aibot.api_aibot_response(code_of(urls[0]),
                                     {"msgtype": "markdown", "markdown": {"content": "答"}})
    await sandbox.staff_mentions_aibot("lina", "@bot 第四个", chatid=CHAT)
    with pytest.raises(SandboxError):
        await sandbox.staff_mentions_aibot("lina", "@bot 第五个")
    # Six minutes on, WeCom no longer waits for any of them.
    clock.advance(6 * 60)
    await sandbox.staff_mentions_aibot("lina", "@bot 又来了")
    # A passive reply that finishes the stream answers at once.
    receiver.reply = stream("好的")
    for i in range(4):
        await sandbox.staff_mentions_aibot("liuyang", f"@bot 连问{i}", chatid=CHAT)
        await sandbox.drain()
    # An unfinished stream keeps its message in flight.
    receiver.reply = stream("思考中", finish=False)
    for i in range(3):
        await sandbox.staff_mentions_aibot("zhangwei", f"@bot 慢{i}")
        await sandbox.drain()
    with pytest.raises(SandboxError):
        await sandbox.staff_mentions_aibot("zhangwei", "@bot 慢3")
    await sandbox.drain()


@pytest.mark.parametrize(("reply", "shown"), [
    (stream("字" * (STREAM_MAX_BYTES // 3)), True),  # 20,478 bytes
    (stream("a" * STREAM_MAX_BYTES), True),
    (stream("a" * (STREAM_MAX_BYTES + 1)), False),
    (json.dumps({"msgtype": "text", "text": {"content": "hi"}}), False),  # welcome-only type
    (json.dumps({"msgtype": "markdown", "markdown": {"content": "hi"}}), False),
])
async def test_passive_reply_rules(
    sandbox: Sandbox, receiver: Receiver, reply: str, shown: bool,
) -> None:
    receiver.reply = reply
    await sandbox.staff_mentions_aibot("lina", "@bot 问", chatid=CHAT)
    await sandbox.drain()
    (got,) = sandbox.inbox(CHAT)
    assert got["channel"] == ("aibot_reply" if shown else "aibot_rejected")
    assert bool(sandbox.aibot.in_flight[("aibot", "lina")]) is not shown


def test_service_streams_stay_within_the_limit() -> None:
    long = "安装验收标准" * 2000  # 36,000 bytes
    body = json.loads(passive_aibot_plaintext(TextReply(long)))
    content = body["stream"]["content"]
    assert len(content.encode()) <= STREAM_MAX_BYTES and content.endswith("…")
    assert long.startswith(content[:-1])
    short = json.loads(passive_aibot_plaintext(TextReply("好")))["stream"]["content"]
    assert short == "好"
