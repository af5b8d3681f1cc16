"""Table-driven matching semantics."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from keywords import Matcher, load_rules, normalize

SH = dt.timezone(dt.timedelta(hours=8))


def rule(rid: str, when: dict, **extra: object) -> dict:
    return {"id": rid, "when": when, "replies": {"messages": [{"text": rid}]}, **extra}


def matcher(*rules: dict) -> Matcher:
    return Matcher(load_rules(list(rules)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＡＢＣ１２３", "abc123"),  # full-width -> half-width
        ("Hello World", "helloworld"),  # case-fold, whitespace
        ("安裝時間？", "安装时间"),  # traditional -> simplified, punctuation
        ("你好😀👍🏻！！", "你好"),  # emoji and modifiers
        ("❤️ok", "ok"),  # variation selector
        ("①号", "1号"),
        ("", ""),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


WORDS = matcher(
    rule("guard", {"any": ["保安"]}),
    rule("install", {"any": ["安装"]}),
    rule("wx", {"any": ["微信私域"]}),
    rule("multi", {"any": ["什么时候来"]}),
    rule("latin", {"any": ["iphone"]}),
)


@pytest.mark.parametrize(
    ("text", "rid"),
    [
        ("佳保安全", None),  # 保安 is not a word here
        ("小区保安在吗", "guard"),
        ("什么时候来安装", "multi"),  # several-word term, contiguous tokens
        ("我想问一下安装", "install"),
        ("安裝", "install"),  # traditional in message
        ("ＩＰＨＯＮＥ坏了", "latin"),
        ("iphones", None),  # latin token must match whole
        ("iphone 15", "latin"),
        ("加微信私域好友", "wx"),  # term unknown to jieba, added to private dict
    ],
)
def test_word_boundaries(text: str, rid: str | None) -> None:
    m = WORDS.match(text)
    assert (m.rule.id if m else None) == rid


def test_any_term_missing_when_split_but_contains_still_hits() -> None:
    m = matcher(rule("c", {"contains": ["保安"]}))
    assert m.match("佳保安全").rule.id == "c"


CONDS = matcher(
    rule("all", {"all": ["什么时候", "安装"], "exclude": ["取消"]}),
    rule("exact", {"exact": ["你好"]}),
    rule("rx", {"regex": [r"订单\s*\d{6,}"]}),
)


@pytest.mark.parametrize(
    ("text", "rid"),
    [
        ("什么时候安装", "all"),
        ("安装", None),  # all-term missing
        ("什么时候安装？我想取消", None),  # exclude
        ("你好！", "exact"),
        ("你好呀", None),
        ("订单：1234567", "rx"),
        ("订单123", None),
    ],
)
def test_conditions(text: str, rid: str | None) -> None:
    m = CONDS.match(text)
    assert (m.rule.id if m else None) == rid


def test_every_given_condition_must_hold() -> None:
    m = matcher(rule("both", {"any": ["安装"], "contains": ["空调"]}))
    assert m.match("空调安装") is not None
    assert m.match("安装") is None


def test_positions_refer_to_original_text() -> None:
    text = "您好！！ 请问 什麼時候來 安 裝？"
    m = matcher(rule("r", {"all": ["什么时候", "安装"]})).match(text)
    assert m is not None
    spans = {h.term: text[h.start : h.end] for h in m.hits}
    assert spans == {"什么时候": "什麼時候", "安装": "安 裝"}
    assert m.normalized == "您好请问什么时候来安装"


PREC = [
    rule("a-contains", {"contains": ["安装"]}),
    rule("b-any", {"any": ["安装"]}),
    rule("c-all", {"all": ["安装", "时间"]}),
    rule("d-exact", {"exact": ["安装时间"]}),
    rule("e-regex", {"regex": ["安装"]}),
    rule("f-long", {"contains": ["安装时"]}),
    rule("g-low", {"exact": ["安装时间"]}, priority=-1),
    rule("h-tie", {"any": ["安装"]}),
]


def test_precedence_priority_specificity_length_id() -> None:
    found = [x.rule.id for x in matcher(*PREC).match_all("安装时间")]
    assert found == [
        "d-exact", "c-all", "b-any", "h-tie", "f-long", "a-contains", "e-regex", "g-low"
    ]  # fmt: skip


def test_priority_beats_specificity() -> None:
    rules = [*PREC, rule("z-top", {"contains": ["时间"]}, priority=5)]
    best = matcher(*rules).match("安装时间")
    assert best.rule.id == "z-top"
    assert set(best.won_over) == {r["id"] for r in PREC}


def test_load_order_independence() -> None:
    expected = [x.rule.id for x in matcher(*PREC).match_all("安装时间")]
    for seed in range(5):
        shuffled = PREC[:]
        random.Random(seed).shuffle(shuffled)
        assert [x.rule.id for x in matcher(*shuffled).match_all("安装时间")] == expected
        assert matcher(*shuffled).version == matcher(*PREC).version


def test_disabled_rules_are_skipped() -> None:
    m = matcher(rule("off", {"any": ["安装"]}, enabled=False))
    assert m.match("安装") is None
    assert "rule disabled" in m.explain("安装").near_misses[0].reasons


def test_channels_and_scope() -> None:
    m = matcher(
        rule("kefu-only", {"any": ["安装"]}, channels=["kefu"], priority=1),
        rule("scoped", {"any": ["安装"]}, scope={"open_kfid": ["wk1"], "chat_id": []}),
    )
    assert m.match("安装", channel="kefu").rule.id == "kefu-only"
    assert m.match("安装", channel="app", scope={"open_kfid": "wk1"}).rule.id == "scoped"
    assert m.match("安装", channel="app", scope={"open_kfid": "wk2"}) is None
    assert m.match("安装", channel="app") is None
    reasons = m.explain("安装", channel="app", scope={"open_kfid": "wk2"}).near_misses
    assert {r.rule_id: r.reasons for r in reasons} == {
        "kefu-only": ("channel app not allowed",),
        "scoped": ("scope: open_kfid wk2 not in rule scope",),
    }


def test_menu_id() -> None:
    m = matcher(rule("progress", {"menu_id": ["progress"]}), rule("text", {"any": ["进度"]}))
    assert m.match("查询进度", menu_id="progress").rule.id == "progress"
    assert m.match("查询进度").rule.id == "text"
    assert m.match("", menu_id="other") is None


OFFICE = {"days": "mon-fri", "from": "09:00", "to": "18:00", "holidays": "cn"}
NIGHT = {"days": "mon-fri", "from": "22:00", "to": "06:00", "tz": "Asia/Shanghai"}


@pytest.mark.parametrize(
    ("hours", "when", "inside"),
    [
        (OFFICE, dt.datetime(2024, 10, 8, 10, 0, tzinfo=SH), True),  # Tuesday
        (OFFICE, dt.datetime(2024, 10, 8, 18, 0, tzinfo=SH), False),  # end is exclusive
        (OFFICE, dt.datetime(2024, 10, 8, 1, 30), True),  # naive = UTC -> 09:30 Shanghai
        (OFFICE, dt.datetime(2024, 10, 2, 10, 0, tzinfo=SH), False),  # National Day (Wed)
        (OFFICE, dt.datetime(2024, 10, 12, 10, 0, tzinfo=SH), True),  # 调休 Saturday workday
        (OFFICE, dt.datetime(2024, 10, 13, 10, 0, tzinfo=SH), False),  # plain Sunday
        ({**OFFICE, "holidays": None}, dt.datetime(2024, 10, 2, 10, tzinfo=SH), True),
        (NIGHT, dt.datetime(2024, 10, 11, 23, 0, tzinfo=SH), True),  # Friday night
        (NIGHT, dt.datetime(2024, 10, 12, 2, 0, tzinfo=SH), True),  # ...into Saturday
        (NIGHT, dt.datetime(2024, 10, 14, 2, 0, tzinfo=SH), False),  # Sunday's night
        (NIGHT, dt.datetime(2024, 10, 14, 12, 0, tzinfo=SH), False),
        (
            {"days": "sat,sun", "from": "00:00", "to": "24:00"},
            dt.datetime(2024, 10, 13, 23, 59, tzinfo=SH),
            True,
        ),
    ],
)
def test_hours(hours: dict, when: dt.datetime, inside: bool) -> None:
    m = matcher(
        rule("in", {"any": ["安装"]}, hours=hours, applies="inside_hours"),
        rule("out", {"any": ["安装"]}, hours=hours, applies="outside_hours"),
    )
    assert m.match("安装", at=when).rule.id == ("in" if inside else "out")


def test_fuzzy_pinyin_only_as_fallback() -> None:
    m = matcher(
        rule("fz", {"any": ["安装"], "fuzzy": "pinyin"}),
        rule("plain", {"any": ["按"]}),
    )
    hit = m.match("什么时候按装")
    assert hit is not None and hit.rule.id == "plain"
    only = matcher(rule("fz", {"any": ["安装"], "fuzzy": "pinyin"}))
    got = only.match("什么时候按装")
    assert got is not None and got.hits[0].kind == "fuzzy-any"
    assert "什么时候按装"[got.hits[0].start : got.hits[0].end] == "按装"
    assert matcher(rule("nf", {"any": ["安装"]})).match("按装") is None


def test_explain_reports_near_misses() -> None:
    m = matcher(
        rule("all", {"all": ["什么时候", "安装"]}),
        rule("ex", {"any": ["安装"], "exclude": ["取消"]}),
        rule("guard", {"any": ["保安"]}),
        rule("ok", {"contains": ["取消"]}),
    )
    e = m.explain("取消安装，佳保安全")
    assert e.normalized == "取消安装佳保安全"
    assert "安装" in e.tokens
    assert [x.rule.id for x in e.matches] == ["ok"]
    reasons = {n.rule_id: n.reasons for n in e.near_misses}
    assert reasons["all"] == ("all-term 什么时候 missing",)
    assert reasons["ex"] == ("exclude term 取消 present",)
    assert reasons["guard"] == ("any-term 保安 present but not as a word",)


def test_match_exposes_cooldown() -> None:
    m = matcher(rule("c", {"any": ["安装"]}, cooldown_seconds=300))
    assert m.match("安装").rule.cooldown_seconds == 300
