"""Immutable rule objects (the validated form of the rule file)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .hours import Hours

CHANNELS = ("kefu", "app", "aibot", "archive")
SCOPE_KEYS = ("open_kfid", "chat_id", "userid")
# Conditions that can make a rule hit; a rule needs at least one of them.
POSITIVE_CONDITIONS = ("exact", "all", "any", "contains", "regex", "menu_id")
APPLIES = ("always", "inside_hours", "outside_hours")
ACTIONS = ("reply", "escalate", "offer_group")
REPLY_MODES = ("all", "random")
FUZZY_MODES = ("pinyin",)

Terms = tuple[str, ...]


@dataclass(frozen=True)
class When:
    exact: Terms = ()
    any: Terms = ()
    all: Terms = ()
    contains: Terms = ()
    regex: Terms = ()
    exclude: Terms = ()
    menu_id: Terms = ()
    fuzzy: str | None = None


@dataclass(frozen=True)
class Scope:
    open_kfid: Terms = ()
    chat_id: Terms = ()
    userid: Terms = ()

    def allows(self, scope: Mapping[str, object] | None) -> bool:
        """Every non-empty list must contain the caller's value for its key."""
        for key in SCOPE_KEYS:
            wanted = getattr(self, key)
            if wanted and (scope is None or scope.get(key) not in wanted):
                return False
        return True

    def __bool__(self) -> bool:
        return bool(self.open_kfid or self.chat_id or self.userid)


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Image:
    url: str | None = None
    media_id: str | None = None


@dataclass(frozen=True)
class Link:
    title: str
    url: str
    desc: str | None = None
    picurl: str | None = None


@dataclass(frozen=True)
class MiniProgram:
    appid: str
    pagepath: str
    thumb_media_id: str
    title: str | None = None


@dataclass(frozen=True)
class MenuItem:
    """One kefu msgmenu entry: type is click, view or miniprogram."""

    type: str
    content: str
    id: str | None = None  # click
    url: str | None = None  # view
    appid: str | None = None  # miniprogram
    pagepath: str | None = None  # miniprogram


@dataclass(frozen=True)
class Menu:
    items: tuple[MenuItem, ...]
    head: str | None = None
    tail: str | None = None


Message = Text | Image | Link | MiniProgram | Menu
MESSAGE_TYPES: dict[str, type] = {
    "text": Text,
    "image": Image,
    "link": Link,
    "miniprogram": MiniProgram,
    "menu": Menu,
}


@dataclass(frozen=True)
class Replies:
    mode: str = "all"
    messages: tuple[Message, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    when: When
    name: str = ""
    enabled: bool = True
    priority: int = 0
    channels: Terms = CHANNELS
    scope: Scope = field(default_factory=Scope)
    hours: Hours | None = None
    applies: str = "always"
    cooldown_seconds: int = 0
    action: str = "reply"
    replies: Replies = field(default_factory=Replies)
