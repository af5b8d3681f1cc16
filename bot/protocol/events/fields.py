"""Base classes, field specs, converters and the event_type registry.

Each concrete event class is a frozen dataclass whose fields say where their value lives in the
parsed payload (``text("Content")``, ``integer("event.fail_type")``) and how it is converted;
:func:`build` fills any such class from a parsed mapping. Nothing here raises on missing or
odd-typed values: a missing field is ``None`` (``()`` for sequences).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Literal, TypeVar

Fmt = Literal["xml", "app-json", "aibot"]
"""How a decrypted callback is written and which family it belongs to: a self-built app's
callback as XML (the default) or as JSON (the admin's 接收消息格式 setting; the same element
names as keys), or an AI bot's JSON (its own lower-case schema, receiveid "")."""
Conv = Callable[[Any], Any]
E = TypeVar("E", bound="Event")
_INT = re.compile(r"\s*[+-]?[0-9]{1,40}\s*")


class EventParseError(ValueError):
    """The plaintext is not a parseable payload at all (not XML / not a JSON object)."""


# ---------------------------------------------------------------------------------------------
# converters: tolerant, never raise


def to_str(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def to_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        if _INT.fullmatch(value):
            return int(value)
    return None


def to_float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        result = float(value)
    elif isinstance(value, str) and value.strip().isascii() and len(value) <= 64:
        try:
            result = float(value)
        except ValueError:
            return None
    else:
        return None
    return result if math.isfinite(result) else None


def to_mapping(value: Any) -> Mapping[str, Any] | None:
    return value if isinstance(value, Mapping) else None


def as_list(value: Any, item_key: str | None = None) -> list[Any]:
    """``<L><Item>a</Item></L>`` parses to ``{"Item": "a"}``, two items to a list; JSON gives a
    list directly. Normalise all of these (and absence, ``""``) to a list."""
    if item_key is not None and isinstance(value, Mapping):
        value = value.get(item_key)
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, list) else [value]


def seq_of(conv: Conv, item_key: str | None = None) -> Conv:
    def convert(value: Any) -> tuple[Any, ...]:
        return tuple(v for v in map(conv, as_list(value, item_key)) if v is not None)

    return convert


# ---------------------------------------------------------------------------------------------
# field specs


def spec(conv: Conv, *paths: str, default: Any = None, **kwargs: Any) -> Any:
    """A dataclass field read from the first of ``paths`` present ("a.b" descends into a.b)."""
    split = tuple(tuple(p.split(".")) for p in paths)
    return field(default=default, metadata={"paths": split, "conv": conv}, **kwargs)


def text(*paths: str) -> Any:
    return spec(to_str, *paths)


def integer(*paths: str) -> Any:
    return spec(to_int, *paths)


def number(*paths: str) -> Any:
    return spec(to_float, *paths)


def strings(path: str, item_key: str | None = None) -> Any:
    return spec(seq_of(to_str, item_key), path, default=())


def mapping(*paths: str) -> Any:
    # dicts are unhashable: kept in eq, left out of the hash
    return spec(to_mapping, *paths, hash=False)


def dig(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(data, dict | Mapping):  # dict first: the ABC check is slow
            return None
        data = data.get(key)
    return data


_Plan = tuple[tuple[str, tuple[tuple[str, ...], ...], Conv], ...]
_PLANS: dict[type[Any], _Plan] = {}


def _plan(cls: type[Any]) -> _Plan:
    """Each spec'd field of ``cls``: name, paths, converter (read once per class)."""
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = tuple((f.name, f.metadata["paths"], f.metadata["conv"])
                                   for f in fields(cls) if "paths" in f.metadata)
    return plan


def build(cls: type[E], data: Mapping[str, Any]) -> E:
    """Instantiate ``cls`` from a parsed payload using its fields' specs."""
    kwargs: dict[str, Any] = {}
    for name, paths, conv in _plan(cls):
        value = None
        for path in paths:
            value = data.get(path[0]) if len(path) == 1 else dig(data, path)
            if value is not None:
                break
        kwargs[name] = conv(value)
    return cls(raw=data, **kwargs)


# ---------------------------------------------------------------------------------------------
# base classes


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Base of every parsed payload. ``event_type`` is the routing name of the class."""

    event_type: ClassVar[str] = "event"
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def msg_id(self) -> str | None:
        """The payload's own unique id (app MsgId, aibot/kf msgid); None for id-less events."""
        return None

    @property
    def time_boxed(self) -> bool:
        """True when the payload carries a code valid only ~20 s (a welcome code)."""
        return False

    @property
    def dedupe_namespace(self) -> str:
        return "msg"


@dataclass(frozen=True, slots=True, kw_only=True)
class SelectedItem:
    """One answered question of an interactive template card."""

    question_key: str | None = None
    option_ids: tuple[str, ...] = ()


def selected_items(list_key: str, qkey: str, ids_key: str, id_key: str) -> Conv:
    def convert(value: Any) -> tuple[SelectedItem, ...]:
        return tuple(
            SelectedItem(
                question_key=to_str(item.get(qkey)),
                option_ids=seq_of(to_str, id_key)(item.get(ids_key)),
            )
            for item in as_list(value, list_key)
            if isinstance(item, Mapping)
        )

    return convert


@dataclass(frozen=True, slots=True, kw_only=True)
class UnknownEvent(Event):
    """A well-formed payload of a kind this module does not model. Everything is in ``raw``."""

    event_type: ClassVar[str] = "unknown"
    fmt: Fmt = "xml"
    msg_type: str | None = None
    event_name: str | None = None
    change_type: str | None = None

    @property
    def msg_id(self) -> str | None:
        return to_str(self.raw.get("msgid" if self.fmt == "aibot" else "MsgId")) or None

    @property
    def dedupe_namespace(self) -> str:
        return "aibot" if self.fmt == "aibot" else "msg"


# ---------------------------------------------------------------------------------------------
# registry: event_type → class, per payload family (lookups never cross families)

APP_MESSAGES: dict[str, type[Event]] = {}
APP_EVENTS: dict[str, type[Event]] = {}
AIBOT: dict[str, type[Event]] = {}
KF: dict[str, type[Event]] = {}
EVENT_CLASSES: dict[str, type[Event]] = {UnknownEvent.event_type: UnknownEvent}


def register(table: dict[str, type[Event]]) -> Callable[[type[E]], type[E]]:
    def decorator(cls: type[E]) -> type[E]:
        name = cls.event_type
        if name in EVENT_CLASSES:
            raise RuntimeError(f"duplicate event_type {name!r}")
        table[name] = EVENT_CLASSES[name] = cls
        return cls

    return decorator
