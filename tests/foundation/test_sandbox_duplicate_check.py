"""The sandbox honours message/send's duplicate check, as WeCom does (protocol.md §5.1)."""

from __future__ import annotations

from collections.abc import Callable

from bot.settings import Settings
from tests.harness.service import services_of, serving


async def test_same_message_within_the_interval_is_delivered_once(
    mode_settings: Callable[..., Settings],
) -> None:
    async with serving(mode_settings()) as client:
        services = services_of(client)
        sandbox = services.sandbox
        app = services.wecom.app("main")
        kw = {"touser": "liuyang", "enable_duplicate_check": 1, "duplicate_check_interval": 60}
        first = await app.message_send("text", {"content": "升级提醒"}, **kw)
        again = await app.message_send("text", {"content": "升级提醒"}, **kw)
        other = await app.message_send("text", {"content": "另一条"}, **kw)
        assert first["msgid"] == again["msgid"] != other["msgid"]
        assert len([m for m in sandbox.inbox("liuyang") if "升级提醒" in str(m)]) == 1
        sandbox.corp.clock.advance(61)
        await app.message_send("text", {"content": "升级提醒"}, **kw)
        assert len([m for m in sandbox.inbox("liuyang") if "升级提醒" in str(m)]) == 2
        # Without the check every send is delivered.
        await app.message_send("text", {"content": "无检查"}, touser="liuyang")
        await app.message_send("text", {"content": "无检查"}, touser="liuyang")
        assert len([m for m in sandbox.inbox("liuyang") if "无检查" in str(m)]) == 2
