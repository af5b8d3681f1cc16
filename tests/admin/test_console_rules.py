"""The rules page in a real browser: list and search, edit with every validation problem
inline, the live tester shows the edited rule winning, history with diffs and rollback, and
a hostile rule name shown as text."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.api_access import create_token
from bot.conversations import rules_store
from bot.conversations.rulebook import changed
from bot.settings import Settings
from tests.harness.browser import browser_page, confirm, screenshot_path, sign_in
from tests.harness.service import services_of, serving

TABLE = {"id": "coffee-table", "name": "茶几配送", "priority": 60, "when": {"any": ["茶几"]},
         "action": "reply", "replies": {"messages": [{"text": "茶几三天可送达。"}]}}
HOSTILE = {"id": "hostile", "name": "<script>alert(1)</script>", "when": {"any": ["脚本"]},
           "action": "reply", "replies": {"messages": [{"text": "<img src=x onerror=alert(2)>"}]}}


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_edit_a_rule_and_see_it_win_in_the_tester(
    mode_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    async with serving(mode_settings()) as client:
        await rules_store.create_rule(TABLE, "seed")
        await rules_store.create_rule(HOSTILE, "seed")
        await changed(services_of(client).ports)
        token = await create_token("root", "admin")
        async with browser_page(str(client.make_url("/"))) as page:
            await sign_in(page, token, "/admin/#/rules")
            await page.wait_for_selector("#rule-list .rule-name[data-rule=hostile]")
            # The hostile display name is text: no script element, no alert.
            name = page.locator("#rule-list .rule-name[data-rule=hostile]")
            assert await name.inner_text() == "<script>alert(1)</script>"
            assert await page.locator("#page-rules script, #page-rules img").count() == 0

            await page.fill("#rule-search", "茶几")
            await page.wait_for_selector("#rule-list .rule-name[data-rule=hostile]",
                                         state="detached")
            assert await page.locator("#rule-list .rule-name[data-rule]").count() == 1
            await page.click("#rule-list tr:has([data-rule=coffee-table])")
            await page.wait_for_selector("#editor-title:has-text('coffee-table')")
            # The form shows the rule; the advanced tab its JSON.
            assert await page.input_value("#rule-name") == "茶几配送"
            await page.click("#tab-json")

            # Invalid: every problem is listed with its field, nothing is saved.
            broken = {**TABLE, "priority": "high", "when": {"regex": ["("]}}
            await page.fill("#rule-json", _json(broken))
            await page.click("#rule-save")
            await page.wait_for_selector("#rule-problems li")
            fields = await page.locator("#rule-problems li code.field").all_inner_texts()
            assert "priority" in fields and any(f.startswith("when.regex") for f in fields)

            # Valid: 边几 now reaches the rule, and the tester (the live rule set) agrees.
            edited = {**TABLE, "when": {"any": ["茶几", "边几"]}}
            await page.fill("#rule-json", _json(edited))
            await page.click("#rule-save")
            await page.wait_for_selector("#rule-problems .ok:has-text('已保存')")
            await page.fill("#test-text", "边几<b>多久</b>能到")
            await page.wait_for_selector("#test-winner:has-text('coffee-table')")
            assert await page.inner_text("#test-result mark") == "边几"
            assert "边几" in await page.inner_text("#test-result .tokens")
            assert await page.locator("#test-result b").count() == 0

            # History: the edit's diff, and a rollback to the first version.
            await page.wait_for_selector("#rule-history .version pre span.add:has-text('边几')")
            assert await page.locator("#rule-history .version").count() == 2
            await page.locator("#rule-history .version").last.locator("button.rollback").click()
            await page.wait_for_selector("#rule-problems .ok:has-text('已回滚')")
            await page.fill("#test-text", "边几多久能到 ")
            await page.wait_for_selector("#test-winner.error")

            # Disable, then the tester no longer picks it for 茶几 either.
            await page.click("#rule-toggle")
            await page.wait_for_selector("#editor-meta:has-text('已停用')")
            await page.fill("#test-text", "茶几多久能到")
            await page.wait_for_selector("#test-winner.error")
            await page.click("#rule-toggle")
            await page.wait_for_selector("#editor-meta:has-text('启用中')")
            await page.fill("#rule-search", "")
            await page.fill("#test-text", "茶几多久能到")
            await page.wait_for_selector("#test-winner:has-text('coffee-table')")
            await page.screenshot(path=str(screenshot_path("console-rules.png", tmp_path)),
                                  full_page=True)

            # Export downloads the rule file; conflicts are listed.
            async with page.expect_download() as download:
                await page.click("#export-yaml")
            saved = await (await download.value).path()
            assert "coffee-table" in await asyncio.to_thread(Path(saved).read_text, "utf-8")
            await page.wait_for_selector("#rule-conflicts h2")

            # Import (dry run lists problems per rule) and delete.
            await page.fill("#import-text", "rules:\n  - id: Bad Id\n    when: {}\n")
            await page.click("#import-dry")
            await page.wait_for_selector("#import-result li")
            await page.click("#rule-delete")
            await confirm(page)
            await page.wait_for_selector("#rule-problems .ok:has-text('已删除')")
            assert await rules_store.list_rules() and not any(
                r.rule_id == "coffee-table" for r in await rules_store.list_rules())
            assert page.js_errors == []


def _json(rule: dict[str, Any]) -> str:
    import json

    return json.dumps(rule, ensure_ascii=False, indent=2)


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_create_a_rule_with_an_image_reply_in_the_form(
    mode_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    async with serving(mode_settings(conversations={"load_sample_rules": False})) as client:
        token = await create_token("root", "admin")
        async with browser_page(str(client.make_url("/"))) as page:
            await sign_in(page, token, "/admin/#/rules")
            await page.click("#rule-new")
            await page.fill("#rule-id", "sofa-photo")
            await page.fill("#rule-name", "沙发实拍图")
            await page.locator("#when-any").fill("")
            for term in ("沙发", "实拍"):
                await page.fill("#when-any", term)
                await page.press("#when-any", "Enter")
            await page.click("#rule-channels label:has-text('微信客服')")
            # The first reply: text, with WeCom's 2,048-byte limit counted as you type.
            await page.fill("#reply-text-0", "好" * 700)  # 2,100 bytes in UTF-8
            await page.wait_for_selector("#reply-bytes-0.error-text:has-text('2100 / 2048')")
            await page.click("#rule-save")
            await page.wait_for_selector("#rule-problems .error:has-text('超过企业微信上限')")
            await page.fill("#reply-text-0", "这是我们沙发的实拍图：")
            # A second reply: an image.
            await page.click("#reply-add")
            await page.click("#reply-type-1 label:has-text('图片')")
            await page.fill("#reply-image-url-1", "https://example.com/sofa.jpg")
            await page.click("#rule-save")
            await page.wait_for_selector("#rule-problems .ok:has-text('已保存')")
            saved = next(r for r in await rules_store.list_rules() if r.rule_id == "sofa-photo")
            assert saved.body["when"] == {"any": ["沙发", "实拍"]}
            assert saved.body["channels"] == ["kefu"]
            assert saved.body["replies"]["messages"] == [
                {"text": "这是我们沙发的实拍图："}, {"image": {"url": "https://example.com/sofa.jpg"}}]
            # The live tester picks it.
            await page.fill("#test-text", "有沙发的实拍吗")
            await page.wait_for_selector("#test-winner:has-text('沙发实拍图')")
            # The API refuses an over-long text reply too, naming the reply.
            resp = await client.put("/api/v1/rules/sofa-photo", headers={
                "Authorization": f"Bearer {token}"}, json={
                **saved.body, "replies": {"messages": [{"text": "好" * 700}]}})
            err = (await resp.json())["error"]
            assert resp.status == 400 and err["field"] == "replies.messages[0].text"
            assert "2048 字节" in err["message"]
            await page.screenshot(path=str(screenshot_path("console-rules.png", tmp_path)),
                                  full_page=True)
            assert page.js_errors == []
