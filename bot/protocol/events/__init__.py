"""Typed WeCom events: ``parse(plaintext)`` → a frozen dataclass per payload kind.

Routing: every class has a stable ``event_type`` string; :data:`EVENT_CLASSES` maps those
strings to classes and :data:`EVENT_TYPES` lists them. Base classes (``AppMessage``,
``ExternalContactChange``, ``AibotMessage``, ``KfEvent``, …) are not in the registry but can
be used with ``isinstance`` to handle a whole family.
"""

from __future__ import annotations

from types import MappingProxyType

from .aibot import (
    AibotEnterChat,
    AibotEvent,
    AibotFeedbackEvent,
    AibotFile,
    AibotImage,
    AibotMessage,
    AibotMixed,
    AibotPayload,
    AibotStreamRefresh,
    AibotTemplateCardEvent,
    AibotText,
    AibotVoice,
    MixedItem,
)
from .callback_events import (
    AddExternalContactEvent,
    AddHalfExternalContactEvent,
    AppEvent,
    AppMessage,
    CallbackEvent,
    DelExternalContactEvent,
    DelFollowUserEvent,
    EditExternalContactEvent,
    EnterAgentEvent,
    ExternalChatChange,
    ExternalChatCreateEvent,
    ExternalChatDismissEvent,
    ExternalChatUpdateEvent,
    ExternalContactChange,
    ExternalTagChangeEvent,
    ImageMessage,
    KfMsgOrEvent,
    LinkMessage,
    LocationMessage,
    MenuClickEvent,
    MenuViewEvent,
    MsgAuditApprovedEvent,
    TemplateCardEvent,
    TextMessage,
    TransferFailEvent,
    VideoMessage,
    VoiceMessage,
)
from .fields import EVENT_CLASSES as _EVENT_CLASSES
from .fields import Event, EventParseError, Fmt, SelectedItem, UnknownEvent
from .kf import (
    KfEnterSession,
    KfEvent,
    KfFile,
    KfImage,
    KfLocation,
    KfMessage,
    KfMsgSendFail,
    KfOtherEvent,
    KfOtherMessage,
    KfServicerStatusChange,
    KfSessionStatusChange,
    KfText,
    KfVideo,
    KfVoice,
    parse_kf_message,
)
from .parsing import dedupe_key, parse

EVENT_CLASSES = MappingProxyType(_EVENT_CLASSES)
"""event_type → class, read-only."""

EVENT_TYPES: frozenset[str] = frozenset(_EVENT_CLASSES)
"""Every known event_type string (including ``"unknown"``)."""

__all__ = [
    "EVENT_CLASSES",
    "EVENT_TYPES",
    "AddExternalContactEvent",
    "AddHalfExternalContactEvent",
    "AibotEnterChat",
    "AibotEvent",
    "AibotFeedbackEvent",
    "AibotFile",
    "AibotImage",
    "AibotMessage",
    "AibotMixed",
    "AibotPayload",
    "AibotStreamRefresh",
    "AibotTemplateCardEvent",
    "AibotText",
    "AibotVoice",
    "AppEvent",
    "AppMessage",
    "CallbackEvent",
    "DelExternalContactEvent",
    "DelFollowUserEvent",
    "EditExternalContactEvent",
    "EnterAgentEvent",
    "Event",
    "EventParseError",
    "ExternalChatChange",
    "ExternalChatCreateEvent",
    "ExternalChatDismissEvent",
    "ExternalChatUpdateEvent",
    "ExternalContactChange",
    "ExternalTagChangeEvent",
    "Fmt",
    "ImageMessage",
    "KfEnterSession",
    "KfEvent",
    "KfFile",
    "KfImage",
    "KfLocation",
    "KfMessage",
    "KfMsgOrEvent",
    "KfMsgSendFail",
    "KfOtherEvent",
    "KfOtherMessage",
    "KfServicerStatusChange",
    "KfSessionStatusChange",
    "KfText",
    "KfVideo",
    "KfVoice",
    "LinkMessage",
    "LocationMessage",
    "MenuClickEvent",
    "MenuViewEvent",
    "MixedItem",
    "MsgAuditApprovedEvent",
    "SelectedItem",
    "TemplateCardEvent",
    "TextMessage",
    "TransferFailEvent",
    "UnknownEvent",
    "VideoMessage",
    "VoiceMessage",
    "dedupe_key",
    "parse",
    "parse_kf_message",
]
