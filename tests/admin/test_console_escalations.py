"""The escalation inbox in a real browser: a specialist sees what a customer escalated
(through the sandbox), reads the last messages, claims and resolves it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.api_access import create_token
from bot.models import Escalation, EscalationStatus
from bot.settings import Settings
from tests.harness.browser import browser_page, sign_in
from tests.harness.waiting import wait_for
from tests.harness.world import CUSTOMER, KF, world

HOSTILE = "<img src=x onerror=window.pwned=1>在吗"


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_specialist_claims_and_resolves(
    mode_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    async with world(mode_settings(conversations={"load_sample_rules": False})) as w:
        # Two unmatched messages in a row escalate the conversation.
        await w.sandbox.customer_says(KF, CUSTOMER, "你好")
        await w.sandbox.customer_says(KF, CUSTOMER, HOSTILE)
        await w.settle()

        async def found() -> Escalation | None:
            return await Escalation.filter(conversation__contains=CUSTOMER).first()

        esc = await wait_for(found)
        token = await create_token("zhangwei", "specialist")
        async with browser_page(str(w.client.make_url("/"))) as page:
            await sign_in(page, token, "/admin/#/escalations")
            card = f"#esc-list .esc[data-esc='{esc.id}']"
            await page.wait_for_selector(card)
            assert "转人工" in await page.inner_text("#nav")
            assert "演练场" not in await page.inner_text("#nav")
            await page.click(f"{card} .esc-show")
            await page.wait_for_selector(f"{card} .bubble.me:has-text('在吗')")
            assert HOSTILE in await page.inner_text(f"{card} .esc-messages")
            assert await page.locator(f"{card} img").count() == 0
            assert await page.evaluate("window.pwned === undefined")

            await page.click(f"{card} .esc-claim")
            await page.wait_for_selector(f"#page-escalations .ok:has-text('#{esc.id} 已认领')")
            assert await page.locator(f"{card} .esc-claim").count() == 0
            await wait_for(lambda: _status(esc.id, EscalationStatus.CLAIMED))
            assert (await Escalation.get(id=esc.id)).claimed_by == "zhangwei"
            await page.click("#esc-tabs button[data-status=claimed]")
            await page.wait_for_selector(f"{card}:has-text('张伟 认领于')")
            await page.click(f"{card} .esc-resolve")
            await wait_for(lambda: _status(esc.id, EscalationStatus.RESOLVED))
            await page.click("#esc-tabs button[data-status=resolved]")
            await page.wait_for_selector(f"{card}:has-text('解决于')")
            # The tabs count every escalation by status (the API's counts, not a list's length).
            resolved = await Escalation.filter(status=EscalationStatus.RESOLVED).count()
            await page.wait_for_selector(
                f"#esc-tabs button[data-status=resolved]:has-text('（{resolved}）')")
            # Search runs on the server: a customer nobody has finds nothing.
            await page.fill("#esc-search", "没有这个客户")
            await page.press("#esc-search", "Enter")
            await page.wait_for_selector(card, state="detached")
            assert page.js_errors == []


async def _status(esc_id: int, status: EscalationStatus) -> bool:
    return (await Escalation.get(id=esc_id)).status == status
