"""CSV exports: a specialist signed in through the sandbox's WeCom login claims and resolves
an escalation and exports the resolved ones from the page; every list's export is UTF-8 with
a BOM, Chinese headers, 北京时间 and the list's filters."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.api_access import create_token
from bot.models import Escalation
from bot.settings import Settings
from tests.harness.browser import browser_page, screenshot_path
from tests.harness.waiting import wait_for
from tests.harness.world import CUSTOMER, KF, world

BOM = "\ufeff"
STAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


def rows_of(text: str) -> list[dict[str, str]]:
    assert text.startswith(BOM)
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_a_specialist_exports_what_they_resolved(
    mode_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    async with world(mode_settings(conversations={"load_sample_rules": False})) as w:
        await w.sandbox.customer_says(KF, CUSTOMER, "你好")
        await w.sandbox.customer_says(KF, CUSTOMER, "=HYPERLINK(\"http://x\")")
        await w.settle()

        async def escalated() -> Escalation | None:
            return await Escalation.filter(conversation__contains=CUSTOMER).first()

        esc = await wait_for(escalated)
        admin = {"Authorization": f"Bearer {await create_token('root', 'admin')}"}
        resp = await w.client.put("/api/v1/staff-roles", headers=admin,
                                  json={"userid": "zhangwei", "role": "specialist"})
        assert resp.status == 200

        async with browser_page(str(w.client.make_url("/"))) as page:
            await page.goto("/admin/")
            await page.click("#wecom-login")
            await page.click("a.staff[data-userid=zhangwei]")
            await page.wait_for_selector("#who:has-text('张伟')")
            await page.click("#nav [data-page=escalations]")
            card = f"#esc-list .esc[data-esc='{esc.id}']"
            await page.click(f"{card} .esc-claim")
            await page.wait_for_selector(f"#page-escalations .ok:has-text('#{esc.id} 已认领')")
            await page.click("#esc-tabs button[data-status=claimed]")
            await page.click(f"{card} .esc-resolve")
            await page.wait_for_selector(f"#page-escalations .ok:has-text('#{esc.id} 已解决')")
            await page.click("#esc-tabs button[data-status=resolved]")
            await page.wait_for_selector(card)
            await page.click(f"{card} .esc-show")
            await page.wait_for_selector(f"{card} .bubble")
            await page.screenshot(path=str(screenshot_path("console-escalations.png", tmp_path)))
            async with page.expect_download() as info:
                await page.click("#esc-export")
            download = await info.value
            assert download.suggested_filename == "转人工.csv"
            raw = await asyncio.to_thread(Path(await download.path()).read_bytes)
            assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
            rows = rows_of(raw.decode("utf-8"))
            assert [r["编号"] for r in rows] == [str(esc.id)]  # the tab's filter applied
            row = rows[0]
            assert row["状态"] == "已解决" and row["渠道"] == "微信客服"
            assert row["认领人"] == row["解决人"] == "张伟（zhangwei）"
            assert STAMP.fullmatch(row["解决于"]), row["解决于"]
            # The open tab's export has the header and nothing else.
            await page.click("#esc-tabs button[data-status=open]")
            async with page.expect_download() as info:
                await page.click("#esc-export")
            text = (await asyncio.to_thread(Path(await (await info.value).path()).read_bytes)
                    ).decode("utf-8")
            assert text.startswith(BOM + "编号,状态,原因") and rows_of(text) == []
            assert page.js_errors == []

        # Every list exports; a customer's words never become an Excel formula.
        for path, header in (("/orders.csv", "订单号"), ("/notifications.csv", "编号"),
                             ("/unanswered.csv", "时间"), ("/stats/rules.csv", "规则"),
                             ("/stats/unanswered.csv", "问题（归一化）")):
            resp = await w.client.get("/api/v1" + path, headers=admin)
            assert resp.status == 200, path
            assert resp.headers["Content-Type"].startswith("text/csv")
            assert "attachment" in resp.headers["Content-Disposition"]
            text = await resp.text(encoding="utf-8")
            assert text.startswith(BOM + header), (path, text[:40])
        resp = await w.client.get("/api/v1/unanswered.csv", headers=admin)
        questions = [r["问题"] for r in rows_of(await resp.text(encoding="utf-8"))]
        assert "'=HYPERLINK(\"http://x\")" in questions
        # Bad filters are refused in Chinese, as the list refuses them.
        resp = await w.client.get("/api/v1/escalations.csv", headers=admin,
                                  params={"status": "gone"})
        assert resp.status == 400 and (await resp.json())["error"]["field"] == "status"
