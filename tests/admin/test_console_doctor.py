"""The 上线检查 page in a real browser: an admin runs the checks; a fault made in the (sandbox)
corp's console shows as 失败 with its fix; a viewer's token cannot run them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.api_access import create_token
from bot.settings import Settings
from tests.harness.browser import browser_page, sign_in
from tests.harness.world import world


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_the_doctor_page_shows_each_check_and_its_fix(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        token = await create_token("root", "admin")
        async with browser_page(str(w.client.make_url("/"))) as page:
            await sign_in(page, token, "/admin/#/doctor")
            await page.click("#doctor-run")
            row = "#doctor-checks tr:has([data-check='secret:main'])"
            await page.wait_for_selector(row)
            assert "通过" in await page.inner_text(row)
            assert "Secret 正确" in await page.inner_text(row)
            sandbox = w.sandbox
            assert sandbox is not None
            sandbox.corp.admin["main"].contact_api = False
            await page.click("#doctor-run")
            row = "#doctor-checks tr:has([data-check='contact:main'])"
            await page.wait_for_selector(f"{row} .doctor-fail")
            text = await page.inner_text(row)
            assert "48002" in text and "可调用接口的应用" in text
            assert "失败" in await page.inner_text("#doctor-summary")
