"""Media from the library in every place that sends: keyword rule replies (kf/send_msg:
image, file, video, a link's thumbnail), group welcome templates (a permanent picture URL)
and milestone templates (the group task's attachments) — each checked against what that
API takes when saved, each resolved to a live media_id when sent."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import FormData

from bot.conversations.rulebook import changed
from bot.models import Order, OutboxMessage, OutboxStatus
from bot.settings import Settings
from sandbox.contact_ways import QR_PNG
from tests.harness.admin import Admin
from tests.harness.waiting import one, wait_for
from tests.harness.world import KF, World, world

MP4 = b"\0\0\0\x18ftypmp42" + b"\0" * 64


async def _upload(w: World, admin: Admin, data: bytes, name: str) -> int:
    form = FormData()
    form.add_field("file", data, filename=name)
    resp = await w.client.post("/api/v1/media", data=form, headers=admin.headers)
    assert resp.status == 201, await resp.text()
    return int((await resp.json())["id"])


async def test_rule_replies_templates_and_group_tasks_carry_library_media(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings(group_task_delay_seconds=0)) as w:
        admin = await Admin.make(w.client)
        picture = await _upload(w, admin, QR_PNG, "尺寸图.png")
        video = await _upload(w, admin, MP4, "安装.mp4")
        brochure = await _upload(w, admin, b"%PDF-1.4 brochure", "画册.pdf")

        # Rule replies: refused when a media is of the wrong kind, sent resolved otherwise.
        status, err = await admin.call("POST", "/rules", {
            "id": "bad-media", "when": {"any": ["画册"]},
            "replies": {"messages": [{"image": {"media": video}}]}})
        assert status == 400 and "需要图片" in err["error"]["message"]
        status, _ = await admin.call("POST", "/rules", {
            "id": "catalog", "priority": 1000, "when": {"any": ["画册"]},
            "replies": {"messages": [
                {"text": "这是我们的画册："}, {"file": {"media": brochure}},
                {"video": {"media": video}},
                {"link": {"title": "预约量尺", "url": "https://example.com/m",
                          "pic_media": picture}}]}})
        assert status == 201
        await changed(w.services.ports)
        await w.sandbox.customer_says(KF, "wmRich1", "发我画册")
        await w.wait_kf(4, "wmRich1")
        sent = [m for m in w.sandbox.inbox("wmRich1") if m["channel"] == "kf"]
        assert [m["msgtype"] for m in sent] == ["text", "file", "video", "link"]
        media = w.sandbox.corp.media.items
        assert media[sent[1]["payload"]["media_id"]][0] == "file"
        assert media[sent[2]["payload"]["media_id"]][0] == "video"
        assert media[sent[3]["payload"]["thumb_media_id"]][0] == "image"

        # A group welcome template: its picture as a permanent URL (templates live on).
        status, tpl = await admin.call("POST", "/group-welcome-templates", {
            "name": "入群", "text": "欢迎入群", "attachment": {"image": {"media": picture}}})
        assert status == 201, tpl
        (held,) = w.sandbox.mass_messaging.templates.values()
        assert held["image"]["pic_url"] in w.sandbox.corp.media.images
        status, err = await admin.call("POST", "/group-welcome-templates", {
            "name": "两个", "text": "x", "attachment": {"image": {"media": picture},
                                                         "file": {"media": brochure}}})
        assert status == 400 and "一个附件" in err["error"]["message"]

        # A milestone template's attachments go with the group's progress notice.
        too_many = [{"msgtype": "file", "file": {"media": brochure}}] * 10
        status, err = await admin.call("PUT", "/pipelines/default", {"stages": [
            {"name": "签约", "group_attachments": too_many}]})
        assert status == 400 and err["error"]["field"] == "stages[0].group_attachments"
        status, _ = await admin.call("PUT", "/pipelines/default", {"stages": [
            {"name": "签约", "group_attachments": [
                {"msgtype": "image", "image": {"media": picture}}]},
            {"name": "量尺"}]})
        assert status == 200
        status, _ = await admin.call("POST", "/orders", {
            "order_no": "SO-77001122", "team": {"specialist": "zhangwei"},
            "customer": {"name": "周先生", "phone": "13900001111"}})
        assert status == 201
        await w.sandbox.staff_creates_group("zhangwei", "SO-77001122 服务群")
        await wait_for(lambda: one(Order, order_no="SO-77001122", group_chat_id__isnull=False))
        status, _ = await admin.call("POST", "/orders/SO-77001122/milestones",
                                     {"milestone": "签约", "event_id": "e1"})
        assert status == 201
        row = await wait_for(lambda: one(OutboxMessage, api="add_msg_template",
                                         status=OutboxStatus.SENT), timeout=20)
        assert row.args["attachments"] == [{"msgtype": "image", "image": {"media": picture}}]
        (task,) = w.sandbox.mass_messaging.tasks.values()
        image = task.content["attachments"][0]["image"]
        assert w.sandbox.corp.media.items[image["media_id"]][0] == "image"
