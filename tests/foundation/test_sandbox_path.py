"""The whole path through the built-in sandbox: a staff member writes, WeCom (the sandbox)
sends the encrypted callback to the service, the service answers, the member reads it."""

from __future__ import annotations

from collections.abc import Callable

from bot.models import InboxEvent
from bot.settings import Settings
from tests.harness.service import sandbox_of, services_of, serving
from tests.harness.waiting import wait_for


async def test_staff_help_round_trip_through_the_sandbox(
    mode_settings: Callable[..., Settings],
) -> None:
    settings = mode_settings()
    async with serving(settings) as client:
        sandbox = sandbox_of(client)
        staff = next(iter(sandbox.corp.staff))
        await sandbox.staff_says(staff, "帮助")
        await sandbox.drain()
        got = sandbox.inbox(staff)
        assert got, "the staff member received nothing"
        assert "可用命令" in str(got[-1])
        assert await InboxEvent.filter(event_type="text").count() == 1


async def test_client_reaches_the_mounted_sandbox(mode_settings: Callable[..., Settings]) -> None:
    settings = mode_settings()
    async with serving(settings) as client:
        services = services_of(client)
        sandbox = services.sandbox
        staff = next(iter(sandbox.corp.staff))
        await services.wecom.app("main").send_text([staff], "系统通知")
        await wait_for(lambda: any("系统通知" in str(m) for m in sandbox.inbox(staff)))


async def test_sandbox_retries_land_in_the_inbox_exactly_once(
    mode_settings: Callable[..., Settings],
) -> None:
    from bot.infra.db import connection

    settings = mode_settings()
    async with serving(settings) as client:
        sandbox = sandbox_of(client)
        sandbox.corp.driver.retry_delay = 0.3
        conn = connection()
        # Storage is down for the first attempt: the service answers 503, WeCom retries.
        await conn.execute_script("ALTER TABLE inbox_event RENAME TO inbox_event_away")
        try:
            await sandbox.staff_says("zhangwei", "第一次")
            delivery = sandbox.corp.driver.deliveries[-1]
            await wait_for(lambda: delivery.attempts)
        finally:
            await conn.execute_script("ALTER TABLE inbox_event_away RENAME TO inbox_event")
        await sandbox.drain()
        assert delivery.status == "delivered"
        assert delivery.attempts[0].get("status") == 503
        # WeCom re-sends a callback whose answer it did not get: same plaintext, new ciphertext.
        app = settings.wecom.app("main")
        plaintext = (await InboxEvent.get()).plaintext
        again = sandbox.corp.driver.deliver(app, plaintext, "xml", "resend")
        await sandbox.drain()
        assert again.status == "delivered"
        assert await InboxEvent.all().count() == 1
