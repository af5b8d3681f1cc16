"""Rules through the admin API: validation, versions, rollback, import/export, tester, and the
hot swap (a change answers the next customer message; a change made elsewhere is picked up)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.conversations import rules_store
from bot.settings import Settings
from tests.harness.admin import bearer
from tests.harness.waiting import wait_for
from tests.harness.world import CUSTOMER, KF, world

RULE = {"id": "sofa", "name": "沙发", "priority": 50, "when": {"any": ["沙发"]},
        "action": "reply", "replies": {"messages": [{"text": "沙发七天可送达。"}]}}


async def _auth(role: str = "admin") -> dict[str, str]:
    return await bearer(f"t-{role}", role)


async def test_rule_crud_versions_rollback_and_hot_swap(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings(conversations={"load_sample_rules": False})) as w:
        c, h = w.client, await _auth()
        bad = await c.post("/api/v1/rules", json={"id": "Bad Id", "when": {}}, headers=h)
        body = await bad.json()
        assert bad.status == 400 and len(body["error"]["problems"]) >= 2
        assert await rules_store.list_rules() == []
        viewer = await _auth("viewer")
        assert (await c.post("/api/v1/rules", json=RULE, headers=viewer)).status == 403
        created = await c.post("/api/v1/rules", json=RULE, headers=h)
        assert created.status == 201
        assert (await c.post("/api/v1/rules", json=RULE, headers=h)).status == 409

        await w.sandbox.customer_says(KF, CUSTOMER, "沙发多久到")
        assert "七天" in (await w.wait_kf(1))[0]

        changed = {**RULE, "replies": {"messages": [{"text": "沙发三天可送达。"}]}}
        assert (await c.put("/api/v1/rules/sofa", json=changed, headers=h)).status == 200
        await w.sandbox.customer_says(KF, CUSTOMER, "沙发呢")
        assert "三天" in (await w.wait_kf(2))[1]

        versions = await (await c.get("/api/v1/rules/sofa/versions", headers=viewer)).json()
        assert [v["action"] for v in versions] == ["update", "create"]
        assert versions[0]["actor"] == "t-admin" and "三天" in versions[0]["diff"]
        back = await c.post("/api/v1/rules/sofa/rollback", json={"change_id": versions[1]["id"]},
                            headers=h)
        assert back.status == 200 and "七天" in str((await back.json())["rule"])
        assert (await c.post("/api/v1/rules/sofa/disable", headers=h)).status == 200
        await w.sandbox.customer_says(KF, CUSTOMER, "沙发")
        texts = await w.wait_kf(3)
        assert texts[2] == w.services.settings.conversations.fallback_reply
        hist = await (await c.get("/api/v1/rules/history", headers=viewer)).json()
        assert [x["action"] for x in hist][:3] == ["disable", "rollback", "update"]
        assert (await c.delete("/api/v1/rules/sofa", headers=h)).status == 204
        assert (await c.get("/api/v1/rules/sofa", headers=h)).status == 404


async def test_import_export_dry_run_and_all_or_nothing(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings(conversations={"load_sample_rules": False})) as w:
        c, h = w.client, await _auth()
        from bot.conversations.rulebook import sample_rules_text

        dry = await c.post("/api/v1/rules/import?mode=replace&dry_run=true",
                           data=sample_rules_text().encode(), headers=h)
        out = await dry.json()
        assert dry.status == 200 and not out["applied"] and len(out["created"]) == 23
        assert await rules_store.list_rules() == []
        broken = sample_rules_text() + "  - id: greeting\n    when: {any: [x]}\n"
        res = await c.post("/api/v1/rules/import", data=broken.encode(), headers=h)
        err = await res.json()
        assert res.status == 400 and err["error"]["problems"][0]["rule_id"] == "greeting"
        assert await rules_store.list_rules() == []
        ok = await c.post("/api/v1/rules/import?mode=replace", data=sample_rules_text().encode(),
                          headers=h)
        assert ok.status == 200 and (await ok.json())["applied"]
        exported = await (await c.get("/api/v1/rules/export?format=json", headers=h)).json()
        assert len(exported["rules"]) == 23
        shadow = {**RULE, "id": "sofa-old", "priority": 10}
        merged = await c.post("/api/v1/rules/import?mode=merge",
                              json={"rules": [RULE, shadow]}, headers=h)
        assert (await merged.json())["created"] == ["sofa", "sofa-old"]
        assert len(await rules_store.list_rules()) == 25

        tested = await c.post("/api/v1/rules/test", json={
            "text": "我要投诉你们的安装师傅", "channel": "kefu"}, headers=h)
        t: dict[str, Any] = await tested.json()
        assert t["winner"]["rule_id"] == "complaint"
        assert {"kind": "any", "term": "投诉", "start": 2, "end": 4} in t["winner"]["hits"]
        assert "安装" in t["tokens"] and t["normalized"]
        near = {n["rule_id"] for n in t["near_misses"]}
        assert "install-time" in near  # excluded by 投诉
        conflicts = await (await c.get("/api/v1/rules/conflicts", headers=h)).json()
        assert {(x["rule_id"], x["other_id"]) for x in conflicts} == {("sofa-old", "sofa")}


async def test_a_change_made_elsewhere_is_picked_up_within_a_second(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings(conversations={"load_sample_rules": False})) as w:
        before = w.services.ports.rules.revision
        # As the CLI in another process does: straight to the database, no message here.
        await rules_store.create_rule(RULE, "cli")
        await wait_for(lambda: w.services.ports.rules.revision > before, timeout=3)
        assert w.services.ports.rules.matcher.match("沙发").rule.id == "sofa"
