"""Progress on request and the progress page, end to end through the sandbox.

A kefu customer asks "沙发什么时候到" and hears the stage, the next stage's expected date
(business days) and the page's link; the page shows the right stages; a revoked or expired
link opens the plain 404 page; several orders come as a kf menu to pick from; a customer
without an order gets the fallback; staff `进度 <订单号>` shows the same dates; pages are
limited per address; hostile tokens never get a 5xx.
"""

from __future__ import annotations

import asyncio
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from aiohttp.test_utils import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.infra.clock import SettableClock, cst_date, utcnow
from bot.models import KfConversation, Notification, NotificationStatus, Order, ServerSecret
from bot.orders import eta, pipelines, progress_links
from bot.settings import Settings
from keywords.workdays import add_workdays
from sandbox import SEED_CUSTOMERS, SEED_KF
from tests.harness.admin import Admin
from tests.harness.browser import PHONE, browser_page
from tests.harness.policies import FAST
from tests.harness.service import sandbox_of, services_of, serving
from tests.harness.waiting import one, outbox_settled, wait_for
from tests.harness.world import World, load_sample_rules
from tests.orders.helpers import TEAM, new_order, orders_settings

NO = "DD20261201"
CUSTOMER, OTHER, THIRD = (c for c, _ in SEED_CUSTOMERS)
LINK = re.compile(r"https?://\S+?(/p/[A-Za-z0-9_-]+)")
NOTE = "客户比较挑剔注意沟通"  # a milestone note: the team's words, never on the page


async def start(client: TestClient) -> Admin:
    services_of(client).wecom.retry = FAST
    await load_sample_rules(World(client))
    return await Admin.make(client)


def kf_messages(client: TestClient, euid: str) -> list[dict[str, Any]]:
    return [m for m in sandbox_of(client).inbox(euid) if m["channel"] == "kf"]


async def next_kf(client: TestClient, euid: str, before: int) -> dict[str, Any]:
    got = await wait_for(lambda: len(kf_messages(client, euid)) > before
                         and kf_messages(client, euid))
    return got[before]


async def ask(client: TestClient, euid: str, text: str) -> dict[str, Any]:
    """The customer writes in kefu; the service's answer."""
    before = len(kf_messages(client, euid))
    await sandbox_of(client).customer_says(SEED_KF, euid, text)
    return await next_kf(client, euid, before)


async def order_at_measuring(admin: Admin, order_no: str = NO, customer: str = CUSTOMER
                             ) -> None:
    await new_order(admin, order_no, customer={"external_userid": customer, "name": "陈女士",
                                               "open_kfid": SEED_KF}, team=TEAM)
    for i, stage in enumerate(("签约", "量尺")):
        status, _ = await admin.call("POST", f"/orders/{order_no}/milestones", {
            "milestone": stage, "event_id": f"{order_no}-{i}", "note": NOTE})
        assert status == 201
    # The customer's milestone notices go out through a job: let them land before the test
    # counts the customer's kf messages, or a late notice is taken for the answer.

    async def notices_sent() -> bool:
        return not await Notification.filter(
            order__order_no=order_no, channel="kefu", kind="milestone",
            status=NotificationStatus.PENDING, outbox_id__isnull=True).exists()

    await wait_for(notices_sent)
    await outbox_settled()


def expected_design_date() -> str:
    """What the service must say: 量尺 (3 business days) reached today, China time."""
    today = cst_date(utcnow())
    return eta.day_text(add_workdays(today, 3), today)


async def test_a_customer_asks_and_gets_stage_date_and_a_working_link(
    mode_settings: Callable[..., Settings],
) -> None:
    async with serving(orders_settings(mode_settings)) as client:
        admin = await start(client)
        await order_at_measuring(admin)
        reply = await ask(client, CUSTOMER, "沙发什么时候到")
        text = reply["payload"]["content"]
        assert reply["msgtype"] == "text", reply
        assert f"您的订单 {NO} 当前在「量尺」阶段" in text
        assert f"下一步：设计，预计 {expected_design_date()}" in text
        # The reply is one of the five WeCom allows after the customer's message.
        conv = await one(KfConversation, external_userid=CUSTOMER)
        assert conv is not None and conv.sent_since_customer == 1
        match = LINK.search(text)
        assert match, text
        path = match.group(1)

        page = await client.get(path)
        html = await page.text()
        assert page.status == 200 and page.headers["X-Robots-Tag"] == "noindex, nofollow"
        assert '<meta name="robots" content="noindex, nofollow">' in html
        assert "no-store" in page.headers["Cache-Control"]
        assert "陈**" in html and "陈女士" not in html and NOTE not in html
        assert "张伟" in html and "服务专员" in html and "王强" in html
        assert expected_design_date() in html

        # The API gives the same link; revoking it voids it and gives a new one.
        status, got = await admin.call("GET", f"/orders/{NO}")
        assert status == 200 and urlsplit(got["progress_url"]).path == path
        assert got["next_stage"] == "设计" and got["next_date"]
        viewer = await Admin.make(client, "viewer")
        status, _ = await viewer.call("POST", f"/orders/{NO}/progress-link/revoke")
        assert status == 403
        status, revoked = await admin.call("POST", f"/orders/{NO}/progress-link/revoke")
        assert status == 200 and revoked["progress_url"] != got["progress_url"]
        gone = await client.get(path)
        assert gone.status == 404 and "链接无效或已过期" in await gone.text()
        assert gone.headers["X-Robots-Tag"] == "noindex, nofollow"
        fresh = urlsplit(revoked["progress_url"]).path
        assert (await client.get(fresh)).status == 200
        status, _ = await admin.call("POST", "/orders/NOPE404/progress-link/revoke")
        assert status == 404

        # Past its expiry the link opens nothing either.
        services = services_of(client)
        later = services.settings.progress_link_days * 86400 + 60
        services.ports.clock = SettableClock(lambda: time.time() + later)
        assert (await client.get(fresh)).status == 404
        await outbox_settled()


async def test_staff_see_the_same_dates_and_the_link(
    embedded_settings: Callable[..., Settings],
) -> None:
    async with serving(orders_settings(embedded_settings)) as client:
        admin = await start(client)
        await order_at_measuring(admin)
        sandbox = sandbox_of(client)
        await sandbox.staff_says("lina", f"进度 {NO}")
        reply = await wait_for(lambda: [m for m in sandbox.inbox("lina")
                                        if "当前阶段：量尺" in str(m)])
        text = str(reply[-1])
        assert f"下一步：设计，预计 {expected_design_date()}" in text
        assert "客户进度页：" in text and LINK.search(text)
        await outbox_settled()


async def test_several_orders_come_as_a_menu_and_the_pick_is_answered(
    mode_settings: Callable[..., Settings],
) -> None:
    async with serving(orders_settings(mode_settings)) as client:
        admin = await start(client)
        await order_at_measuring(admin, "DD20261202", OTHER)
        await new_order(admin, "DD20261203", customer={"external_userid": OTHER})
        await new_order(admin, "DD20261299", customer={"external_userid": THIRD})
        menu = await ask(client, OTHER, "我的订单到哪了")
        assert menu["msgtype"] == "msgmenu", menu
        items = {i["click"]["content"]: i["click"]["id"] for i in menu["payload"]["list"]}
        assert set(items) == {"DD20261203（未开始）", "DD20261202（量尺）"}
        sandbox = sandbox_of(client)
        before = len(kf_messages(client, OTHER))
        await sandbox.customer_clicks(SEED_KF, OTHER, items["DD20261202（量尺）"])
        picked = (await next_kf(client, OTHER, before))["payload"]["content"]
        assert "DD20261202 当前在「量尺」阶段" in picked and expected_design_date() in picked
        assert "DD20261203" not in picked and LINK.search(picked)

        # A click naming someone else's order tells nothing of it: the customer's own
        # orders are listed again; a customer with none gets the fallback.
        other_id = (await Order.get(order_no="DD20261299")).id
        before = len(kf_messages(client, OTHER))
        await sandbox.customer_says(SEED_KF, OTHER, "DD20261299",
                                    menu_id=f"order-progress-{other_id}")
        again = await next_kf(client, OTHER, before)
        assert again["msgtype"] == "msgmenu" and "DD20261299" not in str(again)
        before = len(kf_messages(client, CUSTOMER))
        await sandbox.customer_says(SEED_KF, CUSTOMER, "x", menu_id=f"order-progress-{other_id}")
        fallback = (await next_kf(client, CUSTOMER, before))["payload"]["content"]
        assert fallback == services_of(client).settings.conversations.fallback_reply
        await outbox_settled()


async def test_no_order_gets_the_fallback_and_the_menu_rule_its_own_reply(
    embedded_settings: Callable[..., Settings],
) -> None:
    async with serving(orders_settings(embedded_settings)) as client:
        await start(client)
        fallback = services_of(client).settings.conversations.fallback_reply
        reply = await ask(client, THIRD, "沙发什么时候到")
        assert reply["payload"]["content"] == fallback
        before = len(kf_messages(client, THIRD))
        await sandbox_of(client).customer_says(SEED_KF, THIRD, "查询进度", menu_id="progress")
        own = (await next_kf(client, THIRD, before))["payload"]["content"]
        assert "没有查到您名下的订单" in own
        await outbox_settled()


async def test_the_page_in_a_phone_browser_shows_the_stages(
    embedded_settings: Callable[..., Settings], tmp_path: Path,
) -> None:
    async with serving(orders_settings(embedded_settings)) as client:
        admin = await start(client)
        await order_at_measuring(admin)
        reply = await ask(client, CUSTOMER, "沙发什么时候到")
        match = LINK.search(reply["payload"]["content"])
        assert match
        names = pipelines.DEFAULT_PIPELINE.model_dump()["stages"]
        async with browser_page(str(client.make_url("")), viewport=PHONE) as page:
            response = await page.goto(match.group(1))
            assert response is not None and response.status == 200
            steps = page.locator("#stages li")
            assert await steps.evaluate_all("els => els.map(e => e.dataset.stage)") == [
                s["name"] for s in names]
            assert await steps.evaluate_all("els => els.map(e => e.dataset.state)") == [
                "done", "current"] + ["upcoming"] * (len(names) - 2)
            assert await page.text_content("#current") == "量尺"
            assert "设计" in (await page.text_content("#next") or "")
            assert expected_design_date() in (await page.text_content("#next") or "")
            assert await page.text_content("li[data-stage='签约'] .date") == \
                f"已完成 · {eta.day_text(cst_date(utcnow()), cst_date(utcnow()))}"
            team = await page.locator("#team li").all_inner_texts()
            assert [t.split() for t in team] == [["服务专员", "张伟"], ["设计师", "李娜"],
                                                 ["安装师傅", "王强"]]
            # Fits a phone: nothing wider than the screen, and no script or CSP refusal.
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"] and page.js_errors == []
            await page.screenshot(path=str(tmp_path / "progress.png"), full_page=True)
            # A revoked link in the same browser: the plain 404 page.
            await admin.call("POST", f"/orders/{NO}/progress-link/revoke")
            response = await page.goto(match.group(1))
            assert response is not None and response.status == 404
            assert "链接无效或已过期" in (await page.text_content("h1") or "")
        await outbox_settled()


async def test_pages_are_limited_per_address(mode_settings: Callable[..., Settings]) -> None:
    async with serving(orders_settings(mode_settings, progress_page_per_minute=3)) as client:
        statuses = [(await client.get(f"/p/{'x' * 39}")).status for _ in range(3)]
        limited = await client.get("/p/anything")
        assert statuses == [404] * 3 and limited.status == 429
        assert "访问太频繁" in await limited.text() and int(limited.headers["Retry-After"]) > 0


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_hostile_tokens_never_get_a_5xx(mode_settings: Callable[..., Settings]) -> None:
    async with serving(orders_settings(mode_settings, progress_page_per_minute=100_000)
                       ) as client:
        admin = await start(client)
        await new_order(admin, NO, customer={"external_userid": CUSTOMER})
        _, got = await admin.call("GET", f"/orders/{NO}")
        token = got["progress_url"].rsplit("/", 1)[1]
        base = str(client.make_url("")).rstrip("/")
        statuses: list[int] = []

        def fetch(path: str) -> int:
            try:
                with urllib.request.urlopen(base + path, timeout=10) as resp:
                    return int(resp.status)
            except urllib.error.HTTPError as exc:
                return exc.code

        quoted = st.one_of(
            st.text(max_size=300),
            st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
                    min_size=37, max_size=41),
            # A surrogate has no UTF-8 form: no client could send one (quote() cannot).
            st.tuples(st.integers(0, len(token) - 1),
                      st.characters(exclude_categories=("Cs",))).map(
                lambda t: token[:t[0]] + t[1] + token[t[0] + 1:]),
        ).map(lambda v: (v, quote(v, safe="")))
        # Percent-escapes of any bytes (not UTF-8, NUL, slashes) as the path itself.
        escaped = st.binary(max_size=64).map(lambda b: ("", "".join(f"%{x:02X}" for x in b)))

        @settings(max_examples=400, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.too_slow])
        @given(st.one_of(quoted, escaped))
        def probe(case: tuple[str, str]) -> None:
            value, path = case
            status = fetch("/p/" + path)
            statuses.append(status)
            assert status < 500, (value, status)
            assert status in (200, 404), (value, status)
            assert status == 404 or value == token

        # The service answers on this loop; the blocking probe runs beside it.
        await asyncio.to_thread(probe)
        assert len(statuses) >= 100 and statuses.count(404) >= 100
        assert (await client.get(f"/p/{token}")).status == 200
        assert (await client.get("/readyz")).status == 200


async def test_the_generated_key_is_kept_and_a_configured_one_wins(
    embedded_settings: Callable[..., Settings],
) -> None:
    settings_ = orders_settings(embedded_settings)
    async with serving(settings_) as client:
        admin = await start(client)
        await new_order(admin, NO, customer={"external_userid": CUSTOMER})
        _, got = await admin.call("GET", f"/orders/{NO}")
        path = urlsplit(got["progress_url"]).path
        assert (await client.get(path)).status == 200
        assert await ServerSecret.all().count() == 1
    async with serving(settings_) as client:  # a restart: the same key, the link still works
        assert (await client.get(path)).status == 200
    configured = "configured-progress-key-0123456789"
    async with serving(orders_settings(embedded_settings, progress_link_secret=configured)
                       ) as client:
        assert (await client.get(path)).status == 404  # signed with the generated key
        admin = await Admin.make(client)
        _, got = await admin.call("GET", f"/orders/{NO}")
        token = got["progress_url"].rsplit("/", 1)[1]
        assert progress_links.read(configured.encode(), token, utcnow()) is not None
        assert (await client.get(urlsplit(got["progress_url"]).path)).status == 200


def test_links_use_the_public_address(embedded_settings: Callable[..., Settings]) -> None:
    s = orders_settings(embedded_settings, public_url="https://bot.example.com")
    assert progress_links.url(s, "T") == "https://bot.example.com/p/T"
    s = orders_settings(embedded_settings, listen="0.0.0.0:9000")
    assert progress_links.url(s, "T") == "http://127.0.0.1:9000/p/T"
    assert timedelta(days=s.progress_link_days) > timedelta(days=30)


async def test_a_forged_token_costs_no_database_query(
    embedded_settings: Callable[..., Settings],
) -> None:
    """The signature is checked before anything is read: strangers' guesses cost the
    database nothing (a real link reads the order, its pipeline and its milestones)."""
    import logging

    statements: list[str] = []

    class Count(logging.Handler):
        # Only what the web requests run: the sweeper's and the jobs' work (other tasks)
        # may hit the database at any moment and is not the page's cost.
        def emit(self, record: logging.LogRecord) -> None:
            task = asyncio.current_task()
            coro = task.get_coro() if task is not None else None
            if getattr(coro, "__qualname__", "").startswith("RequestHandler."):
                statements.append(record.getMessage())

    async with serving(orders_settings(embedded_settings)) as client:
        admin = await start(client)
        await order_at_measuring(admin)
        _, got = await admin.call("GET", f"/orders/{NO}")
        path = urlsplit(got["progress_url"]).path
        assert (await client.get(path)).status == 200  # the team's names now cached
        log = logging.getLogger("tortoise.db_client")
        handler, level = Count(), log.level
        log.addHandler(handler)
        log.setLevel(logging.DEBUG)
        try:
            for forged in ("A" * 39, path[3:-1] + ("A" if path[-1] != "A" else "B"), "%FF"):
                assert (await client.get(f"/p/{forged}")).status == 404
            assert statements == []
            assert (await client.get(path)).status == 200
            assert 1 <= len(statements) <= 3, statements
        finally:
            log.removeHandler(handler)
            log.setLevel(level)
        await outbox_settled()
