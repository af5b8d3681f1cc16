"""Every page, rendered as an admin at 1366×768: no English on screen outside ids, codes and
proper names, and nothing wider than the main area. The specialist's pages (escalations,
their orders) at phone width (390×844, WeCom's in-app browser): no sideways scrolling and
their actions on screen."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from bot.api_access import create_token
from bot.models import Escalation
from bot.settings import Settings
from tests.harness.browser import PHONE, browser_page, sign_in
from tests.harness.waiting import wait_for
from tests.harness.world import CUSTOMER, KF, world

PAGES = ("playground", "rules", "orders", "escalations", "stats", "unanswered", "welcome",
         "pipelines", "notifications", "staff-roles", "tokens", "doctor")
# Proper names and abbreviations people read as they are.
ALLOWED = {"WeCom", "API", "CSV", "JSON", "YAML", "ERP", "ID", "IP", "QR", "P90", "URL",
           "Secret", "AgentId", "Token", "HTTP", "HTTPS", "SLA", "Excel", "PNG", "JPG", "AES",
           "EncodingAESKey", "CorpID", "Redis", "PostgreSQL", "SQLite", "Prometheus"}
# Text people read as data, not UI: ids, codes, the customers' own words.
SKIP = "code, pre, kbd, .muted, .mono, .bubble, .cell-wrap, [data-id], .el-input, .el-textarea"
VISIBLE_TEXT = """(skip) => {
  const out = [];
  const walk = document.createTreeWalker(document.querySelector('#app'), NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el || el.closest(skip)) continue;
    if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
    out.push(n.textContent.trim());
  }
  return out;
}"""
OVERFLOW = """() => {
  const main = document.querySelector('.main');
  return {main: main.scrollWidth - main.clientWidth,
          page: document.documentElement.scrollWidth - window.innerWidth};
}"""
TITLES = {"playground": "演练场", "rules": "关键词规则", "orders": "订单", "escalations": "转人工",
          "stats": "统计", "unanswered": "未回答问题", "welcome": "欢迎语",
          "pipelines": "里程碑模板", "notifications": "通知", "staff-roles": "成员角色",
          "tokens": "访问令牌", "doctor": "上线检查"}
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.@-]*")


def english(texts: list[str]) -> list[str]:
    """Latin words that are neither allowed names nor shaped like ids (digits, _ . @ -)."""
    found = []
    for text in texts:
        # 「李娜（lina）」: the id in brackets after a name is the console's secondary text.
        for word in WORD.findall(re.sub(r"（[^）]*）", "", text)):
            if word in ALLOWED or re.search(r"[0-9_.@-]", word) or len(word) == 1:
                continue
            found.append(f"{word!r} in {text[:60]!r}")
    return found


async def _settle_page(page: Any, name: str, route: str = "") -> None:
    await page.evaluate(f"location.hash = '#/{route or name}'")
    await page.wait_for_selector(f"#page-{name}")
    await page.wait_for_load_state("networkidle")
    await page.wait_for_timeout(300)  # transitions


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_every_page_is_chinese_and_fits(mode_settings: Callable[..., Settings]) -> None:
    async with world(mode_settings()) as w:
        token = await create_token("root", "admin")
        h = {"Authorization": f"Bearer {token}"}
        await w.sandbox.customer_says(KF, CUSTOMER, "有没有优惠活动呀")
        await w.sandbox.customer_says(KF, CUSTOMER, "人工")
        resp = await w.client.post("/api/v1/orders", headers=h, json={
            "order_no": "DD3001", "customer": {"name": "陈女士", "phone": "13800000000"},
            "team": {"specialist": "zhangwei", "designer": "lina"}})
        assert resp.status == 201
        await w.sandbox.staff_creates_group("zhangwei", "DD3001 全屋定制服务群")
        await w.settle()
        problems: dict[str, Any] = {}
        async with browser_page(str(w.client.make_url("/"))) as page:
            await sign_in(page, token, "/admin/#/orders")
            for name in PAGES:
                await _settle_page(page, name)
                texts = await page.evaluate(VISIBLE_TEXT, SKIP)
                # The walk sees the page (its title in the menu and heading) …
                assert sum(TITLES[name] in t for t in texts) >= 2, (name, texts[:20])
                words = english(texts)
                wide = await page.evaluate(OVERFLOW)
                if words:
                    problems[f"{name}: english"] = words
                if wide["main"] > 0 or wide["page"] > 0:
                    problems[f"{name}: overflow"] = wide
            # An order open, with its timeline, is a page too.
            await _settle_page(page, "orders", "orders/DD3001")
            await page.wait_for_selector("#order-detail h2:has-text('DD3001')")
            words = english(await page.evaluate(VISIBLE_TEXT, SKIP))
            if words:
                problems["order: english"] = words
            assert page.js_errors == []
        assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())
    # … and the check finds English where there is some.
    assert english(["已发送 sent", "张伟 zhangwei_1", "WeCom API"]) == ["'sent' in '已发送 sent'"]


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_specialist_pages_at_phone_width(mode_settings: Callable[..., Settings]) -> None:
    async with world(mode_settings(conversations={"load_sample_rules": False})) as w:
        await w.sandbox.customer_says(KF, CUSTOMER, "你好")
        await w.sandbox.customer_says(KF, CUSTOMER, "在吗")
        admin = {"Authorization": f"Bearer {await create_token('root', 'admin')}"}
        resp = await w.client.post("/api/v1/orders", headers=admin, json={
            "order_no": "DD3002", "customer": {"name": "陈女士", "phone": "13800000000"},
            "team": {"specialist": "zhangwei"}})
        assert resp.status == 201
        await w.settle()

        async def escalated() -> Escalation | None:
            return await Escalation.filter(conversation__contains=CUSTOMER).first()

        esc = await wait_for(escalated)
        token = await create_token("zhangwei", "specialist")
        async with browser_page(str(w.client.make_url("/")), viewport=PHONE) as page:
            await sign_in(page, token, "/admin/#/escalations")
            card = f"#esc-list .esc[data-esc='{esc.id}']"
            await page.wait_for_selector(card)
            await page.wait_for_timeout(300)
            assert await page.evaluate(OVERFLOW) == {"main": 0, "page": 0}
            claim = page.locator(f"{card} .esc-claim")
            box = await claim.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
            await claim.click()
            await page.wait_for_selector(f"#page-escalations .ok:has-text('#{esc.id} 已认领')")

            # Their orders: the list filtered to them, an order's detail and milestone form.
            await page.evaluate("location.hash = '#/orders/DD3002'")
            await page.wait_for_selector("#order-detail h2:has-text('DD3002')")
            await page.wait_for_timeout(300)
            assert await page.evaluate(OVERFLOW) == {"main": 0, "page": 0}
            assert page.js_errors == []
