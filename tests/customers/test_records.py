"""The customer record: one person across contacts, kefu, groups and orders; searched and
filtered; phone masked for viewers; contacts deleted in WeCom reflected."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime

from bot.customers import contact_sync
from bot.models import Escalation, EscalationStatus
from bot.settings import Settings
from sandbox import SEED_CUSTOMERS
from tests.harness.admin import Admin
from tests.harness.world import KF, world

CHEN = SEED_CUSTOMERS[0][0]  # the seed world's 陈女士, zhangwei's contact


async def test_record_search_masking_orders_groups_and_deletions(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        admin = await Admin.make(w.client)
        viewer = await Admin.make(w.client, "viewer")
        # A phone the member noted for the third seed customer (remark_mobiles).
        w.sandbox.corp.customers[SEED_CUSTOMERS[2][0]].follow["zhangwei"]["remark_mobiles"] = [
            "13900009999"]
        await contact_sync.run(w.services.ports)  # the seed world's contacts, as on a start
        status, order = await admin.call("POST", "/orders", {
            "order_no": "SO-20261205001", "team": {"specialist": "zhangwei"},
            "customer": {"external_userid": CHEN, "name": "陈女士", "phone": "13812345678"}})
        assert status == 201, order
        status, _ = await admin.call("POST", "/orders/SO-20261205001/milestones", {
            "milestone": "签约", "event_id": "m-1"})
        assert status in (200, 201)
        group = await w.sandbox.staff_creates_group("zhangwei", "SO-20261205001 服务群")
        await w.sandbox.customer_joins_group(CHEN, chat_id=group["chat_id"])
        await w.sandbox.customer_says(KF, CHEN, "你好")
        await w.wait_kf(1, CHEN)
        await w.settle()

        for query, expect in (("q=陈女士", 1), ("q=SO-20261205001", 1), ("q=5678", 1),
                              ("has_order=true", 1), ("has_order=false", 2),
                              ("staff=zhangwei", 3), ("staff=lina", 0), ("channel=seed", 3),
                              ("q=nobody", 0), ("q=13900009999", 1)):
            status, page = await admin.call("GET", f"/customers?{query}")
            assert status == 200 and page["total"] == expect, (query, page)
        status, page = await admin.call("GET", "/customers?q=SO-20261205001")
        cid = page["items"][0]["id"]
        status, record = await admin.call("GET", f"/customers/{cid}")
        assert record["phone"] == "13812345678"
        assert [o["order_no"] for o in record["orders"]] == ["SO-20261205001"]
        assert record["groups"][0]["chat_id"] == group["chat_id"]
        kinds = {e["kind"] for e in record["timeline"]}
        assert {"milestone", "group", "message_in", "message_out"} <= kinds
        # Escalated and claimed: in Chinese, the member by name.
        now = datetime.now(UTC)
        await Escalation.create(channel="kefu", conversation=f"kefu:{KF}:{CHEN}",
                                external_userid=CHEN, reason="unmatched",
                                status=EscalationStatus.CLAIMED, claimed_by="zhangwei",
                                created_at=now, claimed_at=now)
        status, record = await admin.call("GET", f"/customers/{cid}")
        texts = [e["text"] for e in record["timeline"] if e["kind"] == "escalation"]
        assert texts == ["转人工（连续未识别）", "张伟 接手"], texts
        status, seen = await viewer.call("GET", f"/customers/{cid}")
        assert seen["phone"] == "138****5678"
        status, page = await viewer.call("GET", "/customers?q=陈女士")
        assert page["items"][0]["phone"] in (None, "138****5678")
        # The export is the list: its filters, its masking, members by name.
        for who, phone in ((admin, "13900009999"), (viewer, "139****9999")):
            resp = await w.client.get("/api/v1/customers.csv", headers=who.headers,
                                      params={"staff": "zhangwei", "q": "13900009999"})
            text = await resp.text(encoding="utf-8")
            assert text.startswith("\ufeff客户,客户 ID,手机号"), text[:40]
            (row,) = list(csv.DictReader(io.StringIO(text[1:])))
            assert row["手机号"] == phone and row["跟进成员"] == "张伟（zhangwei）"
            assert row["企业微信联系人"] == "是"

        # Deleted in WeCom: by the customer (a one-way relation stays), then by the member.
        await w.sandbox.customer_deletes_staff(CHEN, "zhangwei")
        await w.settle()
        status, record = await admin.call("GET", f"/customers/{cid}")
        assert record["follows"][0]["status"] == "deleted_by_customer"
        assert record["is_contact"] is True
        second = SEED_CUSTOMERS[1][0]
        await w.sandbox.staff_deletes_customer("zhangwei", second)
        await w.settle()
        status, page = await admin.call("GET", "/customers?staff=zhangwei")
        assert page["total"] == 1  # the third seed customer only
        status, page = await admin.call("GET", "/customers?q=赵先生")
        status, record = await admin.call("GET", f"/customers/{page['items'][0]['id']}")
        assert record["is_contact"] is False
        assert record["follows"][0]["status_text"] == "成员已删除客户"
        assert record["timeline"][-1]["text"] == "成员删除了客户"
        assert (await admin.call("GET", "/customers/999999"))[0] == 404

        # Someone who only ever wrote to the kf account gets a record too (the minutely tick).
        await w.sandbox.customer_says(KF, "wmKefuOnly7", "在吗")
        await w.wait_kf(1, "wmKefuOnly7")
        await w.settle()
        await contact_sync.tick(w.services.ports)
        status, page = await admin.call("GET", "/customers?q=wmKefuOnly7")
        (kefu_only,) = page["items"]
        assert kefu_only["via_kefu"] is True and kefu_only["is_contact"] is False
