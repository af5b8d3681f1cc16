"""The survey after 验收: a kf menu while the customer's window is open, and the rating form
linked from the progress page (in Chromium, and refusing cross-site and forged posts);
the rating counts for the order's specialist, designer and installer and shows on the
timeline and in the statistics; a low one is raised to the supervisor."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestClient

from bot.models import Escalation, KfConversation, Notification, NotificationStatus, Survey
from bot.models.surveys import pick_id
from bot.orders import order_surveys
from bot.settings import Settings
from sandbox import SEED_KF
from sandbox.model import Staff
from tests.harness.admin import Admin
from tests.harness.browser import PHONE, browser_page
from tests.harness.policies import FAST
from tests.harness.service import sandbox_of, services_of, serving
from tests.harness.waiting import one, outbox_settled, wait_for
from tests.harness.world import CUSTOMER, World, load_sample_rules
from tests.orders.helpers import TEAM, new_order, orders_settings

NO = "DD20261230"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture(autouse=True)
def menu_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The menu waits a few seconds behind the stage's own notice; not in tests."""
    monkeypatch.setattr(order_surveys, "DELAY_SECONDS", 0.0)


async def accepted_order(client: TestClient, *, kf_open: bool) -> Admin:
    """An order taken to 验收 (its customer wrote in kefu first when ``kf_open``)."""
    services_of(client).wecom.retry = FAST
    await load_sample_rules(World(client))
    admin = await Admin.make(client)
    await new_order(admin, NO, customer={"external_userid": CUSTOMER, "name": "陈女士",
                                         "open_kfid": SEED_KF}, team=TEAM)
    if kf_open:
        await sandbox_of(client).customer_says(SEED_KF, CUSTOMER, "你好")
        # The sandbox calls back in the background: the window is open once the message
        # is pulled, which the customer's conversation shows.
        await wait_for(lambda: one(KfConversation, external_userid=CUSTOMER,
                                   last_customer_at__isnull=False))
        await outbox_settled()
    status, _ = await admin.call("POST", f"/orders/{NO}/milestones", {
        "milestone": "验收", "event_id": "done", "force": True})
    assert status == 201
    return admin


def rating_menus(client: TestClient) -> list[dict[str, Any]]:
    return [m for m in sandbox_of(client).inbox(CUSTOMER) if m["channel"] == "kf"
            and m["msgtype"] == "msgmenu" and "请为我们的服务打分" in str(m["payload"])]


async def progress_path(admin: Admin) -> str:
    _, got = await admin.call("GET", f"/orders/{NO}")
    return urlsplit(got["progress_url"]).path


async def test_a_kf_menu_after_acceptance_counts_for_the_team(
    mode_settings: Callable[..., Settings],
) -> None:
    async with serving(orders_settings(mode_settings)) as client:
        admin = await accepted_order(client, kf_open=True)
        menu = (await wait_for(lambda: rating_menus(client)))[-1]["payload"]
        survey = await Survey.get(kind="order", order_no=NO)
        assert f"{NO} 已完成「验收」" in menu["head_content"]
        assert (await progress_path(admin)) + "/rate" in menu["tail_content"]
        await sandbox_of(client).customer_clicks(SEED_KF, CUSTOMER, pick_id(survey.id, 5))
        rated = await wait_for(lambda: one(Survey, id=survey.id, score=5))
        assert rated.answered_via == "kf" and rated.escalation_id is None
        _, tl = await admin.call("GET", f"/orders/{NO}/timeline")
        assert [e["detail"] for e in tl["entries"] if e["kind"] == "rating"] == [
            "客户评价「验收」5 分"]
        kefu = [(n["kind"], n["status"]) for e in tl["entries"] for n in e["notifications"]
                if n["channel"] == "kefu"]
        assert ("survey", "sent") in kefu or ("survey", "delivered") in kefu
        _, stats = await admin.call("GET", "/stats/satisfaction")
        assert {(p["userid"], tuple(p["roles"]), p["average"]) for p in stats["people"]} == {
            ("zhangwei", ("specialist",), 5.0), ("lina", ("designer",), 5.0),
            ("wangqiang", ("installer",), 5.0)}
        assert [(s["stage"], s["count"]) for s in stats["stages"]] == [("验收", 1)]
        page = await client.get(await progress_path(admin))
        assert "您已评价 5 分" in await page.text()
        await outbox_settled()


async def test_a_low_rating_goes_to_the_specialists_leader_from_the_directory(
    embedded_settings: Callable[..., Settings],
) -> None:
    # The account's supervisor is configured, but the directory names the specialist's
    # 直属上级: the rating is about the specialist's work, so it goes to that leader.
    settings = orders_settings(embedded_settings, conversations={"supervisors": {"*": "liuyang"}})
    async with serving(settings) as client:
        sandbox = sandbox_of(client)
        sandbox.corp.staff["zhoumin"] = Staff("zhoumin", "周敏", "manager")
        sandbox.corp.set_direct_leader("zhangwei", "zhoumin")
        await accepted_order(client, kf_open=True)
        await wait_for(lambda: rating_menus(client))
        survey = await Survey.get(kind="order", order_no=NO)
        await sandbox.customer_clicks(SEED_KF, CUSTOMER, pick_id(survey.id, 2))
        esc = await wait_for(lambda: one(Escalation, channel="survey"))
        assert (esc.reason, esc.raised_to, esc.servicer_userid) == (
            "rating", "zhoumin", "zhoumin")
        card = (await wait_for(lambda: [m for m in sandbox.inbox("zhoumin")
                                        if m["channel"] == "app"]))[-1]["payload"]
        assert "张伟（专员）" in str(card["horizontal_content_list"])
        assert not [m for m in sandbox.inbox("liuyang") if m["channel"] == "app"
                    and "低分评价" in str(m["payload"])]
        await outbox_settled()


async def test_the_rating_form_in_a_phone_browser_raises_a_low_rating(
    embedded_settings: Callable[..., Settings], tmp_path: Path,
) -> None:
    settings = orders_settings(embedded_settings, conversations={"supervisors": {"*": "liuyang"}})
    async with serving(settings) as client:
        admin = await accepted_order(client, kf_open=False)
        # No kf window: the menu is skipped with why; the page's link is the way.
        skipped = await wait_for(lambda: one(Notification, kind="survey",
                                             status=NotificationStatus.SKIPPED))
        assert "状态为 4" in (skipped.detail or "")
        path = await progress_path(admin)
        async with browser_page(str(client.make_url("")), viewport=PHONE) as page:
            await page.goto(path)
            await page.click("#rate-link")
            await page.wait_for_selector("#rate-form")
            assert page.url.endswith(path + "/rate")
            await page.click("label.score:has(input[value='1'])")
            await page.fill("#comment", "安装时把墙面划伤了")
            await page.screenshot(path=str(tmp_path / "rating-form.png"), full_page=True)
            await page.click("#rate-submit")
            await page.wait_for_selector("#thanks")
            assert await page.get_attribute("#thanks", "data-score") == "1"
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"] and page.js_errors == []
            await page.goto(path)
            assert "您已评价 1 分" in (await page.text_content("#rating") or "")
        survey = await Survey.get(kind="order", order_no=NO)
        assert (survey.score, survey.comment, survey.answered_via) == (
            1, "安装时把墙面划伤了", "page")
        esc = await wait_for(lambda: one(Escalation, channel="survey"))
        assert esc.raised_to == "liuyang" and esc.order_no == NO
        sandbox = sandbox_of(client)
        card = (await wait_for(lambda: [m for m in sandbox.inbox("liuyang")
                                        if m["channel"] == "app"]))[-1]["payload"]
        assert "安装时把墙面划伤了" in card["quote_area"]["quote_text"]
        assert "张伟（专员）" in str(card["horizontal_content_list"])
        await outbox_settled()


async def test_the_form_refuses_forged_and_cross_site_posts(
    embedded_settings: Callable[..., Settings],
) -> None:
    async with serving(orders_settings(embedded_settings)) as client:
        services_of(client).wecom.retry = FAST
        admin = await Admin.make(client)
        await new_order(admin, NO, customer={"external_userid": CUSTOMER}, team=TEAM)
        path = await progress_path(admin)
        rate = path + "/rate"
        assert (await client.get(rate)).status == 404  # nothing to rate before 验收
        assert "rate-link" not in await (await client.get(path)).text()
        await admin.call("POST", f"/orders/{NO}/milestones",
                         {"milestone": "验收", "event_id": "done", "force": True})
        form = await client.get(rate)
        html = await form.text()
        assert form.status == 200 and "form-action 'self'" in form.headers[
            "Content-Security-Policy"] and "frame-ancestors 'none'" in form.headers[
            "Content-Security-Policy"]
        match = CSRF.search(html)
        assert match
        csrf = match.group(1)

        async def post(data: dict[str, str], **headers: str) -> tuple[int, str]:
            resp = await client.post(rate, data=data, headers=headers, allow_redirects=False)
            return resp.status, await resp.text()

        good = {"csrf": csrf, "score": "4", "comment": "不错"}
        assert (await post({**good, "csrf": ""}))[0] == 403
        assert (await post({**good, "csrf": csrf[:-1] + ("0" if csrf[-1] != "0" else "1")})
                )[0] == 403
        status, text = await post(good, Origin="https://evil.example")
        assert status == 403 and "请在订单进度页中打开评价后提交" in text
        assert (await post(good, **{"Sec-Fetch-Site": "cross-site"}))[0] == 403
        status, text = await post({**good, "score": "6"})
        assert status == 400 and "请选择 1 到 5 分" in text
        status, text = await post({**good, "comment": "长" * 201})
        assert status == 400 and "留言最多 200 字" in text
        resp = await client.post(rate, data=b"{}", headers={"Content-Type": "application/json"})
        assert resp.status == 400
        assert (await client.post(f"/p/{'A' * 39}/rate", data=good)).status == 404
        assert (await Survey.get(order_no=NO)).score is None  # nothing above was taken

        # A revoked link: its form is gone, and its token signs nothing for the new link.
        _, fresh = await admin.call("POST", f"/orders/{NO}/progress-link/revoke")
        assert (await post(good))[0] == 404
        new_rate = urlsplit(fresh["progress_url"]).path + "/rate"
        resp = await client.post(new_rate, data=good, allow_redirects=False)
        assert resp.status == 403

        # A good post, from the page itself: taken once, then the thanks.
        match = CSRF.search(await (await client.get(new_rate)).text())
        assert match
        good["csrf"] = match.group(1)
        resp = await client.post(new_rate, data=good, allow_redirects=False,
                                 headers={"Origin": str(client.make_url("")).rstrip("/")})
        assert resp.status == 303 and resp.headers["Location"] == new_rate
        thanks = await client.get(new_rate)
        assert thanks.status == 200 and 'data-score="4"' in await thanks.text()
        again = await client.post(new_rate, data={**good, "score": "1"})
        assert again.status == 200 and 'data-score="4"' in await again.text()
        survey = await Survey.get(order_no=NO)
        assert (survey.score, survey.comment) == (4, "不错")
        await outbox_settled()
