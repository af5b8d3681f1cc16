"""Appointments and satisfaction in the console, in a real browser: a specialist proposes
times from the order page (a bad time refused in Chinese), the customer picks one in kefu
and the page shows it chosen with its timeline entries; the pipeline page marks stages as
booked or rated; the statistics page shows ratings per person and per stage."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from bot.api_access import create_token
from bot.infra.clock import cst_date, utcnow
from bot.models import Appointment, AppointmentStatus, Pipeline, Survey, SurveyPerson
from bot.settings import Settings
from tests.harness.browser import browser_page, choose, screenshot_path, sign_in
from tests.harness.waiting import one, wait_for
from tests.harness.world import CUSTOMER, KF, world

NO = "DD1209"
TEAM = {"specialist": "zhangwei", "designer": "lina", "installer": "wangqiang"}


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_a_specialist_proposes_from_the_order_page_and_sees_the_pick(
    mode_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    async with world(mode_settings()) as w:
        admin = {"Authorization": "Bearer " + await create_token("root", "admin")}
        resp = await w.client.post("/api/v1/orders", headers=admin, json={
            "order_no": NO, "team": TEAM,
            "customer": {"external_userid": CUSTOMER, "name": "陈女士", "open_kfid": KF}})
        assert resp.status == 201
        await w.sandbox.customer_says(KF, CUSTOMER, "你好")
        await w.settle()
        day = cst_date(utcnow()) + timedelta(days=3)
        when = f"{day.month}月{day.day}日14:00"
        token = await create_token("zhangwei", "specialist")  # named by their userid
        async with browser_page(str(w.client.make_url("/"))) as page:
            await sign_in(page, token, f"/admin/#/orders/{NO}")
            await page.wait_for_selector("#appointment-form")
            # The stage is preset once the order's pipeline has loaded (a moment later).
            await page.wait_for_selector(".el-select:has(#appointment-stage) >> text=量尺")
            await page.fill("#appointment-slot-0", "12月9日")
            await page.click("#appointment-submit")
            await page.wait_for_selector("#appointment-form [role=alert]:has-text('缺少几点几分')")
            await choose(page, "appointment-stage", "安装")
            await page.fill("#appointment-slot-0", when)
            await page.fill("#appointment-slot-1", f"{day.month}月{day.day}日 下午4点")
            await page.click("#appointment-submit")
            await page.wait_for_selector("#appointment-list [data-status=proposed]")
            a = await Appointment.get(stage="安装")
            assert a.source == "api" and a.proposed_by == "zhangwei" and len(a.slots) == 2

            menu = await wait_for(lambda: [m for m in w.sandbox.inbox(CUSTOMER)
                                           if m["msgtype"] == "msgmenu"])
            await w.sandbox.customer_clicks(KF, CUSTOMER,
                                            menu[-1]["payload"]["list"][1]["click"]["id"])
            await wait_for(lambda: one(Appointment, id=a.id, status=AppointmentStatus.CHOSEN))
            await w.settle()
            await page.reload()
            await page.wait_for_selector("#appointment-list [data-status=chosen]")
            assert "16:00" in await page.inner_text("#appointment-list")
            chosen = page.locator("#order-timeline li[data-kind=appointment_chosen]")
            assert "客户选定时间" in await chosen.inner_text()
            assert "16:00" in await chosen.inner_text() and "王强" in await chosen.inner_text()
            assert await page.locator("#order-timeline li[data-kind=appointment]").count() == 1
            await page.screenshot(path=str(screenshot_path("order-appointment.png", tmp_path)),
                                  full_page=True)
            assert page.js_errors == []


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_pipeline_flags_and_satisfaction_statistics(
    mode_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    async with world(mode_settings()) as w:
        now = utcnow()
        for score, stage, people in ((5, "验收", TEAM), (2, "验收", TEAM),
                                     (4, "", {"servicer": "liuyang"})):
            s = await Survey.create(kind="order" if stage else "session",
                                    key=f"t:{score}", stage=stage, asked_via="kf",
                                    ask_status="sent", score=score, answered_at=now)
            for role, uid in people.items():
                await SurveyPerson.create(survey=s, userid=uid, role=role)
        token = await create_token("root", "admin")
        async with browser_page(str(w.client.make_url("/"))) as page:
            await sign_in(page, token, "/admin/#/stats")
            await page.wait_for_selector("#stats-satisfaction")
            assert await page.inner_text("#fig-rating-average .figure-value") == "3.67"
            assert await page.inner_text("#fig-rating-low .figure-value") == "1"
            row = page.locator("#rating-people tr:has([data-userid=zhangwei])")
            assert "张伟" in await row.inner_text() and "3.5" in await row.inner_text()
            assert "接待人员" in await page.inner_text(
                "#rating-people tr:has([data-userid=liuyang])")
            stage = page.locator("#rating-stages tr:has([data-stage='验收'])")
            assert "3.5" in await stage.inner_text()
            assert "客服会话（无订单）" in await page.inner_text("#rating-stages")
            async with page.expect_download() as got:
                await page.click("#stats-rating-people-export")
            saved = tmp_path / "people.csv"
            await (await got.value).save_as(saved)
            assert "张伟（zhangwei）,专员,2,3.50,1" in saved.read_text(encoding="utf-8-sig")
            await page.screenshot(path=str(screenshot_path("stats-satisfaction.png", tmp_path)),
                                  full_page=True)

            # The pipeline page: 量尺 and 安装 booked, 验收 rated; the flags are saved.
            await page.goto("/admin/#/pipelines")
            await page.wait_for_selector("#stage-appointment-1", state="attached")
            booked = page.locator("#pipeline-stages .el-checkbox:has(#stage-appointment-1)")
            assert "is-checked" in (await booked.get_attribute("class") or "")
            await page.click("#pipeline-stages .el-checkbox:has(#stage-survey-6)")
            await page.click("#pipeline-save")
            await page.wait_for_selector("#pipeline-out :text('已保存')")
            row = await Pipeline.get(order_type="default")
            assert [s["name"] for s in row.stages if s["appointment"]] == ["量尺", "安装"]
            assert [s["name"] for s in row.stages if s["survey"]] == ["安装", "验收"]
            assert page.js_errors == []
