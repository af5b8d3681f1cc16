"""The orders and pipelines API: create, read, list with filters, patch, pipelines, errors."""

from __future__ import annotations

from collections.abc import Callable

from bot.api_access import create_token
from bot.models import Order, Pipeline
from bot.settings import Settings
from tests.harness.admin import Admin
from tests.harness.service import services_of, serving
from tests.harness.waiting import outbox_settled, wait_for
from tests.orders.helpers import TEAM, cards, new_order, orders_settings


async def test_orders_crud_filters_and_errors(embedded_settings: Callable[..., Settings]) -> None:
    async with serving(orders_settings(embedded_settings)) as client:
        admin = await Admin.make(client)
        created = await new_order(admin, "DD20260040", expected_dates={"量尺": "2026-12-05"})
        assert created["stage"] is None and created["next_stage"] == "签约"
        await new_order(admin, "DD20260041", team={"specialist": "lina"})
        # Duplicate: 409, the first untouched.
        status, err = await admin.call("POST", "/orders", {
            "order_no": "DD20260040", "customer": {"external_userid": "wmX"}, "team": TEAM})
        assert status == 409 and err["error"]["field"] == "order_no"
        assert (await Order.get(order_no="DD20260040")).customer_external_userid is None
        # Bad input: clear 400s naming the field; nothing created.
        bad = [
            ({"order_no": "DD1", "customer": {}, "team": TEAM}, "customer"),
            ({"order_no": "DD 1", "customer": {"external_userid": "wm"}, "team": TEAM},
             "order_no"),
            ({"order_no": "DD2", "customer": {"external_userid": "wm"}, "team": {}},
             "team.specialist"),
            ({"order_no": "DD3", "customer": {"external_userid": "wm"}, "team": TEAM,
              "expected_dates": {"量尺": "someday"}}, "expected_dates.量尺"),
        ]
        for body, field in bad:
            status, err = await admin.call("POST", "/orders", body)
            assert status == 400 and err["error"]["field"] == field, err
        status, err = await admin.call("POST", "/orders", {
            "order_no": "DD4", "customer": {"external_userid": "wm"}, "team": TEAM,
            "expected_dates": {"上天": "2026-12-01"}})
        assert status == 404 and "上天" in err["error"]["message"]
        status, err = await admin.call("POST", "/orders", {
            "order_no": "DD5", "order_type": "kitchen", "customer": {"external_userid": "wm"},
            "team": TEAM})
        assert status == 404 and err["error"]["field"] == "order_type"
        assert await Order.all().count() == 2
        # Read, list, filter.
        status, one = await admin.call("GET", "/orders/DD20260040")
        assert status == 200 and one["expected_dates"] == {"量尺": "2026-12-05"}
        assert (await admin.call("GET", "/orders/NOPE"))[0] == 404
        status, page = await admin.call("GET", "/orders?specialist=lina")
        assert page["total"] == 1 and page["orders"][0]["order_no"] == "DD20260041"
        await admin.call("POST", "/orders/DD20260040/milestones", {"milestone": "签约",
                                                                   "event_id": "a1"})
        status, page = await admin.call("GET", "/orders?stage=签约")
        assert [o["order_no"] for o in page["orders"]] == ["DD20260040"]
        status, page = await admin.call("GET", "/orders?limit=1&offset=1")
        assert page["total"] == 2 and [o["order_no"] for o in page["orders"]] == ["DD20260041"]
        assert (await admin.call("GET", "/orders?limit=0"))[0] == 400
        # Patch the team and dates; the specialist filter follows.
        status, patched = await admin.call("PATCH", "/orders/DD20260040", {
            "team": {"specialist": "liuyang", "designer": "lina"},
            "expected_dates": {"设计": "2026-12-20"}})
        assert status == 200 and patched["team"]["specialist"] == "liuyang"
        assert patched["expected_dates"] == {"量尺": "2026-12-05", "设计": "2026-12-20"}
        status, page = await admin.call("GET", "/orders?specialist=liuyang")
        assert page["total"] == 1
        assert (await admin.call("PATCH", "/orders/DD20260040", {"team": {"x": 1}}))[0] == 400
        # Roles: a viewer reads but may not write.
        viewer = Admin(client, await create_token("viewer", "viewer"))
        assert (await viewer.call("GET", "/orders"))[0] == 200
        assert (await viewer.call("PATCH", "/orders/DD20260040", {}))[0] == 403
        await outbox_settled()


async def test_pipelines(embedded_settings: Callable[..., Settings]) -> None:
    async with serving(orders_settings(embedded_settings)) as client:
        admin = await Admin.make(client)
        status, listed = await admin.call("GET", "/pipelines")
        assert status == 200 and [p["order_type"] for p in listed] == ["default"]
        assert [s["name"] for s in listed[0]["stages"]] == [
            "签约", "量尺", "设计", "方案确认", "生产", "发货", "安装", "验收"]
        kitchen = {"stages": [
            {"name": "签约", "expected_days": 1},
            {"name": "测量", "expected_days": 2,
             "team_template": "{order_no} 测量：{note}专员 {specialist}",
             "customer_template": "已安排测量 {order_no}"},
            {"name": "安装", "expected_days": 1}]}
        status, saved = await admin.call("PUT", "/pipelines/kitchen", kitchen)
        assert status == 200
        assert saved["stages"][1]["customer_template"] == "已安排测量 {order_no}"
        # Invalid: unknown template variable, duplicate stages, bad order type.
        bad_tpl = {"stages": [{"name": "a", "team_template": "{price}"}]}
        status, err = await admin.call("PUT", "/pipelines/kitchen", bad_tpl)
        assert status == 400 and "price" in err["error"]["message"]
        dup = {"stages": [{"name": "a"}, {"name": "a"}]}
        assert (await admin.call("PUT", "/pipelines/kitchen", dup))[0] == 400
        assert (await admin.call("PUT", "/pipelines/Kitchen!", kitchen))[0] == 400
        # An order of that type uses it; dropping its stage is refused.
        await new_order(admin, "KT00000001", order_type="kitchen")
        await admin.call("POST", "/orders/KT00000001/milestones", {"milestone": "签约",
                                                                   "event_id": "k1"})
        status, _ = await admin.call("POST", "/orders/KT00000001/milestones", {
            "milestone": "测量", "event_id": "k2", "note": "周六上午"})
        assert status == 201
        # The team card names the specialist as the WeCom directory does, not by userid.
        sandbox = services_of(client).sandbox
        assert await wait_for(lambda: cards(sandbox, "lina", "周六上午。专员 张伟"))
        status, err = await admin.call("PUT", "/pipelines/kitchen", {"stages": [{"name": "签约"}]})
        assert status == 409 and "测量" in err["error"]["message"]
        assert len((await Pipeline.get(order_type="kitchen")).stages) == 3
        assert (await admin.call("GET", "/pipelines/kitchen"))[0] == 200
        assert (await admin.call("GET", "/pipelines/nope"))[0] == 404
        # The OpenAPI document lists the new endpoints.
        doc = await (await client.get("/api/v1/openapi.json")).json()
        for path in ("/api/v1/orders", "/api/v1/orders/{order_no}/milestones",
                     "/api/v1/orders/{order_no}/timeline", "/api/v1/pipelines/{order_type}"):
            assert path in doc["paths"]
        await outbox_settled()
