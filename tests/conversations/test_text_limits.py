"""WeCom's byte limits: refused when saved (the field and the limit named, in Chinese),
split at send time where the channel allows it, recorded as not sent where it does not."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.api_access import create_token
from bot.conversations import compose, rules_store
from bot.models import RuleRow, WelcomeOutcome, WelcomeText
from bot.orders.pipelines import StageSpec
from bot.protocol import text_limits as L
from bot.settings import ConversationsConfig, Settings
from keywords import Menu, MenuItem, RuleError, Text
from tests.harness.waiting import wait_for
from tests.harness.world import world


def test_split_joins_back_and_fits() -> None:
    for text in ("", "短", "长" * 2000, ("第一段。" * 300 + "\n") * 5, "😀" * 1000):
        parts = L.split(text, L.KF_TEXT)
        assert "".join(parts) == text
        assert all(L.size(p) <= L.KF_TEXT for p in parts)
    assert L.split("一二三。四五六", 12) == ["一二三。", "四五六"]


async def test_kf_texts_grown_past_the_limit_are_split_never_cut() -> None:
    name = "名" * 64  # the longest nickname kept
    text = "您好{nickname}，" + "说" * 660
    assert L.size(text) <= L.KF_TEXT < L.size(compose.fill(text, {"nickname": name}))
    head = "{nickname}" + "头" * 330
    menu = Menu(items=(MenuItem("click", "进度{nickname}", id="p"),), head=head)
    out = await compose.kf_payloads([Text(text), menu], {"nickname": name})
    kinds = [k for k, _ in out]
    assert kinds == ["text", "text", "text", "msgmenu"]
    assert out[0][1]["content"] + out[1][1]["content"] == compose.fill(text, {"nickname": name})
    assert out[2][1]["content"] == compose.fill(head, {"nickname": name})  # head as its text
    body = out[3][1]
    assert "head_content" not in body
    # A button cannot be split: its placeholders are left empty rather than the text cut.
    assert body["list"][0]["click"]["content"] == "进度"
    assert all(L.size(b.get("content", "")) <= L.KF_TEXT for _, b in out)


def test_settings_and_pipeline_texts_are_checked_in_bytes() -> None:
    with pytest.raises(ValueError, match="1024 字节"):
        ConversationsConfig(kf_welcome_text="欢" * 342)
    with pytest.raises(ValueError, match="2048 字节"):
        ConversationsConfig(fallback_reply="抱" * 683)
    with pytest.raises(ValueError, match="512 字节"):
        StageSpec(name="量尺", team_template="订" * 171)
    StageSpec(name="量尺", team_template="订" * 170)


async def test_saving_over_long_texts_is_refused_with_the_field_and_limit(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        h = {"Authorization": "Bearer " + await create_token("adm-len", "admin")}
        c = w.client
        rule = {"id": "long", "when": {"any": ["长"]}, "action": "reply", "replies": {
            "messages": [{"text": "长" * 683},
                         {"menu": {"head": "头" * 342, "items": [{"click": {
                             "id": "a", "content": "钮" * 43}}]}}]}}
        res = await c.post("/api/v1/rules", json=rule, headers=h)
        assert res.status == 400
        problems = (await res.json())["error"]["problems"]
        assert {p["field"]: p["message"] for p in problems} == {
            "replies.messages[0].text": "超过企业微信上限 2048 字节（当前 2049 字节）",
            "replies.messages[1].menu.head": "超过企业微信上限 1024 字节（当前 1026 字节）",
            "replies.messages[1].menu.items[0].click.content":
                "超过企业微信上限 128 字节（当前 129 字节）"}
        with pytest.raises(RuleError):
            await rules_store.import_rules([rule], mode="merge", actor="t")
        assert not await RuleRow.filter(rule_id="long").exists()
        res = await c.post("/api/v1/welcome-texts", json={"text": "😀" * 1001}, headers=h)
        err = (await res.json())["error"]
        assert res.status == 400 and err["field"] == "text" and "4000 字节" in err["message"]
        assert not await WelcomeText.exists()
        res = await c.put("/api/v1/kf-welcome", json={"text": "欢" * 342}, headers=h)
        err = (await res.json())["error"]
        assert res.status == 400 and err["field"] == "text" and "1024 字节" in err["message"]
        res = await c.put("/api/v1/kf-welcome", json={"text": "欢迎", "menu": [
            {"id": "a", "content": "钮" * 43}]}, headers=h)
        err = (await res.json())["error"]
        assert res.status == 400 and err["field"] == "menu[0].content"
        assert (await (await c.get("/api/v1/kf-welcome", headers=h)).json())[0]["source"] \
            == "settings"


async def test_a_contact_welcome_grown_past_4000_bytes_is_not_sent(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        text = "{nickname}" + "好" * 1328  # 3994 bytes as saved
        await WelcomeText.create(channel_code=None, userid=None, text=text, attachments=[])
        await w.sandbox.staff_adds_customer("zhangwei", "wmLongName", name="周" * 10)
        async def recorded() -> WelcomeOutcome | None:
            return await WelcomeOutcome.get_or_none(external_userid="wmLongName")

        assert (await wait_for(recorded)).outcome == "too_long"
        await w.settle()
        assert w.sandbox.inbox("wmLongName") == []
