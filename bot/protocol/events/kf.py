"""微信客服: typed items of a ``kf/sync_msg`` ``msg_list`` (messages and events)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from .fields import KF, Event, build, integer, number, register, text, to_str


@dataclass(frozen=True, slots=True, kw_only=True)
class KfMessage(Event):
    """Fields common to every sync_msg item. Event items keep the ids inside ``event``."""

    event_type: ClassVar[str] = "kf"
    msgid: str | None = text("msgid")
    open_kfid: str | None = text("open_kfid", "event.open_kfid")
    external_userid: str | None = text("external_userid", "event.external_userid")
    send_time: int | None = integer("send_time")
    origin: int | None = integer("origin")  # 3 customer, 4 system event, 5 servicer
    servicer_userid: str | None = text("servicer_userid", "event.servicer_userid")
    msgtype: str | None = text("msgtype")

    @property
    def msg_id(self) -> str | None:
        return self.msgid or None

    @property
    def dedupe_namespace(self) -> str:
        return "kf"


@register(KF)
@dataclass(frozen=True, slots=True, kw_only=True)
class KfText(KfMessage):
    event_type: ClassVar[str] = "kf.text"
    content: str | None = text("text.content")
    menu_id: str | None = text("text.menu_id")  # set when the customer clicked a menu item


@register(KF)
@dataclass(frozen=True, slots=True, kw_only=True)
class KfImage(KfMessage):
    event_type: ClassVar[str] = "kf.image"
    media_id: str | None = text("image.media_id")


@register(KF)
@dataclass(frozen=True, slots=True, kw_only=True)
class KfVoice(KfMessage):
    event_type: ClassVar[str] = "kf.voice"
    media_id: str | None = text("voice.media_id")


@register(KF)
@dataclass(frozen=True, slots=True, kw_only=True)
class KfVideo(KfMessage):
    event_type: ClassVar[str] = "kf.video"
    media_id: str | None = text("video.media_id")


@register(KF)
@dataclass(frozen=True, slots=True, kw_only=True)
class KfFile(KfMessage):
    event_type: ClassVar[str] = "kf.file"
    media_id: str | None = text("file.media_id")


@register(KF)
@dataclass(frozen=True, slots=True, kw_only=True)
class KfLocation(KfMessage):
    event_type: ClassVar[str] = "kf.location"
    latitude: float | None = number("location.latitude")
    longitude: float | None = number("location.longitude")
    name: str | None = text("location.name")
    address: str | None = text("location.address")


@register(KF)
@dataclass(frozen=True, slots=True, kw_only=True)
class KfOtherMessage(KfMessage):
    """Any other msgtype (link, miniprogram, business_card, …); read ``raw``."""

    event_type: ClassVar[str] = "kf.other"


# ---- msgtype = event ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class KfEvent(KfMessage):
    event_type: ClassVar[str] = "kf.event"
    event_name: str | None = text("event.event_type")


@register(KF)
@dataclass(frozen=True, slots=True, kw_only=True)
class KfEnterSession(KfEvent):
    """The customer entered the session; ``welcome_code`` is valid 20 s, once."""

    event_type: ClassVar[str] = "kf.event.enter_session"
    scene: str | None = text("event.scene")
    scene_param: str | None = text("event.scene_param")
    welcome_code: str | None = text("event.welcome_code")

    @property
    def time_boxed(self) -> bool:
        return bool(self.welcome_code)


@register(KF)
@dataclass(frozen=True, slots=True, kw_only=True)
class KfMsgSendFail(KfEvent):
    event_type: ClassVar[str] = "kf.event.msg_send_fail"
    fail_msgid: str | None = text("event.fail_msgid")
    fail_type: int | None = integer("event.fail_type")  # 6 = over the 5-message limit


@register(KF)
@dataclass(frozen=True, slots=True, kw_only=True)
class KfServicerStatusChange(KfEvent):
    event_type: ClassVar[str] = "kf.event.servicer_status_change"
    status: int | None = integer("event.status")  # 1 receiving, 2 stopped


@register(KF)
@dataclass(frozen=True, slots=True, kw_only=True)
class KfSessionStatusChange(KfEvent):
    event_type: ClassVar[str] = "kf.event.session_status_change"
    change_type: int | None = integer("event.change_type")  # 1 from queue, 2 transfer, 3 end, 4
    old_servicer_userid: str | None = text("event.old_servicer_userid")
    new_servicer_userid: str | None = text("event.new_servicer_userid")
    msg_code: str | None = text("event.msg_code")  # for send_msg_on_event

    @property
    def time_boxed(self) -> bool:
        # The end code is good for 20 s (protocol-2.md §6.3): its job goes first.
        return self.change_type == 3 and bool(self.msg_code)


@register(KF)
@dataclass(frozen=True, slots=True, kw_only=True)
class KfOtherEvent(KfEvent):
    """Any other event_type (user_recall_msg, …); read ``raw``."""

    event_type: ClassVar[str] = "kf.event.other"


def parse_kf_message(item: Mapping[str, Any]) -> KfMessage:
    """Type one ``msg_list`` item of a ``kf/sync_msg`` response. Never raises on content."""
    if not isinstance(item, Mapping):
        raise TypeError("a kf message item must be a mapping")
    msgtype = (to_str(item.get("msgtype")) or "").lower()
    cls: type[KfMessage]
    if msgtype == "event":
        event = item.get("event")
        name = to_str(event.get("event_type")) if isinstance(event, Mapping) else None
        found = KF.get(f"kf.event.{(name or '').lower()}")
        cls = found if found is not None and issubclass(found, KfEvent) else KfOtherEvent
    else:
        found = KF.get(f"kf.{msgtype}")
        if found is None or not issubclass(found, KfMessage) or issubclass(found, KfEvent):
            cls = KfOtherMessage
        else:
            cls = found
    return build(cls, item)
