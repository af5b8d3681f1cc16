"""List endpoints page and search on the server: ``page``/``page_size``/``q`` and filters,
the total in X-Total-Count; without ``page`` they answer as they always did."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from bot.api_access import create_token
from bot.models import Escalation, EscalationStatus
from bot.settings import Settings
from tests.harness.service import serving


@pytest.mark.parametrize("mode_settings", ["embedded", "production"], indirect=True)
async def test_paging_search_and_totals(mode_settings: Callable[..., Settings]) -> None:
    async with serving(mode_settings()) as client:
        h = {"Authorization": f"Bearer {await create_token('root', 'admin')}"}
        now = datetime.now(UTC)
        for i in range(25):
            await Escalation.create(channel="kefu", conversation=f"kefu:x:{i}", reason="rule",
                                    customer_name=f"客户{i:02d}", created_at=now,
                                    status=EscalationStatus.OPEN if i % 2 else
                                    EscalationStatus.RESOLVED)

        async def get(path: str, **query: str) -> tuple[list[dict[str, object]], int]:
            resp = await client.get(f"/api/v1{path}", params=query, headers=h)
            assert resp.status == 200, await resp.text()
            return await resp.json(), int(resp.headers["X-Total-Count"])

        rows, total = await get("/escalations")  # unpaged: as before, newest first, all
        assert total == 25 and len(rows) == 25 and rows[0]["customer"] == "客户24"
        rows, total = await get("/escalations", page="2", page_size="10")
        assert total == 25 and [r["customer"] for r in rows][:2] == ["客户14", "客户13"]
        rows, total = await get("/escalations", page="3", page_size="10")
        assert len(rows) == 5
        rows, total = await get("/escalations", q="客户1", status="open", page="1")
        assert total == 5 and {r["customer"] for r in rows} == {
            "客户11", "客户13", "客户15", "客户17", "客户19"}

        for no, name, phone in (("A1", "陈女士", "13800000001"), ("B2", "赵先生", "13900000002")):
            resp = await client.post("/api/v1/orders", headers=h, json={
                "order_no": no, "customer": {"name": name, "phone": phone},
                "team": {"specialist": "zhangwei"}})
            assert resp.status == 201
        for q, expected in (("赵", ["B2"]), ("0001", ["A1"]), ("a1", ["A1"]), ("", ["A1", "B2"])):
            resp = await client.get("/api/v1/orders", params={"q": q, "page": "1"}, headers=h)
            body = await resp.json()
            assert [o["order_no"] for o in body["orders"]] == expected, q
            assert body["total"] == len(expected)

        _, before = await get("/rules")
        for rid, term in (("zz-sofa-1", "真皮沙发"), ("zz-sofa-2", "布艺沙发"), ("zz-bed", "床垫")):
            resp = await client.post("/api/v1/rules", headers=h, json={
                "id": rid, "name": term, "when": {"any": [term]}, "action": "reply",
                "replies": {"messages": [{"text": "好的"}]}})
            assert resp.status == 201, await resp.text()
        rows, total = await get("/rules", q="ZZ-", page="1", page_size="2")
        assert [r["id"] for r in rows] == ["zz-bed", "zz-sofa-1"] and total == 3
        rows, total = await get("/rules", q="布艺", page="1")
        assert [r["id"] for r in rows] == ["zz-sofa-2"] and total == 1
        rows, total = await get("/rules")
        assert len(rows) == total == before + 3

        rows, total = await get("/tokens", q="ROO")
        assert [r["name"] for r in rows] == ["root"] and total == 1

        resp = await client.get("/api/v1/escalations", params={"page": "0"}, headers=h)
        assert resp.status == 400
        assert (await resp.json())["error"]["field"] == "page"
