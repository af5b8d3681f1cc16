"""Immutable rule objects (the validated form of the rule file)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .hours import Hours

CHANNELS = ("kefu", "app", "aibot", "archive")
SCOPE_KEYS = ("open_kfid", "chat_id", "userid", "tag")
# Conditions that can make a rule hit; a rule needs at least one of them.
POSITIVE_CONDITIONS = ("exact", "all", "any", "contains", "regex", "menu_id")
APPLIES = ("always", "inside_hours", "outside_hours")
ACTIONS = ("reply", "escalate", "offer_group", "tag", "order_progress")
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
    tag: Terms = ()  # the customer has one of these tags (the caller passes theirs as a set)

    def allows(self, scope: Mapping[str, object] | None) -> bool:
        """Every non-empty list must contain the caller's value for its key (for ``tag``:
        one of the caller's values)."""
        for key in SCOPE_KEYS:
            wanted = getattr(self, key)
            if not wanted:
                continue
            got = None if scope is None else scope.get(key)
            if key == "tag":
                if not isinstance(got, Iterable) or isinstance(got, str) \
                        or not set(wanted) & set(got):
                    return False
            elif got not in wanted:
                return False
        return True

    def __bool__(self) -> bool:
        return bool(self.open_kfid or self.chat_id or self.userid or self.tag)


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Image:
    url: str | None = None
    media_id: str | None = None
    media: int | None = None  # a media library file (the service keeps its media_id fresh)


@dataclass(frozen=True)
class File:
    media: int  # a media library file


@dataclass(frozen=True)
class Video:
    media: int  # a media library file


@dataclass(frozen=True)
class Link:
    title: str
    url: str
    desc: str | None = None
    picurl: str | None = None
    pic_media: int | None = None  # a media library picture as the card's thumbnail


@dataclass(frozen=True)
class MiniProgram:
    appid: str
    pagepath: str
    thumb_media_id: str | None = None
    title: str | None = None
    pic_media: int | None = None  # a media library picture as the cover


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


Message = Text | Image | File | Video | Link | MiniProgram | Menu
MESSAGE_TYPES: dict[str, type] = {
    "text": Text,
    "image": Image,
    "file": File,
    "video": Video,
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
    tag: Terms = ()  # corp tags given to the customer when the rule hits (with any action)
