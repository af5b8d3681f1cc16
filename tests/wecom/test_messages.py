"""App messages, media upload (cached by content hash), AI-bot response_url."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestServer

from bot.ports import Store
from bot.protocol import errors as E
from bot.protocol.errors import WeComAPIError
from bot.settings import WeComConfig
from bot.wecom.client import AppClient, WeComClient
from sandbox import Sandbox, SandboxClock
from tests.harness.wecom_client import calls, make_client


@pytest.fixture
def main(client: WeComClient) -> AppClient:
    return client.app("main")


async def _code(coro: object) -> int:
    with pytest.raises(WeComAPIError) as info:
        await coro  # type: ignore[misc]
    return info.value.errcode


async def test_message_send(main: AppClient, sandbox: Sandbox) -> None:
    res = await main.send_text(["zhangwei", "ghost"], "新升级：客户 陈女士")
    assert res["invaliduser"] == "ghost" and res["msgid"]
    got = sandbox.inbox("zhangwei")[-1]
    assert got["channel"] == "app" and got["from"] == "main"
    assert got["payload"] == {"content": "新升级：客户 陈女士"}
    card = {"title": "订单 A001", "description": "量尺完成", "url": "https://e.x", "btntxt": "详情"}
    await main.message_send("textcard", card, touser="lina")
    assert sandbox.inbox("lina")[-1]["msgtype"] == "textcard"
    assert await _code(main.send_text("ghost", "x")) == E.ALL_RECIPIENTS_INVALID
    # WeCom cuts an app text past 2048 bytes without an error (docs 90236 "超过将截断").
    await main.send_text("lina", "长" * 700)
    cut = sandbox.inbox("lina")[-1]
    assert cut["truncated"] and len(cut["payload"]["content"].encode()) == 2046
    assert "truncated" not in sandbox.inbox("zhangwei")[-1]
    assert await _code(main.message_send("markdown", {"content": "长" * 700},
                                          touser="lina")) == E.CONTENT_TOO_LARGE
    assert await _code(main.message_send("bogus", {}, touser="lina")) == E.INVALID_PARAM


async def test_message_send_all(main: AppClient, sandbox: Sandbox) -> None:
    await main.send_text("@all", "全员通知")
    assert all(sandbox.inbox(u) for u in sandbox.corp.staff)


async def test_media_upload_is_cached_by_content(
    config: WeComConfig, store: Store, server: TestServer, sandbox: Sandbox
) -> None:
    client = make_client(config, store, server)
    try:
        main = client.app("main")
        png = b"\x89PNG\r\n\x1a\n"  # WeCom takes JPG and PNG pictures only
        first = await main.media_upload(
            "image", png + b"bytes", "a.png", content_type="image/png"
        )
        again = await main.media_upload("image", png + b"bytes", "b.png")
        other = await main.media_upload("image", png + b"other", "c.png")
        assert first["media_id"] == again["media_id"] != other["media_id"]
        assert len(calls(sandbox, "media/upload")) == 2
        await main.message_send("image", {"media_id": first["media_id"]}, touser="lina")
        assert sandbox.inbox("lina")[-1]["payload"] == {"media_id": first["media_id"]}
        # 40005 不合法的type参数; 40004 不合法的媒体文件类型 (protocol-2.md §4.1)
        assert await _code(main.media_upload("sticker", b"123456", "x")) == 40005
        assert await _code(main.media_upload("image", b"GIF89a-bytes", "x.gif")) == 40004
        assert await _code(main.message_send("image", {"media_id": "nope"}, touser="lina")) == (
            E.INVALID_MEDIA_ID
        )
    finally:
        await client.close()


async def test_media_expires_after_three_days(
    main: AppClient, sandbox: Sandbox, clock: SandboxClock
) -> None:
    media = await main.media_upload("file", b"report-bytes", "r.pdf")
    clock.advance(3 * 24 * 3600 + 1)
    assert await _code(
        main.message_send("file", {"media_id": media["media_id"]}, touser="lina")
    ) == (E.INVALID_MEDIA_ID)


async def test_aibot_response_url_once(
    client: WeComClient, sandbox: Sandbox, server: TestServer, clock: SandboxClock
) -> None:
    sandbox.corp.public_base_url = str(server.make_url("")).rstrip("/")
    mention = await sandbox.staff_mentions_aibot("lina", "@机器人 A001 进度", chatid="wrInternal1")
    url = mention["response_url"]
    assert url.startswith(sandbox.corp.public_base_url + "/cgi-bin/aibot/response?response_code=")
    body = {"msgtype": "markdown", "markdown": {"content": "**A001**：设计中"}}
    assert (await client.aibot_respond(url, body))["errcode"] == 0
    assert sandbox.inbox("wrInternal1")[-1]["payload"] == {"content": "**A001**：设计中"}
    with pytest.raises(WeComAPIError) as info:
        await client.aibot_respond(url, body)
    assert info.value.errcode == E.INVALID_PARAM
    assert "response_code" not in str(info.value)
    late = (await sandbox.staff_mentions_aibot("lina", "hi"))["response_url"]
    clock.advance(3601)
    with pytest.raises(WeComAPIError):
        await client.aibot_respond(late, body)
    assert all("access_token" not in str(c) for c in sandbox.calls)
