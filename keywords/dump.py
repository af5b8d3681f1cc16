"""The inverse of load_rules: rules back to the file/API form (YAML or JSON)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import yaml

from . import hours as hrs
from .model import CHANNELS, SCOPE_KEYS, File, Image, Link, Menu, Message, Rule, Text, Video
from .rules import _MENU_ITEM_FIELDS, _MESSAGE_FIELDS, _WHEN_KEYS


def rule_to_dict(rule: Rule) -> dict[str, Any]:
    """The file/API form of a rule, defaults left out (load_rules inverts it)."""
    out: dict[str, Any] = {"id": rule.id}
    if rule.name:
        out["name"] = rule.name
    if not rule.enabled:
        out["enabled"] = False
    if rule.priority:
        out["priority"] = rule.priority
    if rule.channels != CHANNELS:
        out["channels"] = list(rule.channels)
    if rule.scope:
        out["scope"] = {
            k: list(getattr(rule.scope, k)) for k in SCOPE_KEYS if getattr(rule.scope, k)
        }
    when: dict[str, Any] = {k: list(getattr(rule.when, k)) for k in _WHEN_KEYS[:-1]}
    out["when"] = {k: v for k, v in when.items() if v}
    if rule.when.fuzzy:
        out["when"]["fuzzy"] = rule.when.fuzzy
    if rule.hours is not None:
        h = rule.hours
        out["hours"] = {
            "days": hrs.format_days(h.days), "from": hrs.format_time(h.start),
            "to": hrs.format_time(h.end), "tz": h.tz,
        }  # fmt: skip
        if h.holidays:
            out["hours"]["holidays"] = h.holidays
    if rule.applies != "always":
        out["applies"] = rule.applies
    if rule.cooldown_seconds:
        out["cooldown_seconds"] = rule.cooldown_seconds
    out["action"] = rule.action
    if rule.tag:
        out["tag"] = list(rule.tag)
    if rule.replies.messages or rule.replies.mode != "all":
        out["replies"] = {
            "mode": rule.replies.mode,
            "messages": [message_to_dict(m) for m in rule.replies.messages],
        }
    return out


def message_to_dict(msg: Message) -> dict[str, Any]:
    if isinstance(msg, Text):
        return {"text": msg.text}
    if isinstance(msg, Menu):
        body: dict[str, Any] = {}
        if msg.head is not None:
            body["head"] = msg.head
        body["items"] = [
            {item.type: _present(item, _MENU_ITEM_FIELDS[item.type][0])} for item in msg.items
        ]
        if msg.tail is not None:
            body["tail"] = msg.tail
        return {"menu": body}
    if isinstance(msg, Image):
        return {"image": _present(msg, ("url", "media_id", "media"))}
    if isinstance(msg, File | Video):
        return {"file" if isinstance(msg, File) else "video": {"media": msg.media}}
    key = "link" if isinstance(msg, Link) else "miniprogram"
    return {key: _present(msg, (*sum(_MESSAGE_FIELDS[key], ()), "pic_media"))}


def _present(obj: object, names: Iterable[str]) -> dict[str, Any]:
    return {n: getattr(obj, n) for n in names if getattr(obj, n) is not None}


def dump_rules(rules: Iterable[Rule], fmt: str = "yaml") -> str:
    """Serialize rules to the file format ("yaml" or "json")."""
    doc = {"rules": [rule_to_dict(r) for r in rules]}
    if fmt == "json":
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if fmt != "yaml":
        raise ValueError(f"unknown format {fmt!r} (yaml or json)")
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=1000)
