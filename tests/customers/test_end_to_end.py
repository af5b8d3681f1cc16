"""The issue's end-to-end flow through the sandbox: a channel code with a rich welcome (an
uploaded picture and a link) and a tag; customers scan it; the picture's media_id is
uploaded once, and again after WeCom lets it die; the tag is marked in WeCom; the customer's
kefu message hits a rule with a tag action; the customer record shows both tags with their
causes and the timeline in order."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import FormData

from bot.infra.clock import SettableClock
from bot.models import CorpTag, MediaAsset
from bot.settings import Settings
from sandbox.contact_ways import QR_PNG
from tests.harness.admin import Admin
from tests.harness.world import KF, World, world

DAY = 24 * 3600


def image_uploads(w: World) -> list[str]:
    return [m for kind, m in w.sandbox.corp.media.uploads if kind == "image"]


def last_welcome(w: World, euid: str) -> dict:
    return [m for m in w.sandbox.inbox(euid) if m["channel"] == "welcome"][-1]


async def test_channel_code_rich_welcome_tags_and_customer_record(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        admin = await Admin.make(w.client)
        form = FormData()
        form.add_field("file", QR_PNG, filename="海报.png", content_type="image/png")
        resp = await w.client.post("/api/v1/media", data=form, headers=admin.headers)
        assert resp.status == 201
        picture = (await resp.json())["id"]
        status, made = await admin.call("POST", "/tags", {"group_name": "来源",
                                                          "names": ["家博会"]})
        assert status == 201
        status, _ = await admin.call("POST", "/tags", {"group_name": "意向",
                                                       "names": ["意向-衣柜"]})
        status, way = await admin.call("POST", "/contact-ways", {
            "name": "家博会", "users": ["zhangwei"], "tags": [made[0]["tag_id"]],
            "welcome_text": "您好{nickname}，这是家博会的优惠海报：",
            "welcome_attachments": [
                {"msgtype": "image", "image": {"media": picture}},
                {"msgtype": "link", "link": {"title": "预约量尺", "url": "https://example.com/m",
                                             "pic_media": picture}}]})
        assert status == 201, way
        assert image_uploads(w) == []  # uploaded when first used, not before

        await w.sandbox.customer_scans_code(way["config_id"], "wmFair1", name="钱女士")
        await w.settle()
        first = last_welcome(w, "wmFair1")
        assert first["text"]["content"] == "您好钱女士，这是家博会的优惠海报："
        image_id = first["attachments"][0]["image"]["media_id"]
        assert image_uploads(w) == [image_id]
        picurl = first["attachments"][1]["link"]["picurl"]
        assert picurl in w.sandbox.corp.media.images  # media/uploadimg: a permanent URL
        tag_id = made[0]["tag_id"]
        assert w.sandbox.corp.customers["wmFair1"].follow["zhangwei"]["tags"] == {tag_id}

        # A second customer: the same media_id, still alive; no second upload.
        await w.sandbox.customer_scans_code(way["config_id"], "wmFair2", name="孙先生")
        await w.settle()
        assert last_welcome(w, "wmFair2")["attachments"][0]["image"]["media_id"] == image_id
        assert len(image_uploads(w)) == 1

        # Three days on (WeCom's and ours): the media_id has died, a new one goes out.
        sandbox_clock = w.sandbox.corp.clock
        sandbox_clock.advance(3 * DAY)  # type: ignore[attr-defined]
        w.services.ports.clock = SettableClock(sandbox_clock)
        await w.sandbox.customer_scans_code(way["config_id"], "wmFair3", name="李先生")
        await w.settle()
        renewed = last_welcome(w, "wmFair3")["attachments"][0]["image"]["media_id"]
        assert renewed != image_id and image_uploads(w) == [image_id, renewed]
        # WeCom lets it die early (our record says it has days left): refused with 40007,
        # uploaded afresh and sent once more, all within the welcome's 20 s.
        w.sandbox.corp.media.expire()
        await w.sandbox.customer_scans_code(way["config_id"], "wmFair4", name="周女士")
        await w.settle()
        again = last_welcome(w, "wmFair4")["attachments"][0]["image"]["media_id"]
        assert image_uploads(w) == [image_id, renewed, again]
        assert (await MediaAsset.get(id=picture)).uploads == 3
        assert len(w.sandbox.corp.media.images) == 1  # the link's picture: uploaded once

        # The first customer writes to the kf account and hits a rule with a tag action.
        status, _ = await admin.call("POST", "/rules", {
            "id": "wardrobe", "priority": 1000, "when": {"any": ["衣柜"]},
            "tag": ["意向-衣柜"], "replies": {"messages": [{"text": "我们的衣柜都可定制"}]}})
        assert status == 201
        from bot.conversations.rulebook import changed
        await changed(w.services.ports)
        await w.sandbox.customer_says(KF, "wmFair1", "想了解衣柜")
        await w.wait_kf(1, "wmFair1")
        await w.settle()
        wardrobe = (await CorpTag.get(name="意向-衣柜")).tag_id
        assert w.sandbox.corp.customers["wmFair1"].follow["zhangwei"]["tags"] == {
            tag_id, wardrobe}
        await check_record(w, admin, way["state"])


async def check_record(w: World, admin: Admin, state: str) -> None:
    status, page = await admin.call("GET", f"/customers?channel={state}&page_size=10")
    assert status == 200 and page["total"] == 4
    status, page = await admin.call("GET", "/customers?q=钱女士")
    (found,) = page["items"]
    assert found["tags"] == ["家博会", "意向-衣柜"] and found["staff"] == ["zhangwei"]
    status, record = await admin.call("GET", f"/customers/{found['id']}")
    assert status == 200
    assert {t["name"]: t["cause"] for t in record["tags"]} == {
        "家博会": f"channel:{state}", "意向-衣柜": "rule:wardrobe"}
    assert all(t["marked"] for t in record["tags"])
    (follow,) = record["follows"]
    assert (follow["userid"], follow["state"], follow["channel"], follow["status"]) == (
        "zhangwei", state, "家博会", "active")
    assert record["kefu"][0]["open_kfid"] == KF
    kinds = [e["kind"] for e in record["timeline"]]
    assert kinds == ["contact", "welcome", "tag", "message_in", "message_out", "tag"], kinds
    times = [e["at"] for e in record["timeline"]]
    assert times == sorted(times)
    assert record["timeline"][3]["text"] == "想了解衣柜"
    assert record["timeline"][-1]["detail"]["cause"] == "rule:wardrobe"
    # As people read them: the welcome's outcome and each tag's cause in Chinese, by name.
    assert record["timeline"][1]["text"] == "新客户欢迎语：已发送"
    assert record["timeline"][-1]["detail"]["cause_text"] == "关键词规则「wardrobe」"
    assert {t["name"]: t["cause_text"] for t in record["tags"]} == {
        "家博会": "渠道活码「家博会」", "意向-衣柜": "关键词规则「wardrobe」"}
