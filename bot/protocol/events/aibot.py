"""AI bot (智能机器人) JSON callbacks, API mode: messages, stream refreshes and events."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from .fields import (
    AIBOT,
    Event,
    SelectedItem,
    integer,
    mapping,
    register,
    selected_items,
    seq_of,
    spec,
    text,
    to_int,
    to_str,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class AibotPayload(Event):
    """Fields common to every AI-bot callback. ``msgid`` is unique per callback (dedupe)."""

    event_type: ClassVar[str] = "aibot"
    msgid: str | None = text("msgid")
    aibotid: str | None = text("aibotid")
    chatid: str | None = text("chatid")  # group chats only
    chattype: str | None = text("chattype")  # single | group
    from_userid: str | None = text("from.userid")
    from_corpid: str | None = text("from.corpid")  # not sent for the corp's own members
    create_time: int | None = integer("create_time")
    response_url: str | None = text("response_url")  # one use, valid 1 h
    msgtype: str | None = text("msgtype")

    @property
    def msg_id(self) -> str | None:
        return self.msgid or None

    @property
    def dedupe_namespace(self) -> str:
        return "aibot"


@dataclass(frozen=True, slots=True, kw_only=True)
class AibotMessage(AibotPayload):
    event_type: ClassVar[str] = "aibot.message"
    quote: Mapping[str, Any] | None = mapping("quote")  # the quoted message, as sent


@register(AIBOT)
@dataclass(frozen=True, slots=True, kw_only=True)
class AibotText(AibotMessage):
    event_type: ClassVar[str] = "aibot.text"
    content: str | None = text("text.content")  # includes the "@Bot" mention in groups


@register(AIBOT)
@dataclass(frozen=True, slots=True, kw_only=True)
class AibotImage(AibotMessage):
    event_type: ClassVar[str] = "aibot.image"
    url: str | None = text("image.url")  # encrypted, valid 5 min
    aeskey: str | None = text("image.aeskey")  # long-connection mode only


@dataclass(frozen=True, slots=True, kw_only=True)
class MixedItem:
    msgtype: str | None = None  # text | image
    content: str | None = None
    url: str | None = None
    aeskey: str | None = None


def _mixed_item(item: Any) -> MixedItem | None:
    if not isinstance(item, Mapping):
        return None
    text_part, image = item.get("text"), item.get("image")
    return MixedItem(
        msgtype=to_str(item.get("msgtype")),
        content=to_str(text_part.get("content")) if isinstance(text_part, Mapping) else None,
        url=to_str(image.get("url")) if isinstance(image, Mapping) else None,
        aeskey=to_str(image.get("aeskey")) if isinstance(image, Mapping) else None,
    )


@register(AIBOT)
@dataclass(frozen=True, slots=True, kw_only=True)
class AibotMixed(AibotMessage):
    event_type: ClassVar[str] = "aibot.mixed"
    items: tuple[MixedItem, ...] = spec(seq_of(_mixed_item), "mixed.msg_item", default=())

    @property
    def content(self) -> str:
        """The text parts joined by newlines."""
        return "\n".join(i.content for i in self.items if i.content)


@register(AIBOT)
@dataclass(frozen=True, slots=True, kw_only=True)
class AibotVoice(AibotMessage):
    event_type: ClassVar[str] = "aibot.voice"
    content: str | None = text("voice.content")  # the transcription


@register(AIBOT)
@dataclass(frozen=True, slots=True, kw_only=True)
class AibotFile(AibotMessage):
    event_type: ClassVar[str] = "aibot.file"
    url: str | None = text("file.url")
    aeskey: str | None = text("file.aeskey")


@register(AIBOT)
@dataclass(frozen=True, slots=True, kw_only=True)
class AibotStreamRefresh(AibotPayload):
    """WeCom polling for the current content of a stream reply we started."""

    event_type: ClassVar[str] = "aibot.stream"
    stream_id: str | None = text("stream.id")


# ---- events (msgtype = event) ---------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AibotEvent(AibotPayload):
    event_type: ClassVar[str] = "aibot.event"
    event_name: str | None = text("event.eventtype")


@register(AIBOT)
@dataclass(frozen=True, slots=True, kw_only=True)
class AibotEnterChat(AibotEvent):
    """First entry of the day into the 1:1 chat; a welcome may be the passive reply."""

    event_type: ClassVar[str] = "aibot.event.enter_chat"


# Official payloads nest the details under event.<eventtype>; some SDK types put them directly
# under event. Read the nested form first, then the flat one.
_CARD = "event.template_card_event."


@register(AIBOT)
@dataclass(frozen=True, slots=True, kw_only=True)
class AibotTemplateCardEvent(AibotEvent):
    event_type: ClassVar[str] = "aibot.event.template_card_event"
    event_key: str | None = text(_CARD + "event_key", "event.event_key")
    task_id: str | None = text(_CARD + "task_id", "event.task_id")
    card_type: str | None = text(_CARD + "card_type", "event.card_type")
    selected_items: tuple[SelectedItem, ...] = spec(
        selected_items("selected_item", "question_key", "option_ids", "option_id"),
        _CARD + "selected_items",
        "event.selected_items",
        default=(),
    )


@register(AIBOT)
@dataclass(frozen=True, slots=True, kw_only=True)
class AibotFeedbackEvent(AibotEvent):
    """User feedback on a reply that carried ``feedback.id``."""

    event_type: ClassVar[str] = "aibot.event.feedback_event"
    feedback_id: str | None = text("event.feedback_event.id")
    feedback_type: int | None = integer("event.feedback_event.type")  # 1 good, 2 bad, 3 cancel
    feedback_content: str | None = text("event.feedback_event.content")
    inaccurate_reasons: tuple[int, ...] = spec(
        seq_of(to_int), "event.feedback_event.inaccurate_reason_list", default=()
    )
