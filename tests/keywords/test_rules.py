"""Rule file validation errors, and load -> dump -> load stability."""

from __future__ import annotations

import json

import pytest

from keywords import RuleError, dump_rules, load_rules, rule_to_dict

FULL = """
rules:
  - id: install-time
    name: 安装时间咨询
    enabled: true
    priority: 100
    channels: [kefu, app, aibot, archive]
    scope: {open_kfid: [wk1], chat_id: [], userid: []}
    when:
      exact: ["你好"]
      any: ["安装", "上门"]
      all: ["什么时候", "安装"]
      contains: ["安装"]
      regex: ["订单\\\\s*\\\\d{6,}"]
      exclude: ["取消"]
      fuzzy: pinyin
    hours: {days: mon-fri, from: "09:00", to: "18:00", tz: Asia/Shanghai, holidays: cn}
    applies: inside_hours
    cooldown_seconds: 60
    action: reply
    replies:
      mode: random
      messages:
        - text: "您好，{nickname}，安装一般在发货后三天内上门。"
        - image: {url: "https://example.com/a.png"}
        - image: {media_id: "MEDIA"}
        - link: {title: "t", url: "https://e.com", desc: "d", picurl: "https://e.com/p.png"}
        - miniprogram: {title: "m", appid: "wx1", pagepath: "p/i", thumb_media_id: "T"}
        - menu:
            head: "请选择"
            items:
              - click: {id: "progress", content: "查询进度"}
              - view: {url: "https://e.com", content: "看看"}
              - miniprogram: {appid: "wx1", pagepath: "p", content: "小程序"}
            tail: "谢谢"
  - id: night
    when: {menu_id: [progress]}
    hours: {days: "sat,sun", from: "22:00", to: "06:00"}
    applies: outside_hours
    action: escalate
"""


def test_full_example_loads_and_round_trips() -> None:
    rules = load_rules(FULL)
    assert [r.id for r in rules] == ["install-time", "night"]
    assert rules[0].hours is not None and rules[0].hours.holidays == "cn"
    for fmt in ("yaml", "json"):
        text = dump_rules(rules, fmt=fmt)
        again = load_rules(text)
        assert again == rules
        assert dump_rules(again, fmt=fmt) == text
    assert load_rules(json.loads(dump_rules(rules, fmt="json"))) == rules


def test_top_level_list_and_empty() -> None:
    rules = load_rules([{"id": "a", "when": {"any": ["x"]}, "action": "escalate"}])
    assert rules[0].replies.messages == ()
    assert rule_to_dict(rules[0]) == {"id": "a", "when": {"any": ["x"]}, "action": "escalate"}
    assert load_rules("") == ()
    assert load_rules({"rules": []}) == ()


def test_rules_are_immutable() -> None:
    rule = load_rules(FULL)[0]
    with pytest.raises(AttributeError):
        rule.priority = 1  # type: ignore[misc]


def ok(**over: object) -> dict:
    base: dict = {"id": "r1", "when": {"any": ["安装"]}, "replies": {"messages": [{"text": "x"}]}}
    base.update(over)
    return base


@pytest.mark.parametrize(
    ("rules", "rule_id", "field", "needle"),
    [
        ([ok(), ok()], "r1", "id", "编号重复"),
        ([ok(id="Bad Id")], None, "rules[0].id", "必须匹配"),
        ([{"when": {"any": ["x"]}}], None, "rules[0].id", "必填"),
        ([ok(when={})], "r1", "when", "至少需要"),
        ([ok(when={"any": []})], "r1", "when.any", "不能为空"),
        ([ok(when={"any": ["！！"]})], "r1", "when.any[0]", "归一化后为空"),
        ([ok(when={"any": "安装"})], "r1", "when.any", "应为文本列表"),
        ([ok(when={"regex": ["(unclosed"]})], "r1", "when.regex[0]", "bad regex"),
        ([ok(when={"regex": ["(a+)+$"]})], "r1", "when.regex[0]", "catastrophically"),
        ([ok(when={"any": ["x"], "fuzzy": "sound"})], "r1", "when.fuzzy", "只能是"),
        ([ok(when={"contains": ["x"], "fuzzy": "pinyin"})], "r1", "when.fuzzy", "词语条件"),
        ([ok(when={"any": ["x"], "bogus": 1})], "r1", "when.bogus", "不认识的字段"),
        ([ok(colour="red")], "r1", "colour", "不认识的字段"),
        ([ok(channels=["wechat"])], "r1", "channels[0]", "不认识的渠道"),
        ([ok(channels=[])], "r1", "channels", "不能为空"),
        ([ok(priority="high")], "r1", "priority", "应为整数"),
        ([ok(enabled="yes")], "r1", "enabled", "应为是/否"),
        ([ok(cooldown_seconds=-1)], "r1", "cooldown_seconds", "不能小于 0"),
        ([ok(scope={"room": []})], "r1", "scope.room", "不认识的字段"),
        ([ok(hours={"from": "25:00", "to": "18:00"})], "r1", "hours.from", "HH:MM"),
        ([ok(hours={"from": 1080, "to": "18:00"})], "r1", "hours.from", "quote times"),
        ([ok(hours={"to": "18:00"})], "r1", "hours.from", "必填"),
        (
            [ok(hours={"from": "09:00", "to": "18:00", "days": "mon-fry"})],
            "r1",
            "hours.days",
            "unknown day",
        ),
        (
            [ok(hours={"from": "09:00", "to": "18:00", "tz": "Mars/Base"})],
            "r1",
            "hours.tz",
            "unknown time zone",
        ),
        (
            [ok(hours={"from": "09:00", "to": "18:00", "holidays": "us"})],
            "r1",
            "hours.holidays",
            "只能是",
        ),
        ([ok(applies="inside_hours")], "r1", "applies", "需要填写营业时间"),
        ([ok(applies="sometimes")], "r1", "applies", "只能是"),
        ([ok(action="shout")], "r1", "action", "只能是"),
        ([ok(replies={"messages": []})], "r1", "replies.messages", "至少需要一条消息"),
        (
            [ok(replies={"mode": "some", "messages": [{"text": "x"}]})],
            "r1",
            "replies.mode",
            "只能是",
        ),
        (
            [ok(replies={"messages": [{"voice": {}}]})],
            "r1",
            "replies.messages[0]",
            "不认识的消息类型",
        ),
        (
            [ok(replies={"messages": [{"text": ""}]})],
            "r1",
            "replies.messages[0].text",
            "应为非空文本",
        ),
        (
            [ok(replies={"messages": [{"image": {}}]})],
            "r1",
            "replies.messages[0].image",
            "url、media_id 或 media 之一",
        ),
        (
            [ok(replies={"messages": [{"link": {"title": "t"}}]})],
            "r1",
            "replies.messages[0].link.url",
            "应为非空文本",
        ),
        (
            [ok(replies={"messages": [{"menu": {"items": []}}]})],
            "r1",
            "replies.messages[0].menu.items",
            "至少需要一个选项",
        ),
        (
            [ok(replies={"messages": [{"menu": {"items": [{"click": {"id": "a"}}]}}]})],
            "r1",
            "replies.messages[0].menu.items[0].click.content",
            "应为非空文本",
        ),
        (["not a rule"], None, "rules[0]", "应为对象"),
        ([ok(action="tag", replies=None)], "r1", "tag", "需要写明要打的标签"),
        ([ok(tag=["长" * 65])], "r1", "tag[0]", "标签最多 64 个字符"),
        (
            [ok(replies={"messages": [{"file": {"media": "x"}}]})],
            "r1",
            "replies.messages[0].file.media",
            "素材编号",
        ),
    ],
)
def test_rule_errors(rules: list, rule_id: str | None, field: str, needle: str) -> None:
    with pytest.raises(RuleError) as info:
        load_rules(rules)
    err = info.value
    assert err.rule_id == rule_id
    assert err.field == field
    assert needle in str(err)
    if rule_id:
        assert repr(rule_id) in str(err)
    assert field in str(err)


def test_document_level_errors() -> None:
    with pytest.raises(RuleError, match="不是合法的 YAML"):
        load_rules("rules: [")
    with pytest.raises(RuleError, match="不认识的顶层字段"):
        load_rules({"rulez": []})
    with pytest.raises(RuleError, match="应为规则列表"):
        load_rules("42")


def test_all_problems_are_collected_and_nothing_loads() -> None:
    bad = [ok(id="a"), ok(id="b", when={}), ok(id="c", channels=["x"], priority="p")]
    with pytest.raises(RuleError) as info:
        load_rules(bad)
    err = info.value
    assert [(p.rule_id, p.field) for p in err.problems] == [
        ("b", "when"),
        ("c", "priority"),
        ("c", "channels[0]"),
    ]
    assert str(err).startswith("共 3 处问题：")
