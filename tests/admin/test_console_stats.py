"""The statistics page in a real browser: charts drawn as SVG from real data, escalation SLA
figures, new and lost customers per channel, and "make a rule" from an unanswered question
opening the rules editor prefilled."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.api_access import create_token
from bot.conversations import rules_store
from bot.conversations.rule_counters import count_rule
from bot.conversations.rulebook import changed
from bot.models import Escalation, EscalationStatus
from bot.settings import Settings
from sandbox import SEED_CUSTOMERS
from tests.harness.browser import browser_page, screenshot_path, sign_in
from tests.harness.world import CUSTOMER, KF, world

TABLE = {"id": "coffee-table", "name": "茶几配送", "priority": 60, "when": {"any": ["茶几"]},
         "action": "reply", "replies": {"messages": [{"text": "茶几三天可送达。"}]}}


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_charts_and_make_a_rule(
    mode_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    async with world(mode_settings(conversations={"load_sample_rules": False})) as w:
        await rules_store.create_rule(TABLE, "seed")
        await changed(w.services.ports)
        await w.sandbox.customer_says(KF, CUSTOMER, "茶几多久到")
        await w.wait_kf(1)
        await w.sandbox.customer_says(KF, SEED_CUSTOMERS[1][0], "可以开<b>发票</b>吗")
        await w.sandbox.customer_says(KF, SEED_CUSTOMERS[2][0], "可以开<b>发票</b>吗？")
        await w.sandbox.staff_adds_customer("zhangwei", "wmExpo1", state="expo")
        await w.settle()
        await w.sandbox.customer_deletes_staff("wmExpo1", "zhangwei")
        await w.settle()
        now = datetime.now(UTC)
        await count_rule("coffee-table", "kefu", now - timedelta(days=2), hits=3, replies=3)
        t0 = now - timedelta(hours=1)
        await Escalation.create(channel="kefu", conversation="kefu:x:1", reason="rule",
                                created_at=t0, status=EscalationStatus.RESOLVED,
                                claimed_at=t0 + timedelta(minutes=6),
                                resolved_at=t0 + timedelta(minutes=20))
        token = await create_token("root", "admin")
        async with browser_page(str(w.client.make_url("/"))) as page:
            await sign_in(page, token, "/admin/#/stats")
            await page.wait_for_selector("#chart-hits circle")
            assert await page.locator("#chart-hits circle").count() == 14
            last = page.locator("#chart-hits circle").last
            assert await last.get_attribute("data-value") == "1"
            assert await page.locator("#chart-hits circle[data-value='3']").count() == 1
            assert await page.locator("#chart-top g[data-label='coffee-table']").count() == 1
            assert await page.inner_text("#fig-claim-median .figure-value") == "6"
            assert await page.inner_text("#fig-resolve-p90 .figure-value") == "20"
            await page.wait_for_selector("#chart-notif rect")
            assert await page.inner_text("#fig-added .figure-value") == "1"
            assert await page.inner_text("#fig-lost .figure-value") == "1"
            expo = page.locator("#stats-contacts tr:has([data-code='expo']) .num")
            assert await expo.all_inner_texts() == ["1", "1", "0"]

            row = page.locator("#stats-unanswered tr.el-table__row").first
            assert (await row.locator(".num").inner_text()) == "2"
            assert "<b>发票</b>" in await row.inner_text()
            assert await page.locator("#stats-unanswered b").count() == 0
            await page.screenshot(path=str(screenshot_path("console-stats.png", tmp_path)),
                                  full_page=True)
            # Each card's table exports as the page shows it: the SLA figures, the new and
            # lost customers per channel and per member.
            async with page.expect_download() as info:
                await page.click("#stats-esc-export")
            text = await _text(await info.value)
            assert "认领用时,中位数（分钟）,6" in text and "解决用时,P90（分钟）,20" in text
            async with page.expect_download() as info:
                await page.click("#stats-contacts-export")
            download = await info.value
            assert download.suggested_filename == "客户增减.csv"
            text = await _text(download)
            assert "渠道,,expo,1,1,0" in text and "成员,张伟,zhangwei,1,1,0" in text
            assert await page.locator("#stats-contacts-members td:has-text('张伟')").count() == 1

            await row.locator("button.make-rule").click()
            await page.wait_for_selector("#page-rules #rule-problems .ok:has-text('未回答问题')")
            await page.click("#tab-json")
            draft = await page.input_value("#rule-json")
            assert "发票" in draft and '"contains"' in draft
            # Fill in the reply and create it: the next customer asking gets the answer.
            await page.fill("#rule-json", draft.replace("（请填写回复）", "可以开发票。"))
            await page.click("#rule-save")
            await page.wait_for_selector("#rule-problems .ok:has-text('已保存')")
            await page.fill("#test-text", "请问可以开<b>发票</b>吗")
            await page.wait_for_selector("#test-winner.ok")

            # A top-rule bar opens that rule.
            await page.goto("/admin/#/stats")
            await page.click("#chart-top g[data-label='coffee-table']")
            await page.wait_for_selector("#editor-title:has-text('coffee-table')")
            assert page.js_errors == []


async def _text(download: Any) -> str:
    raw = await asyncio.to_thread(Path(await download.path()).read_bytes)
    assert raw.startswith(b"\xef\xbb\xbf")
    return raw.decode("utf-8")
