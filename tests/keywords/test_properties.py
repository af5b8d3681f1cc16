"""Property tests, regex time limits, and jieba/rjieba equivalence."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import jieba
from hypothesis import given, settings
from hypothesis import strategies as st

from keywords import Matcher, load_rules, normalize
from keywords.normalize import _CLASSIFIED, _MASK, _TABLE, fold_char, gaps, offsets
from keywords.segment import JiebaSegmenter, RJiebaSegmenter, term_freqs

RULES = load_rules(
    [
        {"id": "a", "when": {"any": ["安装", "上门"], "exclude": ["取消"]}, "action": "escalate"},
        {"id": "b", "when": {"all": ["什么时候", "安装"]}, "priority": 1, "action": "escalate"},
        {"id": "c", "when": {"contains": ["装", "ab"]}, "action": "escalate"},
        {"id": "d", "when": {"regex": [r"\d{3,}"]}, "action": "escalate"},
        {"id": "e", "when": {"exact": ["你好"]}, "action": "escalate"},
        {"id": "f", "when": {"any": ["安装"], "fuzzy": "pinyin"}, "action": "escalate"},
        {
            "id": "g",
            "when": {"any": ["微信"]},
            "hours": {"from": "22:00", "to": "06:00", "holidays": "cn"},
            "applies": "inside_hours",
            "action": "escalate",
        },
    ]
)
MATCHER = Matcher(RULES)
ALPHABET = st.sampled_from(
    list("安装上门取消什么时候微信你好按装ab1234 ，。！？ＡＢ１安裝😀\u200d\ufe0fﬁ㈱①\u0301")
)
TEXT = st.one_of(st.text(), st.text(alphabet=ALPHABET))


@settings(max_examples=300, deadline=None)
@given(TEXT, st.sampled_from([None, "kefu", "app"]), st.datetimes(timezones=st.just(dt.UTC)))
def test_match_never_raises_and_agrees_with_match_all(text: str, channel, at) -> None:
    best = MATCHER.match(text, channel=channel, at=at)
    every = MATCHER.match_all(text, channel=channel, at=at)
    assert best == (every[0] if every else None)
    for m in every:
        for hit in m.hits:
            assert 0 <= hit.start <= hit.end <= len(text)
    MATCHER.explain(text, channel=channel, at=at)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_offsets_map_every_normalized_char(text: str) -> None:
    norm, offs = normalize(text), offsets(text)
    assert len(offs) == len(norm)
    assert offs == sorted(offs)
    assert normalize(normalize(text)) == normalize(text) or "\u0301" in text or "ﬁ" in text


def _by_table(text: str) -> tuple[str, list[int], set[int]]:
    """The per-character definition the regex fast path must agree with."""
    norm = text.translate(_TABLE)
    offs = [i for i, ch in enumerate(text) for _ in range(len(_TABLE[ord(ch)]))]
    mask = text.translate(_MASK)
    holes = {p for p in range(1, len(offs)) if offs[p] - offs[p - 1] > 1}
    if mask[:1] == "\x00":
        holes.add(0)
    if mask and mask[-1] == "\x00":
        holes.add(len(norm))
    return norm, offs, holes


CHAT_CHARS = "沙发什么时候到安装ab AB，。！？~ \n😀\u200d\ufe0f裝Ａ①"
CHAT = st.text(alphabet=st.sampled_from(list(CHAT_CHARS)))


@settings(max_examples=500, deadline=None)
@given(st.one_of(TEXT, CHAT))
def test_the_fast_path_agrees_with_the_fold_table(text: str) -> None:
    assert (normalize(text), offsets(text), gaps(text)) == _by_table(text)


def test_every_classified_character_folds_as_the_regexes_say() -> None:
    # Exhaustive over the characters the regexes decide alone: one wrong class would
    # change what a rule matches for everybody who types that character.
    for block in _CLASSIFIED:
        for cp in block:
            ch = chr(cp)
            assert normalize(ch) == fold_char(ch), hex(cp)
            assert normalize("a" + ch + "b") == "a" + fold_char(ch) + "b", hex(cp)


def test_regex_timeout_is_a_no_hit() -> None:
    m = Matcher(
        load_rules([{"id": "slow", "when": {"regex": ["(a|aa)+$"]}, "action": "escalate"}]),
        regex_timeout=0.01,
    )
    text = "a" * 64 + "b"
    assert m.match(text) is None
    assert m.explain(text).near_misses[0].reasons == ("regex (a|aa)+$ timed out",)
    assert m.match("aaaa") is not None


def test_regex_prefilter_uses_normalized_literal() -> None:
    m = Matcher(load_rules([{"id": "o", "when": {"regex": [r"訂單\d+"]}, "action": "escalate"}]))
    assert m.match("订单123") is None  # the pattern text is not normalized, only the gate
    m2 = Matcher(load_rules([{"id": "o", "when": {"regex": [r"ORDER\d+"]}, "action": "escalate"}]))
    assert m2.match("Order: 123") is not None


def test_rjieba_and_jieba_segment_identically_with_rule_terms() -> None:
    words = [
        line.split(" ")[0]
        for line in (Path(jieba.__file__).parent / "dict.txt")
        .read_text(encoding="utf-8")
        .splitlines()
    ]
    # Only basic-plane Han: jieba and jieba-rs disagree on what counts as Han
    # for CJK extension characters (see segment.py).
    words = [w for w in words if all("\u4e00" <= c <= "\u9fd5" for c in w + normalize(w))]
    rnd = random.Random(7)
    terms = rnd.sample(words, 2000)
    # Terms jieba does not know: glued word pieces, Latin and digits, chat slang.
    terms += [rnd.choice(words)[:2] + rnd.choice(words)[-2:] for _ in range(2000)]
    terms += ["微信", "私域", "企业微信", "iphone15", "wifi密码", "拼多多"]
    fast, ref = RJiebaSegmenter(), JiebaSegmenter()
    freqs = term_freqs(fast, [normalize(t) for t in terms])
    assert "微信" in freqs and "私域" in freqs
    fast.add_words(freqs)
    ref.add_words(freqs)
    filler = [*words[:3000], "123", "abc", "iphone", "15"]
    for _ in range(20_000):
        parts = [rnd.choice(terms if rnd.random() < 0.3 else filler) for _ in range(12)]
        text = normalize("".join(parts))
        assert fast.cut(text) == ref.cut(text), text
    assert fast.cut("加微信私域") == ["加", "微信", "私域"]


def test_private_tokenizers_do_not_leak() -> None:
    import rjieba

    Matcher(load_rules([{"id": "x", "when": {"any": ["私域"]}, "action": "escalate"}]))
    assert rjieba.cut("私域", False) == ["私", "域"]
    assert RJiebaSegmenter().cut("私域") == ["私", "域"]
