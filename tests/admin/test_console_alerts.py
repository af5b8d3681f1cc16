"""The console shows WeCom's refusals that only an operator can fix above every page."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.api_access import create_token
from bot.settings import Settings
from tests.harness.browser import browser_page, sign_in
from tests.harness.world import world


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_an_untrusted_ip_shows_as_a_banner_with_its_fix(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        w.sandbox.corp.egress_ip = "203.0.113.9"
        w.sandbox.corp.admin["main"].trusted_ips = {"198.51.100.1"}
        ports = w.services.ports
        row = await ports.outbox.add(key="banner:1", api="message_send", recipient="lina",
                                     args={"msgtype": "text", "payload": {"content": "x"},
                                           "touser": "lina"})
        await ports.outbox.send_now([row])
        token = await create_token("look", "viewer")
        async with browser_page(str(w.client.make_url("/"))) as page:
            await sign_in(page, token, "/admin/")
            banner = await page.wait_for_selector("#alerts .alert")
            text = await banner.inner_text()
            assert "60020" in text and "把 IP 203.0.113.9 加到应用 main 的企业可信IP" in text
            assert "北京时间" in text
