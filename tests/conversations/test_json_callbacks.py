"""The sandbox calls the service back in the format the app's admin chose (接收消息格式,
protocol-2.md §9): a staff command answered passively and a 客户联系 event, XML and JSON,
through the real service."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from bot.models import ContactEvent, InboxEvent, WelcomeOutcome
from bot.protocol.safexml import parse_xml
from bot.settings import Settings
from sandbox import DEFAULT_PREFIX
from tests.harness.waiting import wait_for
from tests.harness.world import world


@pytest.mark.parametrize("fmt", ["xml", "json"])
async def test_staff_command_and_contact_event_in_the_apps_format(
    mode_settings: Callable[..., Settings], fmt: str,
) -> None:
    async with world(mode_settings()) as w:
        # What an admin sets in WeCom's console, through the sandbox's control API.
        resp = await w.client.post(f"{DEFAULT_PREFIX}/sandbox/admin/app",
                                   json={"app": "main", "callback_format": fmt})
        assert resp.status == 200
        await w.sandbox.staff_says("lina", "帮助")

        def replies() -> list[str]:
            return [m["reply"] for m in w.sandbox.inbox("lina") if m["channel"] == "app_reply"]

        (plaintext,) = await wait_for(replies)
        # The passive reply came back in the callback's format and decrypted (the driver is
        # strict: a JSON reply's four fields must be strings).
        reply = json.loads(plaintext) if fmt == "json" else parse_xml(plaintext)
        assert (reply["ToUserName"], reply["MsgType"]) == ("lina", "text")
        assert "可用命令" in reply["Content"]
        await w.sandbox.staff_adds_customer("zhangwei", "wmFormat1", name="周先生", state="expo")
        await w.settle()
        assert w.sandbox.inbox("wmFormat1")[-1]["channel"] == "welcome"
        assert (await WelcomeOutcome.get(external_userid="wmFormat1")).outcome == "sent"
        assert await ContactEvent.filter(external_userid="wmFormat1", channel_code="expo",
                                         change="add_external_contact").exists()
        stored = {r.fmt for r in await InboxEvent.all()}
        assert stored == {"app-json" if fmt == "json" else "xml"}
        deliveries = w.sandbox.corp.driver.deliveries
        assert {d.fmt for d in deliveries} == {fmt}
        assert all(d.status == "delivered" and d.reply_error is None for d in deliveries)


async def test_callback_format_is_an_app_setting(mode_settings: Callable[..., Settings]) -> None:
    async with world(mode_settings()) as w:
        url = f"{DEFAULT_PREFIX}/sandbox/admin/app"
        for body in ({"app": "main", "callback_format": "yaml"},
                     {"app": "aibot", "callback_format": "xml"}):  # the AI bot is JSON only
            assert (await w.client.post(url, json=body)).status == 400
        world_apps = {a["name"]: a for a in w.sandbox.world()["apps"]}
        assert world_apps["main"]["callback_format"] == "xml"
