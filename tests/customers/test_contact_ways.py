"""「联系我」 channel codes through the admin API and the sandbox: made, scanned, changed and
deleted in WeCom; refused with a Chinese message naming the field, nothing half-saved."""

from __future__ import annotations

import secrets
from collections.abc import Callable

import pytest
from aiohttp.test_utils import TestClient

from bot.api_access import create_token
from bot.models import ChannelCode, ContactEvent, ContactWay, WelcomeText
from bot.settings import Settings
from tests.harness.admin import Admin
from tests.harness.service import sandbox_of
from tests.harness.world import world


async def test_a_channel_code_made_scanned_changed_and_deleted(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        admin = await Admin.make(w.client)
        deliveries = w.sandbox.corp.driver.deliveries
        status, way = await admin.call("POST", "/contact-ways", {
            "name": "展会二维码", "users": ["zhangwei", "lina"], "remark": "2026 家博会",
            "welcome_text": "您好{nickname}，感谢在展会上添加我们！", "skip_verify": True,
            "welcome_attachments": [{"msgtype": "link", "link": {
                "title": "展会优惠", "url": "https://example.com/expo"}}]})
        assert status == 201, way
        assert way["multi"] is True and len(way["state"]) <= 30
        held = w.sandbox.contact_ways.ways[way["config_id"]]
        assert (held.type, held.scene, held.user, held.state, held.remark) == (
            2, 2, ["zhangwei", "lina"], way["state"], "2026 家博会")
        assert way["qr_code"] == held.qr_code
        assert deliveries == []  # changes made through the API call nothing back
        qr = await w.client.get(way["qr_download"], headers=admin.headers)
        assert qr.status == 200 and qr.content_type == "image/png"
        assert (await qr.read()).startswith(b"\x89PNG")
        assert "attachment" in qr.headers["Content-Disposition"]

        # A customer scans it: the contact is added with its state and welcomed.
        scan = await w.sandbox.customer_scans_code(way["config_id"], "wmExpoScan1", name="周先生")
        assert scan["state"] == way["state"]
        await w.settle()
        welcome = w.sandbox.inbox("wmExpoScan1")[-1]
        assert welcome["text"]["content"] == "您好周先生，感谢在展会上添加我们！"
        assert welcome["attachments"][0]["link"]["title"] == "展会优惠"
        # The console's playground does the same.
        status, scanned = await admin.call("POST", "/playground/contact/scan", {
            "config_id": way["config_id"], "external_userid": "wmExpoScan2", "name": "吴女士"})
        assert status == 200 and scanned["result"]["state"] == way["state"]
        status, err = await admin.call("POST", "/playground/contact/scan",
                                       {"config_id": "no-such-way"})
        assert status == 400 and "41044" in err["error"]["message"]
        await w.settle()
        assert w.sandbox.inbox("wmExpoScan2")[-1]["text"]["content"] == (
            "您好吴女士，感谢在展会上添加我们！")
        assert await ContactEvent.filter(channel_code=way["state"]).count() == 2
        status, got = await admin.call("GET", f"/contact-ways/{way['id']}")
        assert (status, got["added"], got["lost"]) == (200, 2, 0)

        # Changed: the members in WeCom, the welcome here; state cannot change.
        status, changed = await admin.call("PATCH", f"/contact-ways/{way['id']}", {
            "users": ["wangqiang"], "welcome_text": "新的欢迎语"})
        assert status == 200 and changed["users"] == ["wangqiang"]
        assert held.user == ["wangqiang"]
        assert (await WelcomeText.get(channel_code=way["state"])).text == "新的欢迎语"
        status, err = await admin.call("PATCH", f"/contact-ways/{way['id']}",
                                       {"state": "other"})
        assert status == 400 and err["error"]["field"] == "state"

        status, page = await admin.call("GET", "/contact-ways?q=展会&page=1&page_size=5")
        assert status == 200 and page["total"] == 1 and page["items"][0]["id"] == way["id"]
        status, page = await admin.call("GET", "/contact-ways?userid=lina")
        assert page["total"] == 0

        # Deleted in WeCom and here; the channel code keeps its name for the statistics.
        gone = await w.client.delete(f"/api/v1/contact-ways/{way['id']}", headers=admin.headers)
        assert gone.status == 204
        assert w.sandbox.contact_ways.ways == {}
        assert not await ContactWay.exists()
        assert await ChannelCode.get(code=way["state"])
        assert (await admin.call("GET", f"/contact-ways/{way['id']}"))[0] == 404


pytestmark = pytest.mark.asyncio(loop_scope="module")

MEMBERS_101 = [f"user{i:03d}" for i in range(101)]


@pytest.mark.parametrize(("body", "field", "words"), [
    ({"state": "s" * 31}, "state", "30"),
    ({"users": MEMBERS_101, "multi": True}, "users", "100"),
    ({"users": ["zhangwei", "lina"], "multi": False}, "users", "单人"),
    ({"welcome_attachments": [{"msgtype": "link", "link": {
        "title": f"第{i}条", "url": "https://example.com"}} for i in range(10)]},
     "welcome_attachments", "9"),
    ({"welcome_attachments": [{"msgtype": "image", "image": {"media_id": "3abc"}}]},
     "welcome_attachments[0].image", "素材库"),
    ({"welcome_attachments": [{"msgtype": "text", "text": {"content": "x"}}]},
     "welcome_attachments[0].msgtype", "不支持"),
    ({"remark": "备" * 31}, "remark", "30"),
    ({"name": ""}, "name", "渠道名称"),
    ({"tags": ["no-such-tag"]}, "tags[0]", "不存在"),
    ({"remark_template": "{phone}"}, "remark_template", "{name}"),
])
async def test_limits_refused_with_a_clear_error_and_nothing_saved(
    module_client: TestClient, body: dict, field: str, words: str,
) -> None:
    admin = Admin(module_client, await create_token(f"adm-{secrets.token_hex(4)}", "admin"))
    sandbox = sandbox_of(module_client)
    calls = len(sandbox.calls)
    status, err = await admin.call("POST", "/contact-ways", {
        "name": "限制", "users": ["zhangwei"], **body})
    assert status == 400, err
    assert err["error"]["field"] == field and words in err["error"]["message"]
    assert not await ContactWay.exists()
    assert not [c for c in sandbox.calls[calls:] if "contact_way" in c["path"]]


async def test_wecom_refusals_say_why_and_save_nothing(module_client: TestClient) -> None:
    admin = Admin(module_client, await create_token(f"adm-{secrets.token_hex(4)}", "admin"))
    sandbox = sandbox_of(module_client)
    sandbox.corp.staff["wangqiang"].active = False
    try:
        status, err = await admin.call("POST", "/contact-ways", {
            "name": "未激活", "users": ["wangqiang"]})
    finally:
        sandbox.corp.staff["wangqiang"].active = True
    assert status == 400 and err["error"]["code"] == "wecom_refused"
    assert "41054" in err["error"]["message"] and "激活" in err["error"]["message"]
    assert not await ContactWay.exists()
    assert sandbox.contact_ways.ways == {}
