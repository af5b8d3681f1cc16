"""The customer pages in a real browser, each doing its main task against the sandbox:
素材库 (upload with WeCom's limits checked, preview, refuse, delete), 客户标签 (sync, create,
rename, delete — in WeCom too), 渠道活码 (create with members, tags and a welcome with a
library picture; the QR shown and saved; a customer scanning it is welcomed and tagged;
edit; delete), 客户 (search, the record with its timeline, tags given and taken away, the
contact sync), and a keyword rule that gives a tag, made in the form."""

from __future__ import annotations

import asyncio
import csv
import io
import re
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.api_access import create_token
from bot.conversations import rules_store
from bot.models import ContactWay, CorpTag, Customer, MediaAsset
from bot.settings import Settings
from sandbox.contact_ways import QR_PNG
from tests.harness.admin import Admin
from tests.harness.browser import browser_page, choose, confirm, screenshot_path, sign_in
from tests.harness.waiting import one, wait_for
from tests.harness.world import World, world


def poster_png(size: int = 96) -> bytes:
    """A small real picture (a colour gradient) for the previews and the screenshots."""
    rows = b"".join(b"\0" + bytes(v for x in range(size)
                                    for v in (64 + x, 158, 255 - y, 255)) for y in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


PNG = poster_png()
BOM = "\ufeff"


async def choose_many(page: Any, select_id: str, *labels: str) -> None:
    """Pick several options of a multiple el-select (its list stays open between picks)."""
    await page.locator(f".el-select:has(#{select_id})").click()
    for label in labels:
        option = page.locator(".el-select-dropdown__item:visible").filter(
            has_text=re.compile(rf"^\s*{re.escape(label)}(\s|$)"))
        await option.first.click()
    await page.keyboard.press("Escape")
    await page.locator(".el-select-dropdown__item:visible").first.wait_for(state="hidden")


async def upload_picture(w: World, admin: Admin, name: str = "海报.png") -> int:
    from aiohttp import FormData

    form = FormData(quote_fields=False)  # the name as a browser sends it, not %-quoted
    form.add_field("file", PNG, filename=name, content_type="image/png")
    resp = await w.client.post("/api/v1/media", data=form, headers=admin.headers)
    assert resp.status == 201
    return int((await resp.json())["id"])


async def tags_in_wecom(w: World) -> dict[str, set[str]]:
    return {g.name: {t.name for t in g.tags.values()} for g in w.sandbox.corp_tags.groups.values()}


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_media_library_upload_preview_and_delete(
    mode_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    async with world(mode_settings()) as w:
        token = await create_token("root", "admin")
        async with browser_page(str(w.client.make_url("/"))) as page:
            await sign_in(page, token, "/admin/#/media")
            await page.wait_for_selector(
                "#media-list .el-table__empty-text:has-text('素材库还是空的')")
            assert "图片：JPG、PNG，最大 10 MB" in await page.inner_text("#media-limits")
            # Nothing chosen; a picture that is not one; too big for WeCom: each said in
            # Chinese and nothing stored.
            await page.click("#media-upload")
            await page.wait_for_selector("#media-out .error:has-text('请选择要上传的文件')")
            await page.click("#media-kind label:has-text('图片')")
            await page.set_input_files("#media-file", files=[{
                "name": "假图片.png", "mimeType": "image/png", "buffer": b"not a picture at all"}])
            await page.click("#media-upload")
            await page.wait_for_selector("#media-out .error:has-text('图片只支持 JPG、PNG 格式')")
            await page.click("#media-kind label:has-text('自动识别')")
            await page.set_input_files("#media-file", files=[{
                "name": "大文件.zip", "mimeType": "application/zip",
                "buffer": b"\0" * (21 * 1024 * 1024)}])
            await page.click("#media-upload")
            await page.wait_for_selector("#media-out .error:has-text('文件最大 20 MB')")
            assert await MediaAsset.all().count() == 0

            # A picture: uploaded, listed with its preview, told from its bytes.
            await page.set_input_files("#media-file", files=[{
                "name": "<b>海报</b>.png", "mimeType": "image/png", "buffer": PNG}])
            await page.wait_for_selector(".media-chosen:has-text('海报')")
            await page.click("#media-upload")
            await page.wait_for_selector("#media-out .ok:has-text('已上传')")
            row = "#media-list tr:has([data-media])"
            await page.wait_for_selector(f"{row}:has-text('未上传，首次发送时上传')")
            assert await page.inner_text(f"{row} [data-media]") == "<b>海报</b>.png"
            assert await page.locator("#page-media b").count() == 0
            loaded = await page.eval_on_selector(f"{row} img.media-thumb",
                                                 "img => img.complete && img.naturalWidth")
            assert loaded == 96  # the picture itself, from the console's own origin
            (asset,) = await MediaAsset.all()
            assert asset.kind == "image" and asset.filename == "<b>海报</b>.png"
            async with page.expect_download() as info:
                await page.click(f"{row} .media-download")
            saved = await (await info.value).path()
            assert await asyncio.to_thread(Path(saved).read_bytes) == PNG
            # Filters: by kind and by name.
            await choose(page, "media-kind-filter", "文件")
            await page.wait_for_selector(row, state="detached")
            await page.locator(".el-select:has(#media-kind-filter) .el-select__clear").click(
                force=True)
            await page.fill("#media-search", "海报")
            await page.press("#media-search", "Enter")
            await page.wait_for_selector(row)
            await page.screenshot(path=str(screenshot_path("console-media.png", tmp_path)),
                                  full_page=True)

            # In use by a welcome: the delete is refused, naming where; unused, it goes.
            admin = Admin(w.client, token)
            image = {"msgtype": "image", "image": {"media": asset.id}}
            status, text = await admin.call("POST", "/welcome-texts",
                                            {"text": "你好", "attachments": [image]})
            assert status == 201, text
            await page.click(f"{row} button.delete")
            await confirm(page)
            await page.wait_for_selector("#media-out .error")
            assert await MediaAsset.all().count() == 1
            resp = await w.client.delete(f"/api/v1/welcome-texts/{text['id']}",
                                         headers=admin.headers)
            assert resp.status == 204
            await page.click(f"{row} button.delete")
            await confirm(page)
            await page.wait_for_selector("#media-out .ok:has-text('已删除')")
            assert await MediaAsset.all().count() == 0
            assert page.js_errors == []


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_tags_page_syncs_creates_renames_and_deletes_in_wecom(
    mode_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    async with world(mode_settings()) as w:
        token = await create_token("root", "admin")
        # Tags an admin made in WeCom's console before: the sync brings them.
        await w.sandbox.admin_edits_tags("create", group_name="客户等级", name="重要客户")
        await w.settle()
        await CorpTag.all().delete()
        async with browser_page(str(w.client.make_url("/"))) as page:
            await sign_in(page, token, "/admin/#/tags")
            await page.wait_for_selector("#tag-empty")
            await page.click("#tag-sync")
            await page.wait_for_selector("#tags-out .ok:has-text('已从企业微信同步：共 1 个标签')")
            await page.wait_for_selector(
                "#tag-groups .tag-group:has-text('客户等级') .tag-name:has-text('重要客户')")

            # A new group with two tags: made in WeCom (the sandbox) first.
            await page.fill("#tag-group-name", "意向产品")
            for name in ("衣柜", "橱柜"):
                await page.fill("#tag-group-tags", name)
                await page.press("#tag-group-tags", "Enter")
            await page.click("#tag-group-form button[type=submit]")
            await page.wait_for_selector("#tags-out .ok:has-text('已创建标签组')")
            group = "#tag-groups .tag-group:has(.group-name:text-is('意向产品'))"
            await page.wait_for_selector(f"{group} .tag-name:has-text('橱柜')")
            assert (await tags_in_wecom(w))["意向产品"] == {"衣柜", "橱柜"}
            # One more tag into it.
            await page.fill(f"{group} .tag-add-input input", "沙发")
            await page.press(f"{group} .tag-add-input input", "Enter")
            await page.click(f"{group} .tag-add")
            await page.wait_for_selector(f"{group} .tag-name:has-text('沙发')")
            # Rename a tag (click its name), then delete one (its close button).
            await page.click(f"{group} .tag-name:has-text('衣柜')")
            await page.fill(".el-message-box input", "定制衣柜")
            await confirm(page)
            await page.wait_for_selector("#tags-out .ok:has-text('已重命名为「定制衣柜」')")
            await page.click(f"{group} .el-tag:has(.tag-name:text-is('橱柜')) .el-tag__close")
            await confirm(page)
            await page.wait_for_selector("#tags-out .ok:has-text('已删除标签「橱柜」')")
            assert (await tags_in_wecom(w))["意向产品"] == {"定制衣柜", "沙发"}
            # Search.
            await page.fill("#tag-search", "沙发")
            await page.wait_for_selector("#tag-groups .tag-group:has-text('客户等级')",
                                         state="detached")
            await page.fill("#tag-search", "")
            await page.screenshot(path=str(screenshot_path("console-tags.png", tmp_path)),
                                  full_page=True)
            # A whole group.
            await page.click("#tag-groups .tag-group:has-text('客户等级') .group-delete")
            await confirm(page)
            await page.wait_for_selector("#tags-out .ok:has-text('已删除标签组')")
            assert "客户等级" not in await tags_in_wecom(w)
            # WeCom refuses a name it has: its answer is shown, nothing changes here.
            await page.fill("#tag-group-name", "意向产品")
            await page.fill("#tag-group-tags", "任意")
            await page.press("#tag-group-tags", "Enter")
            await page.click("#tag-group-form button[type=submit]")
            await page.wait_for_selector("#tags-out .error")
            assert await CorpTag.filter(name="任意").count() == 0
            assert page.js_errors == []


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_channel_code_made_in_the_console_welcomes_and_tags_who_scans_it(
    mode_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    async with world(mode_settings()) as w:
        token = await create_token("root", "admin")
        admin = Admin(w.client, token)
        await upload_picture(w, admin)
        status, made = await admin.call("POST", "/tags", {"group_name": "来源",
                                                          "names": ["家博会"]})
        assert status == 201
        tag_id = made[0]["tag_id"]
        async with browser_page(str(w.client.make_url("/"))) as page:
            await sign_in(page, token, "/admin/#/contact-ways")
            await page.wait_for_selector(
                "#way-list .el-table__empty-text:has-text('还没有渠道活码')")
            await page.click("#way-new")
            await page.wait_for_selector("#way-form")
            # Refused before WeCom is asked: no member; a state over WeCom's 30 characters.
            await page.fill("#way-name", "家博会展位")
            await page.click("#way-save")
            await page.wait_for_selector("#way-form .error:has-text('请选择使用该活码的成员')")
            await choose(page, "way-user", "张伟")
            await choose_many(page, "way-tags", "家博会")
            await page.fill("#way-remark-template", "{name}-{channel}")
            await page.fill("#way-welcome-text", "您好{nickname}，这是家博会的优惠海报：")
            await page.click("#way-att-add")
            await choose(page, "way-att-media-0", "海报.png")
            await page.wait_for_selector("#way-att .media-picker img.media-thumb")
            await page.click("#way-save")
            await page.wait_for_selector("#ways-out .ok:has-text('已创建渠道活码「家博会展位」')")
            way = await ContactWay.get(name="家博会展位")
            assert list(way.users) == ["zhangwei"] and list(way.tags) == [tag_id]
            in_wecom = w.sandbox.contact_ways.ways[way.config_id]
            assert in_wecom.user == ["zhangwei"] and in_wecom.state == way.state

            # The code's card: its QR from the console's origin, saved as a file.
            await page.wait_for_selector("#way-detail h2:has-text('家博会展位')")
            loaded = await page.eval_on_selector("#way-qr img",
                                                 "img => img.complete && img.naturalWidth")
            assert loaded == 1
            async with page.expect_download() as info:
                await page.click("#way-qr-download")
            download = await info.value
            assert download.suggested_filename == "家博会展位-渠道活码.png"
            assert await asyncio.to_thread(Path(await download.path()).read_bytes) == QR_PNG

            # A customer scans it (the sandbox): welcomed with the picture, tagged in WeCom,
            # counted under the code.
            await page.fill("#way-scan-name", "钱女士")
            await page.click("#way-scan")
            await page.wait_for_selector("#ways-out .ok:has-text('模拟客户「钱女士」扫码添加成功')")
            await w.settle()
            customer = await wait_for(lambda: one(Customer, name="钱女士"))
            welcome = [m for m in w.sandbox.inbox(customer.external_userid)
                       if m["channel"] == "welcome"][-1]
            assert welcome["text"]["content"] == "您好钱女士，这是家博会的优惠海报："
            assert welcome["attachments"][0]["msgtype"] == "image"
            follow = w.sandbox.corp.customers[customer.external_userid].follow["zhangwei"]
            assert follow["tags"] == {tag_id} and follow["remark"] == "钱女士-家博会展位"
            await page.wait_for_selector("#way-added:text-is('1')", timeout=10000)
            assert "海报.png" in await page.inner_text("#way-detail li")
            await page.screenshot(path=str(screenshot_path("console-contact-ways.png", tmp_path)),
                                  full_page=True)

            # Edit: the name (WeCom keeps the same code).
            await page.click("#way-edit")
            await page.fill("#way-name", "家博会展位（二号馆）")
            await page.click("#way-save")
            await page.wait_for_selector("#ways-out .ok:has-text('已保存「家博会展位（二号馆）」')")
            assert (await ContactWay.get(id=way.id)).name == "家博会展位（二号馆）"
            # Its customers, on the customers page.
            await page.click("#way-customers")
            await page.wait_for_selector(f"#customer-list [data-customer='{customer.id}']")
            # Delete: in WeCom too.
            await page.evaluate("location.hash = '#/contact-ways'")
            await page.click("#way-list tr:has([data-way]) button.delete")
            await confirm(page)
            await page.wait_for_selector("#ways-out .ok:has-text('已删除')")
            assert way.config_id not in w.sandbox.contact_ways.ways
            assert await ContactWay.all().count() == 0
            assert page.js_errors == []


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_customers_page_record_tags_and_sync(
    mode_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    async with world(mode_settings()) as w:
        token = await create_token("root", "admin")
        admin = Admin(w.client, token)
        status, made = await admin.call("POST", "/tags", {"group_name": "意向",
                                                          "names": ["衣柜", "橱柜"]})
        assert status == 201
        status, way = await admin.call("POST", "/contact-ways", {
            "name": "门店", "users": ["lina"], "tags": [made[0]["tag_id"]]})
        assert status == 201
        await w.sandbox.customer_scans_code(way["config_id"], "wmStoreA", name="孙先生")
        await w.sandbox.staff_adds_customer("zhangwei", "wmPlainB", name="周女士")
        await w.settle()
        status, _ = await admin.call("POST", "/orders", {
            "order_no": "DD7001", "team": {"specialist": "zhangwei"},
            "customer": {"external_userid": "wmPlainB", "name": "周女士", "phone": "13812345678"}})
        assert status == 201
        async with browser_page(str(w.client.make_url("/"))) as page:
            await sign_in(page, token, "/admin/#/customers")
            await page.wait_for_selector("#customer-list .customer-name:has-text('孙先生')")
            # The sync: started here, followed until it is done.
            await page.click("#sync-start")
            await page.wait_for_selector("#sync-state[data-status=done]:has-text('完成于')",
                                         timeout=15000)
            # Filters: by channel, by tag, by member, by order number.
            await choose(page, "customer-channel", "门店")
            await page.wait_for_selector("#customer-list .customer-name:has-text('周女士')",
                                         state="detached")
            await page.locator(".el-select:has(#customer-channel) .el-select__clear").click(
                force=True)
            await choose(page, "customer-staff", "张伟")
            await page.wait_for_selector("#customer-list .customer-name:has-text('孙先生')",
                                         state="detached")
            await page.locator(".el-select:has(#customer-staff) .el-select__clear").click(
                force=True)
            await page.fill("#customer-search", "DD7001")
            await page.press("#customer-search", "Enter")
            await page.wait_for_selector("#customer-list .customer-name:has-text('孙先生')",
                                         state="detached")
            async with page.expect_download() as info:
                await page.click("#customer-export")
            text = (await asyncio.to_thread(Path(await (await info.value).path()).read_bytes)
                    ).decode("utf-8")
            rows = list(csv.DictReader(io.StringIO(text.removeprefix(BOM))))
            assert [(r["客户"], r["跟进成员"]) for r in rows] == [("周女士", "张伟（zhangwei）")]
            await page.fill("#customer-search", "")
            await page.press("#customer-search", "Enter")

            # 孙先生's record: the channel, the member, the tag with its cause, the timeline.
            await page.click("#customer-list tr:has(.customer-name:has-text('孙先生'))")
            drawer = "#customer-detail"
            await page.wait_for_selector(f"{drawer} #customer-follows td:has-text('李娜')")
            assert "渠道「门店」" in await page.inner_text(f"{drawer} #customer-follows")
            assert "渠道活码「门店」" in await page.inner_text(f"{drawer} .tag-causes")
            await page.wait_for_selector(f"{drawer} #customer-timeline [data-kind=contact]")
            # Give a tag, then take one away: marked in WeCom for 李娜 each time.
            await choose_many(page, "customer-tag-add", "橱柜")
            await page.click("#customer-tag-save")
            await page.wait_for_selector("#customers-out .ok:has-text('已打上标签')")
            await page.wait_for_selector(f"{drawer} #customer-tags .el-tag:has-text('意向/橱柜')")
            follow = w.sandbox.corp.customers["wmStoreA"].follow["lina"]
            assert follow["tags"] == {made[0]["tag_id"], made[1]["tag_id"]}
            assert "控制台或接口（root）" in await page.inner_text(f"{drawer} .tag-causes")
            await page.click(
                f"{drawer} #customer-tags .el-tag:has-text('意向/衣柜') .el-tag__close")
            await page.wait_for_selector("#customers-out .ok:has-text('已移除标签「衣柜」')")
            assert follow["tags"] == {made[1]["tag_id"]}
            await page.wait_for_selector(
                f"{drawer} #customer-timeline [data-kind=tag]:has-text('移除标签')")
            await page.wait_for_timeout(400)  # the removed tag's fade
            await page.screenshot(path=str(screenshot_path("console-customers.png", tmp_path)))
            # The list shows the tag now; the address opens the record again.
            await page.keyboard.press("Escape")
            await page.wait_for_selector(drawer, state="detached")
            sun = await Customer.get(external_userid="wmStoreA")
            await page.evaluate(f"location.hash = '#/customers/{sun.id}'")
            await page.wait_for_selector(f"{drawer} [data-id=customer]:has-text('孙先生')")
            # 周女士's order is on her record, and leads to it.
            zhou = await Customer.get(external_userid="wmPlainB")
            await page.evaluate(f"location.hash = '#/customers/{zhou.id}'")
            await page.click(f"{drawer} #customer-orders-list a")
            await page.wait_for_selector("#order-detail h2:has-text('DD7001')")
            assert page.js_errors == []


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_a_rule_that_tags_made_in_the_form(
    mode_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    async with world(mode_settings(conversations={"load_sample_rules": False})) as w:
        token = await create_token("root", "admin")
        admin = Admin(w.client, token)
        status, _ = await admin.call("POST", "/tags", {"group_name": "意向", "names": ["衣柜"]})
        assert status == 201
        picture = await upload_picture(w, admin, "衣柜实拍.png")
        async with browser_page(str(w.client.make_url("/"))) as page:
            await sign_in(page, token, "/admin/#/rules")
            await page.click("#rule-new")
            await page.fill("#rule-id", "wardrobe")
            await page.fill("#rule-name", "衣柜意向")
            await page.fill("#when-any", "衣柜")
            await page.press("#when-any", "Enter")
            await choose_many(page, "rule-tag", "衣柜")
            await page.fill("#reply-text-0", "这是我们的衣柜实拍：")
            await page.click("#reply-add")
            await page.click("#reply-type-1 label:has-text('图片')")
            await choose(page, "reply-image-media-1", "衣柜实拍.png")
            await page.click("#rule-save")
            await page.wait_for_selector("#rule-problems .ok:has-text('已保存')")
            saved = next(r for r in await rules_store.list_rules() if r.rule_id == "wardrobe")
            assert saved.body["tag"] == ["衣柜"]
            assert saved.body["replies"]["messages"][1] == {"image": {"media": picture}}
            # The form keeps a tag scope made elsewhere, and the API lists rules by action.
            status, _ = await admin.call("POST", "/rules", {
                "id": "vip-only", "action": "tag", "tag": ["衣柜"], "when": {"any": ["贵宾"]},
                "scope": {"tag": ["衣柜"]}})
            assert status == 201
            status, found = await admin.call("GET", "/rules?action=tag")
            assert [r["id"] for r in found] == ["vip-only"]
            await page.evaluate("location.hash = '#/rules/vip-only'")
            await page.wait_for_selector("#rule-form .el-select:has(#scope-tag) [data-id=tag]")
            await page.fill("#rule-name", "贵宾")
            await page.click("#rule-save")
            await page.wait_for_selector("#rule-problems .ok:has-text('已保存')")
            vip = next(r for r in await rules_store.list_rules() if r.rule_id == "vip-only")
            assert vip.body["scope"] == {"tag": ["衣柜"]} and vip.body["action"] == "tag"
            assert "replies" not in vip.body
            # It is listed on the tags page as a rule that tags.
            await page.evaluate("location.hash = '#/tags'")
            await page.wait_for_selector("#tag-rules td:has-text('衣柜意向')")
            # A customer writes: answered with the picture, and tagged here (kefu only).
            from tests.harness.world import KF

            await w.sandbox.customer_says(KF, "wmRuleC", "想看看衣柜")
            await w.wait_kf(2, "wmRuleC")
            await w.settle()
            row = await wait_for(lambda: one(Customer, external_userid="wmRuleC"))
            status, record = await admin.call("GET", f"/customers/{row.id}")
            assert [(t["name"], t["cause_text"]) for t in record["tags"]] == [
                ("衣柜", "关键词规则「衣柜意向」")]
            assert page.js_errors == []
