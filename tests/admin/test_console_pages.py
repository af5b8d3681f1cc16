"""Every page, rendered as an admin at 1366×768: no English on screen outside ids, codes and
proper names, and nothing wider than the main area. The specialist's pages (escalations,
their orders) at phone width (390×844, WeCom's in-app browser): no sideways scrolling and
their actions on screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aiohttp import FormData

from bot.api_access import create_token
from bot.models import Customer, Escalation
from bot.settings import Settings
from sandbox.contact_ways import QR_PNG
from tests.harness.browser import (
    OVERFLOW,
    PHONE,
    SKIP,
    VISIBLE_TEXT,
    browser_page,
    english,
    sign_in,
)
from tests.harness.waiting import one, wait_for
from tests.harness.world import CUSTOMER, KF, world

PAGES = ("playground", "rules", "orders", "escalations", "customers", "contact-ways", "tags",
         "media", "stats", "unanswered", "welcome", "pipelines", "notifications", "outages",
         "staff-roles", "tokens", "doctor")
TITLES = {"playground": "演练场", "rules": "关键词规则", "orders": "订单", "escalations": "转人工",
          "customers": "客户", "contact-ways": "渠道活码", "tags": "客户标签", "media": "素材库",
          "stats": "统计", "unanswered": "未回答问题", "welcome": "欢迎语",
          "pipelines": "里程碑模板", "notifications": "通知", "outages": "停机补录",
          "staff-roles": "成员角色", "tokens": "访问令牌", "doctor": "上线检查"}
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
        # The customer pages with something on them: a picture, tags, a channel code with a
        # welcome, a customer who came through it, and a rule that tags.
        form = FormData(quote_fields=False)
        form.add_field("file", QR_PNG, filename="展厅海报.png", content_type="image/png")
        resp = await w.client.post("/api/v1/media", data=form, headers=h)
        picture = (await resp.json())["id"]
        resp = await w.client.post("/api/v1/tags", headers=h, json={
            "group_name": "意向产品", "names": ["衣柜", "橱柜"]})
        tags = await resp.json()
        resp = await w.client.post("/api/v1/contact-ways", headers=h, json={
            "name": "展厅", "users": ["zhangwei", "lina"], "tags": [tags[0]["tag_id"]],
            "welcome_text": "您好{nickname}，欢迎来到展厅", "welcome_attachments": [
                {"msgtype": "image", "image": {"media": picture}},
                {"msgtype": "link", "link": {"title": "预约量尺", "url": "https://example.com/m",
                                             "pic_media": picture}}]})
        way = await resp.json()
        assert resp.status == 201, way
        await w.sandbox.customer_scans_code(way["config_id"], "wmShowroomA", name="钱女士")
        resp = await w.client.post("/api/v1/rules", headers=h, json={
            "id": "wardrobe", "name": "衣柜意向", "when": {"any": ["衣柜"]}, "tag": ["衣柜"],
            "scope": {"tag": ["橱柜"]}, "replies": {"messages": [
                {"text": "这是衣柜的实拍："}, {"image": {"media": picture}}]}})
        assert resp.status == 201, await resp.text()
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
            # An order open, with its timeline, is a page too; so are a customer's record,
            # a channel code's card and the forms that open over the pages.
            customer = await Customer.get(external_userid="wmShowroomA")
            for name, route, ready in (
                    ("orders", "orders/DD3001", "#order-detail h2:has-text('DD3001')"),
                    ("customers", f"customers/{customer.id}", "#customer-timeline"),
                    ("contact-ways", f"contact-ways/{way['id']}", "#way-qr img"),
                    ("rules", "rules/wardrobe", "#rule-form"),
                    ("contact-ways", "contact-ways", "#way-form")):
                await _settle_page(page, name, route)
                if ready == "#way-form":
                    await page.click("#way-new")
                await page.wait_for_selector(ready)
                await page.wait_for_timeout(300)
                words = english(await page.evaluate(VISIBLE_TEXT, SKIP))
                if words:
                    problems[f"{route}: english"] = words
                wide = await page.evaluate(OVERFLOW)
                if wide["main"] > 0 or wide["page"] > 0:
                    problems[f"{route}: overflow"] = wide
            await page.keyboard.press("Escape")
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
        for no, specialist in (("DD3002", "zhangwei"), ("DD3003", "lina")):
            resp = await w.client.post("/api/v1/orders", headers=admin, json={
                "order_no": no, "customer": {"name": "陈女士", "phone": "13800000000"},
                "team": {"specialist": specialist}})
            assert resp.status == 201
        await w.sandbox.staff_adds_customer("zhangwei", "wmPhoneA", name="吴先生")
        await w.settle()
        customer = await wait_for(lambda: one(Customer, external_userid="wmPhoneA"))

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

            # Their orders: the list starts on 我的订单 (DD3002, not lina's DD3003), then an
            # order's detail and milestone form.
            await page.evaluate("location.hash = '#/orders'")
            await page.wait_for_selector("#order-list [data-order=DD3002]")
            assert await page.locator("#order-list [data-order=DD3003]").count() == 0
            assert await page.evaluate(OVERFLOW) == {"main": 0, "page": 0}
            await page.click("#order-scope label:has-text('全部订单')")
            await page.wait_for_selector("#order-list [data-order=DD3003]")
            await page.evaluate("location.hash = '#/orders/DD3002'")
            await page.wait_for_selector("#order-detail h2:has-text('DD3002')")
            await page.wait_for_timeout(300)
            assert await page.evaluate(OVERFLOW) == {"main": 0, "page": 0}

            # A customer's record at phone width: the drawer fills the screen, and the
            # specialist can tag them.
            await page.evaluate("location.hash = '#/customers'")
            row = f"#customer-list tr:has([data-customer='{customer.id}'])"
            await page.click(row)
            await page.wait_for_selector("#customer-detail #customer-timeline")
            await page.wait_for_timeout(300)
            assert await page.evaluate(OVERFLOW) == {"main": 0, "page": 0}
            drawer = await page.locator(".detail-drawer").bounding_box()
            assert drawer is not None and drawer["width"] <= PHONE["width"]
            save = await page.locator("#customer-tag-save").bounding_box()
            assert save is not None and save["x"] + save["width"] <= PHONE["width"]
            assert page.js_errors == []
