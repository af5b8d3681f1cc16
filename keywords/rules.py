"""Rule file schema: validation (load_rules); keywords.dump is the inverse.

Validation collects every problem of every rule before raising, so the admin
sees all of them at once; a file with one bad rule loads nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, NamedTuple

import yaml

from . import hours as hrs
from .model import (
    ACTIONS,
    APPLIES,
    CHANNELS,
    FUZZY_MODES,
    REPLY_MODES,
    SCOPE_KEYS,
    File,
    Image,
    Link,
    Menu,
    MenuItem,
    Message,
    MiniProgram,
    Replies,
    Rule,
    Scope,
    Text,
    Video,
    When,
)
from .normalize import normalize
from .regexes import compile_pattern

_ID_RE = re.compile(r"^[a-z0-9_-]{1,64}$")
_RULE_KEYS = (
    "id", "name", "enabled", "priority", "channels", "scope", "when", "hours",
    "applies", "cooldown_seconds", "action", "replies", "tag",
)  # fmt: skip
_TERM_KEYS = ("exact", "any", "all", "contains", "exclude")
_WHEN_KEYS = (*_TERM_KEYS[:4], "regex", "menu_id", "exclude", "fuzzy")
_MENU_ITEM_FIELDS = {
    "click": (("id", "content"), ()),
    "view": (("url", "content"), ()),
    "miniprogram": (("appid", "pagepath", "content"), ()),
}
_MESSAGE_FIELDS = {
    "link": (("title", "url"), ("desc", "picurl")),
    "miniprogram": (("appid", "pagepath"), ("thumb_media_id", "title")),
}
_MESSAGE_KINDS = ("text", "image", "file", "video", "link", "miniprogram", "menu")


class Problem(NamedTuple):
    rule_id: str | None  # None when the rule has no usable id
    field: str | None  # dotted path inside the rule, e.g. "when.regex[0]"
    message: str

    def __str__(self) -> str:
        where = f"规则 {self.rule_id!r}" if self.rule_id else "规则文件"
        return (
            f"{where}的字段 {self.field}：{self.message}"
            if self.field
            else (f"{where}：{self.message}")
        )


class RuleError(ValueError):
    """Invalid rules. `.problems` lists all of them; `.rule_id`/`.field` the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        first = self.problems[0]
        self.rule_id, self.field = first.rule_id, first.field
        if len(self.problems) == 1:
            text = str(first)
        else:
            text = f"共 {len(self.problems)} 处问题：\n" + "\n".join(
                f"  - {p}" for p in self.problems
            )
        super().__init__(text)


class _PlainLoader(yaml.SafeLoader):
    """YAML without aliases: a rule file never needs them, and an alias can make a small
    file expand into a huge or self-containing structure ("billion laughs")."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "不允许使用别名（*name）",
                                              event.start_mark)
        return super().compose_node(parent, index)


def load_rules(source: Any) -> tuple[Rule, ...]:
    """Validate rules from YAML/JSON text or already-parsed data."""
    if isinstance(source, bytes):
        source = source.decode("utf-8")
    if isinstance(source, str):
        try:
            source = yaml.load(source, Loader=_PlainLoader)  # noqa: S506 - a SafeLoader
        except yaml.YAMLError as exc:
            raise RuleError([Problem(None, None, f"不是合法的 YAML/JSON：{exc}")]) from None
        except RecursionError:
            raise RuleError([Problem(None, None, "不是合法的 YAML/JSON：嵌套过深")]) from None
    if source is None:
        return ()
    if isinstance(source, dict):
        unknown = sorted(str(k) for k in source if k != "rules")
        if unknown:
            raise RuleError([Problem(None, None, f"不认识的顶层字段 {unknown}（只允许 rules）")])
        source = source.get("rules") or []
    if not isinstance(source, list | tuple):
        kind = type(source).__name__
        raise RuleError([Problem(None, None, f"应为规则列表，实际是{_kind(kind)}")])
    problems: list[Problem] = []
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, raw in enumerate(source):
        parser = _RuleParser(index, problems)
        rule = parser.parse(raw)
        if parser.rule_id is not None:
            if parser.rule_id in seen:
                problems.append(Problem(parser.rule_id, "id", f"编号重复（rules[{index}]）"))
            seen.add(parser.rule_id)
        if rule is not None:
            rules.append(rule)
    if problems:
        raise RuleError(problems)
    return tuple(rules)


_TYPE_ZH = {"int": "整数", "bool": "是/否（true/false）", "str": "文本", "list": "列表",
            "dict": "对象", "float": "数字", "NoneType": "空值", "tuple": "列表"}


def _kind(name: str) -> str:
    """A Python type name as rule authors read it."""
    return _TYPE_ZH.get(name, name)


class _RuleParser:
    def __init__(self, index: int, problems: list[Problem]) -> None:
        self.index = index
        self.problems = problems
        self.rule_id: str | None = None
        self.ok = True

    def err(self, field: str | None, message: str) -> None:
        self.ok = False
        label = self.rule_id if self.rule_id is not None else None
        if label is None and field is not None:
            field = f"rules[{self.index}].{field}"
        self.problems.append(Problem(label, field or f"rules[{self.index}]", message))

    def parse(self, raw: Any) -> Rule | None:
        if not isinstance(raw, dict):
            self.err(None, f"每条规则应为对象，实际是{_kind(type(raw).__name__)}")
            return None
        rid = raw.get("id")
        if isinstance(rid, str) and _ID_RE.match(rid):
            self.rule_id = rid
        elif rid is None:
            self.err("id", "必填")
        else:
            self.err("id", f"{rid!r} 不合格式：编号必须匹配 [a-z0-9_-]{{1,64}}"
                           "（小写字母、数字、- 和 _）")
        for key in raw:
            if key not in _RULE_KEYS:
                self.err(str(key), f"不认识的字段（可用：{'、'.join(_RULE_KEYS)}）")
        name = self.typed(raw.get("name", ""), str, "name")
        enabled = self.typed(raw.get("enabled", True), bool, "enabled")
        priority = self.integer(raw.get("priority", 0), "priority")
        cooldown = self.integer(raw.get("cooldown_seconds", 0), "cooldown_seconds")
        if isinstance(cooldown, int) and cooldown < 0:
            self.err("cooldown_seconds", "不能小于 0")
        channels = self.channels(raw.get("channels"))
        scope = self.scope(raw.get("scope"))
        when = self.when(raw.get("when"))
        hours = self.hours(raw.get("hours"))
        applies = self.choice(raw.get("applies", "always"), APPLIES, "applies")
        if applies not in (None, "always") and hours is None and "hours" not in raw:
            self.err("applies", f"{applies} 需要填写营业时间（hours）")
        action = self.choice(raw.get("action", "reply"), ACTIONS, "action")
        replies = self.replies(raw.get("replies"), action)
        tags = self.strings(raw.get("tag", []), "tag")
        for i, t in enumerate(tags):
            if len(t) > 64:
                self.err(f"tag[{i}]", "标签最多 64 个字符")
        if action == "tag" and not tags:
            self.err("tag", "打标签的规则需要写明要打的标签：tag: [标签名, ...]")
        if not self.ok:
            return None
        assert self.rule_id is not None and when is not None and replies is not None
        return Rule(
            id=self.rule_id, name=name, enabled=enabled, priority=priority,
            channels=channels, scope=scope, when=when, hours=hours, applies=applies,
            cooldown_seconds=cooldown, action=action, replies=replies, tag=tags,
        )  # fmt: skip

    # -- small typed readers; each reports and returns a harmless default --

    def typed(self, value: Any, kind: type, field: str) -> Any:
        if isinstance(value, kind) and not (kind is not bool and isinstance(value, bool)):
            return value
        self.err(field, f"应为{_kind(kind.__name__)}，实际是{_kind(type(value).__name__)}")
        return kind()

    def integer(self, value: Any, field: str) -> int:
        return int(self.typed(value, int, field))

    def choice(self, value: Any, allowed: tuple[str, ...], field: str) -> Any:
        if value in allowed:
            return value
        self.err(field, f"{value!r} 不是可选值，只能是 {'、'.join(allowed)}")
        return None

    def string(self, value: Any, field: str) -> str:
        if isinstance(value, str) and value.strip():
            return value
        self.err(field, "必填：应为非空文本")
        return ""

    def strings(self, value: Any, field: str, *, allow_empty: bool = True) -> tuple[str, ...]:
        if not isinstance(value, list | tuple):
            self.err(field, f"应为文本列表，实际是{_kind(type(value).__name__)}")
            return ()
        if not value and not allow_empty:
            self.err(field, "不能为空：至少填一项，或去掉这个字段")
        return tuple(self.string(v, f"{field}[{i}]") for i, v in enumerate(value))

    def mapping(self, value: Any, field: str, allowed: Iterable[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.err(field, f"应为对象，实际是{_kind(type(value).__name__)}")
            return {}
        allowed = tuple(allowed)
        for key in value:
            if key not in allowed:
                self.err(f"{field}.{key}", f"不认识的字段（可用：{'、'.join(allowed)}）")
        return value

    # -- sections --

    def channels(self, value: Any) -> tuple[str, ...]:
        if value is None:
            return CHANNELS
        got = self.strings(value, "channels", allow_empty=False)
        for i, ch in enumerate(got):
            if ch and ch not in CHANNELS:
                self.err(f"channels[{i}]", f"不认识的渠道 {ch!r}（可用：{'、'.join(CHANNELS)}）")
        return tuple(ch for ch in CHANNELS if ch in got)

    def scope(self, value: Any) -> Scope:
        if value is None:
            return Scope()
        raw = self.mapping(value, "scope", SCOPE_KEYS)
        lists = {k: self.strings(raw[k] or [], f"scope.{k}") for k in SCOPE_KEYS if k in raw}
        return Scope(**lists)

    def when(self, value: Any) -> When | None:
        if value is None:
            self.err("when", "必填")
            return None
        raw = self.mapping(value, "when", _WHEN_KEYS)
        terms: dict[str, Any] = {}
        for key in (*_TERM_KEYS, "regex", "menu_id"):
            if key in raw:
                terms[key] = self.strings(raw[key], f"when.{key}", allow_empty=False)
        for key in _TERM_KEYS:
            for i, term in enumerate(terms.get(key, ())):
                if term and not normalize(term):
                    self.err(f"when.{key}[{i}]", f"词 {term!r} 归一化后为空（只有标点或空白）")
        for i, pattern in enumerate(terms.get("regex", ())):
            try:
                compile_pattern(pattern)
            except ValueError as exc:
                self.err(f"when.regex[{i}]", f"正则表达式无效：{exc}")
        fuzzy = raw.get("fuzzy")
        if fuzzy is not None:
            self.choice(fuzzy, FUZZY_MODES, "when.fuzzy")
            if not (terms.get("any") or terms.get("all")):
                self.err("when.fuzzy", "模糊匹配需要词语条件（any 或 all）")
        if isinstance(value, dict) and not any(
            k in raw for k in ("exact", "any", "all", "contains", "regex", "menu_id")
        ):
            self.err("when", "至少需要一种条件：exact、any、all、contains、regex、menu_id")
        return When(**terms, fuzzy=fuzzy)

    def hours(self, value: Any) -> hrs.Hours | None:
        if value is None:
            return None
        raw = self.mapping(value, "hours", ("days", "from", "to", "tz", "holidays"))
        out: dict[str, Any] = {}
        for key, name, kwargs in (("from", "start", False), ("to", "end", True)):
            if key not in raw:
                self.err(f"hours.{key}", "必填")
                continue
            try:
                out[name] = hrs.parse_time(raw[key], allow_24=kwargs)
            except ValueError as exc:
                self.err(f"hours.{key}", f"时间无效：{exc}")
        if "days" in raw:
            try:
                out["days"] = hrs.parse_days(self.string(raw["days"], "hours.days"))
            except ValueError as exc:
                self.err("hours.days", f"星期无效：{exc}")
        if "tz" in raw:
            try:
                out["tz"] = hrs.check_tz(raw["tz"])
            except ValueError as exc:
                self.err("hours.tz", f"时区无效：{exc}")
        if raw.get("holidays") not in (None, "none"):
            out["holidays"] = self.choice(raw["holidays"], hrs.HOLIDAY_CALENDARS, "hours.holidays")
        return hrs.Hours(**out)

    def replies(self, value: Any, action: str | None) -> Replies | None:
        raw = self.mapping(value if value is not None else {}, "replies", ("mode", "messages"))
        mode = self.choice(raw.get("mode", "all"), REPLY_MODES, "replies.mode")
        items = raw.get("messages", [])
        if not isinstance(items, list):
            self.err("replies.messages", f"应为列表，实际是{_kind(type(items).__name__)}")
            items = []
        if action == "reply" and not items:
            self.err("replies.messages", "回复动作至少需要一条消息")
        msgs = [self.message(m, f"replies.messages[{i}]") for i, m in enumerate(items)]
        return Replies(mode=mode, messages=tuple(m for m in msgs if m is not None))

    def one_key(self, value: Any, field: str, allowed: Iterable[str]) -> tuple[str, Any] | None:
        allowed = tuple(allowed)
        if not isinstance(value, dict) or len(value) != 1:
            self.err(field, f"应为对象，且只含 {'、'.join(allowed)} 之一")
            return None
        ((key, body),) = value.items()
        if key not in allowed:
            self.err(field, f"不认识的消息类型 {key!r}（可用：{'、'.join(allowed)}）")
            return None
        return key, body

    def fields(self, value: Any, field: str, spec: tuple[tuple[str, ...], ...]) -> dict:
        required, optional = spec
        raw = self.mapping(value, field, (*required, *optional))
        out = {k: self.string(raw.get(k), f"{field}.{k}") for k in required}
        for k in optional:
            if raw.get(k) is not None:
                out[k] = self.string(raw[k], f"{field}.{k}")
        return out

    def media(self, value: Any, field: str) -> int:
        """A media library id: a positive integer."""
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
        self.err(field, "应为素材库中的素材编号（正整数）")
        return 0

    def message(self, value: Any, field: str) -> Message | None:
        kind = self.one_key(value, field, _MESSAGE_KINDS)
        if kind is None:
            return None
        key, body = kind
        field = f"{field}.{key}"
        if key == "text":
            return Text(self.string(body, field))
        if key in ("file", "video"):
            raw = self.mapping(body, field, ("media",))
            cls = File if key == "file" else Video
            return cls(media=self.media(raw.get("media"), f"{field}.media"))
        if key == "image":
            raw = self.mapping(body, field, ("url", "media_id", "media"))
            given = [k for k in ("url", "media_id", "media") if raw.get(k) is not None]
            if len(given) != 1:
                self.err(field, "需要且只能填 url、media_id 或 media 之一")
                return None
            if given[0] == "media":
                return Image(media=self.media(raw["media"], f"{field}.media"))
            if given[0] == "url":
                return Image(url=self.string(raw["url"], f"{field}.url"))
            return Image(media_id=self.string(raw["media_id"], f"{field}.media_id"))
        if key in _MESSAGE_FIELDS:
            spec = _MESSAGE_FIELDS[key]
            raw = self.mapping(body, field, (*spec[0], *spec[1], "pic_media"))
            pic = raw.get("pic_media")
            plain = {k: v for k, v in raw.items() if k != "pic_media"}
            fields = self.fields(plain, field, spec)
            if pic is not None:
                fields["pic_media"] = self.media(pic, f"{field}.pic_media")
            if key == "link":
                if pic is not None and "picurl" in fields:
                    self.err(field, "give picurl or pic_media, not both")
                return Link(**fields)
            if (pic is None) == ("thumb_media_id" not in fields):
                self.err(field, "needs exactly one of thumb_media_id, pic_media")
                return None
            return MiniProgram(**fields)
        raw = self.mapping(body, field, ("head", "items", "tail"))
        items = raw.get("items")
        if not isinstance(items, list) or not items:
            self.err(f"{field}.items", "菜单至少需要一个选项（items）")
            items = []
        parsed: list[MenuItem] = []
        for i, item in enumerate(items):
            got = self.one_key(item, f"{field}.items[{i}]", _MENU_ITEM_FIELDS)
            if got is not None:
                sub = f"{field}.items[{i}].{got[0]}"
                parsed.append(
                    MenuItem(got[0], **self.fields(got[1], sub, _MENU_ITEM_FIELDS[got[0]]))
                )
        extra = {k: self.string(raw[k], f"{field}.{k}") for k in ("head", "tail") if k in raw}
        return Menu(items=tuple(parsed), **extra)
