"""Corp tags kept equal to WeCom's, and tags given to customers — by a channel code, by a
keyword rule's ``tag`` action, by the API and in WeCom's client — each with its cause."""

from __future__ import annotations

from collections.abc import Callable

from bot.api_access import create_token
from bot.models import CorpTag, Customer, CustomerTag, TagEvent
from bot.settings import Settings
from tests.harness.admin import Admin
from tests.harness.waiting import wait_for
from tests.harness.world import CUSTOMER, KF, World, world


async def _tag_id(name: str) -> str:
    return str((await CorpTag.get(name=name)).tag_id)


async def _causes(euid: str) -> dict[str, str]:
    row = await Customer.get(external_userid=euid)
    tags = {t.tag_id: t.name for t in await CorpTag.all()}
    return {tags.get(t.tag_id, t.tag_id): t.cause for t in await CustomerTag.filter(customer=row)}


async def _make_tags(w: World, admin: Admin) -> None:
    status, made = await admin.call("POST", "/tags", {"group_name": "意向",
                                                      "names": ["衣柜", "橱柜"]})
    assert status == 201 and [t["name"] for t in made] == ["衣柜", "橱柜"]
    status, _ = await admin.call("POST", "/tags", {"group_id": made[0]["group_id"],
                                                   "names": ["意向-衣柜"]})
    assert status == 201


async def test_tag_list_in_step_with_wecom_both_ways(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        admin = await Admin.make(w.client)
        deliveries = len(w.sandbox.corp.driver.deliveries)
        await _make_tags(w, admin)
        (group,) = w.sandbox.corp_tags.groups.values()
        assert group.name == "意向" and {t.name for t in group.tags.values()} == {
            "衣柜", "橱柜", "意向-衣柜"}
        # Changes made through the API call nothing back (protocol-2.md §0).
        assert len(w.sandbox.corp.driver.deliveries) == deliveries
        status, err = await admin.call("POST", "/tags", {"group_name": "意向", "names": ["x"]})
        assert status == 400 and "已有标签组" in err["error"]["message"]
        status, err = await admin.call("POST", "/tags", {"group_name": "g", "names": ["长" * 31]})
        assert status == 400 and "30" in err["error"]["message"]
        wardrobe = await _tag_id("衣柜")
        resp = await w.client.patch(f"/api/v1/tags/{wardrobe}", json={"name": "定制衣柜"},
                                    headers=admin.headers)
        assert resp.status == 204
        assert group.tags[wardrobe].name == "定制衣柜"
        # An admin changes the list in WeCom's console: the callback makes us read it again.
        made = await w.sandbox.admin_edits_tags("create", group_name="客户等级", name="VIP")
        await w.sandbox.admin_edits_tags("delete", tag_id=await _tag_id("橱柜"))
        await w.settle()
        status, groups = await admin.call("GET", "/tags")
        names = {t["name"] for g in groups for t in g["tags"]}
        assert names == {"定制衣柜", "意向-衣柜", "VIP"}
        status, found = await admin.call("GET", "/tags?q=VIP")
        assert [t["tag_id"] for g in found for t in g["tags"]] == [made["tag_id"]]
        resp = await w.client.delete(f"/api/v1/tags/{group.group_id}", headers=admin.headers)
        assert resp.status == 204 and group.group_id not in w.sandbox.corp_tags.groups
        assert {t.name for t in await CorpTag.all()} == {"VIP"}


async def test_tags_given_by_channel_code_rule_api_and_client_each_with_its_cause(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        admin = await Admin.make(w.client)
        await _make_tags(w, admin)
        await w.sandbox.admin_edits_tags("create", group_name="客户等级", name="VIP")
        await w.settle()
        status, way = await admin.call("POST", "/contact-ways", {
            "name": "门店", "users": ["lina"], "tags": [await _tag_id("橱柜")],
            "remark_template": "{name}-{channel}"})
        assert status == 201, way
        await w.sandbox.customer_scans_code(way["config_id"], "wmStore1", name="吴女士")
        await w.settle()
        follow = w.sandbox.corp.customers["wmStore1"].follow["lina"]
        assert follow["tags"] == {await _tag_id("橱柜")}
        assert follow["remark"] == "吴女士-门店"
        assert await _causes("wmStore1") == {"橱柜": f"channel:{way['state']}"}

        # A rule's tag action (beside its reply), and a rule only for customers with a tag.
        for rule in ({"id": "wardrobe-intent", "when": {"any": ["衣柜"]}, "tag": ["意向-衣柜"],
                      "replies": {"messages": [{"text": "我们有多款衣柜"}]}},
                     {"id": "vip-only", "action": "tag", "tag": ["VIP"],
                      "when": {"any": ["贵宾"]}},
                     {"id": "wardrobe-price", "priority": 1000, "scope": {"tag": ["意向-衣柜"]},
                      "when": {"any": ["价格"]},
                      "replies": {"messages": [{"text": "衣柜每平米 899 元起"}]}}):
            status, body = await admin.call("POST", "/rules", rule)
            assert status == 201, body
        status, err = await admin.call("POST", "/rules", {
            "id": "nope", "when": {"any": ["x"]}, "action": "tag", "tag": ["没有的标签"]})
        assert status == 400 and err["error"]["field"] == "tag[0]"
        assert "没有标签" in err["error"]["message"]
        from bot.conversations.rulebook import changed
        await changed(w.services.ports)
        # The rule tester answers for a customer with given tags.
        for tags, scoped in (([], False), (["意向-衣柜"], True)):
            status, tried = await admin.call("POST", "/rules/test", {
                "text": "价格", "channel": "kefu", "tags": tags})
            winner = (tried["winner"] or {}).get("rule_id")
            assert status == 200 and (winner == "wardrobe-price") == scoped, tried
        status, tried = await admin.call("POST", "/rules/test", {"text": "衣柜", "channel": "kefu"})
        assert tried["winner"]["tag"] == ["意向-衣柜"]

        await w.sandbox.customer_says(KF, "wmKfOnly1", "价格多少")
        await w.wait_kf(1, "wmKfOnly1")
        assert "衣柜每平米" not in w.kf_texts("wmKfOnly1")[0]  # not tagged yet
        await w.sandbox.customer_says(KF, "wmKfOnly1", "想看看衣柜")
        await w.wait_kf(2, "wmKfOnly1")
        await w.settle()
        assert await _causes("wmKfOnly1") == {"意向-衣柜": "rule:wardrobe-intent"}
        event = await TagEvent.get(customer__external_userid="wmKfOnly1")
        assert event.outcome == "local"  # a kefu-only customer: no member to mark it for
        await w.sandbox.customer_says(KF, "wmKfOnly1", "价格呢")
        texts = await w.wait_kf(3, "wmKfOnly1")
        assert texts[2] == "衣柜每平米 899 元起"

        # A contact (followed by zhangwei) says the VIP word: marked in WeCom, no reply.
        await w.sandbox.customer_says(KF, CUSTOMER, "我是贵宾")
        await wait_for(lambda: _has_tag(w, CUSTOMER, "VIP"))
        await w.settle()
        assert (await _causes(CUSTOMER))["VIP"] == "rule:vip-only"

        # The API, and a member in WeCom's client.
        row = await Customer.get(external_userid="wmStore1")
        status, now = await admin.call("POST", f"/customers/{row.id}/tags",
                                       {"add": ["意向/衣柜", "VIP"], "remove": ["橱柜"]})
        assert status == 200, now
        assert {t["name"]: t["cause"] for t in now} == {
            "衣柜": f"api:{admin_name(admin)}", "VIP": f"api:{admin_name(admin)}"}
        assert now[0]["cause_text"] == f"控制台或接口（{admin_name(admin)}）"
        specialist = Admin(w.client, await create_token("lina", "specialist"))
        status, now = await specialist.call("POST", f"/customers/{row.id}/tags",
                                            {"remove": ["VIP"]})
        status, now = await specialist.call("POST", f"/customers/{row.id}/tags",
                                            {"add": ["VIP"]})
        assert status == 200 and [t["cause_text"] for t in now if t["name"] == "VIP"] == [
            "控制台或接口（李娜・lina）"]
        assert follow["tags"] == {await _tag_id("衣柜"), await _tag_id("VIP")}
        status, err = await admin.call("POST", f"/customers/{row.id}/tags", {"add": ["无此"]})
        assert status == 400 and "没有标签" in err["error"]["message"]
        await w.sandbox.staff_tags_customer("lina", "wmStore1", add=[await _tag_id("橱柜")])
        await w.settle()
        assert (await _causes("wmStore1"))["橱柜"] == "wecom"

        # A member who deleted the customer: WeCom answers 84061, recorded, nothing lost.
        del w.sandbox.corp.customers["wmStore1"].follow["lina"]
        status, now = await admin.call("POST", f"/customers/{row.id}/tags",
                                       {"add": ["意向-衣柜"]})
        assert status == 200
        last = await TagEvent.filter(customer=row).order_by("-id").first()
        assert last is not None and last.outcome == "84061 lina"


def admin_name(admin: Admin) -> str:
    return f"admin-{id(admin.client)}"


async def _has_tag(w: World, euid: str, name: str) -> bool:
    tag_id = await _tag_id(name)
    return any(tag_id in (f.get("tags") or ()) for f in
               w.sandbox.corp.customers[euid].follow.values())
