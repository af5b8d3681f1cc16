"""App callbacks (XML or JSON, the same names): app messages and events, 客户联系 / 客户群 / 标签
changes, the kf notification."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .fields import (
    APP_EVENTS,
    APP_MESSAGES,
    Event,
    SelectedItem,
    integer,
    number,
    register,
    selected_items,
    spec,
    strings,
    text,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class CallbackEvent(Event):
    """Fields common to every decrypted app callback (XML or JSON)."""

    event_type: ClassVar[str] = "callback"
    to_user_name: str | None = text("ToUserName")
    from_user_name: str | None = text("FromUserName")
    create_time: int | None = integer("CreateTime")
    msg_type: str | None = text("MsgType")


# ---- messages sent by a member to a self-built app (MsgType != event) ------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AppMessage(CallbackEvent):
    event_type: ClassVar[str] = "app.message"
    agent_id: int | None = integer("AgentID")
    message_id: str | None = text("MsgId")

    @property
    def msg_id(self) -> str | None:
        return self.message_id or None


@register(APP_MESSAGES)
@dataclass(frozen=True, slots=True, kw_only=True)
class TextMessage(AppMessage):
    event_type: ClassVar[str] = "text"
    content: str | None = text("Content")


@register(APP_MESSAGES)
@dataclass(frozen=True, slots=True, kw_only=True)
class ImageMessage(AppMessage):
    event_type: ClassVar[str] = "image"
    pic_url: str | None = text("PicUrl")
    media_id: str | None = text("MediaId")


@register(APP_MESSAGES)
@dataclass(frozen=True, slots=True, kw_only=True)
class VoiceMessage(AppMessage):
    event_type: ClassVar[str] = "voice"
    media_id: str | None = text("MediaId")
    format: str | None = text("Format")


@register(APP_MESSAGES)
@dataclass(frozen=True, slots=True, kw_only=True)
class VideoMessage(AppMessage):
    event_type: ClassVar[str] = "video"
    media_id: str | None = text("MediaId")
    thumb_media_id: str | None = text("ThumbMediaId")


@register(APP_MESSAGES)
@dataclass(frozen=True, slots=True, kw_only=True)
class LocationMessage(AppMessage):
    event_type: ClassVar[str] = "location"
    location_x: float | None = number("Location_X")  # latitude
    location_y: float | None = number("Location_Y")  # longitude
    scale: int | None = integer("Scale")
    label: str | None = text("Label")


@register(APP_MESSAGES)
@dataclass(frozen=True, slots=True, kw_only=True)
class LinkMessage(AppMessage):
    event_type: ClassVar[str] = "link"
    title: str | None = text("Title")
    description: str | None = text("Description")
    url: str | None = text("Url")
    pic_url: str | None = text("PicUrl")


# ---- app events (MsgType = event) -----------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AppEvent(CallbackEvent):
    event_type: ClassVar[str] = "app.event"
    event: str | None = text("Event")
    agent_id: int | None = integer("AgentID")
    event_key: str | None = text("EventKey")


@register(APP_EVENTS)
@dataclass(frozen=True, slots=True, kw_only=True)
class EnterAgentEvent(AppEvent):
    event_type: ClassVar[str] = "enter_agent"


@register(APP_EVENTS)
@dataclass(frozen=True, slots=True, kw_only=True)
class MenuClickEvent(AppEvent):
    event_type: ClassVar[str] = "click"


@register(APP_EVENTS)
@dataclass(frozen=True, slots=True, kw_only=True)
class MenuViewEvent(AppEvent):
    """``event_key`` is the URL of the menu entry."""

    event_type: ClassVar[str] = "view"


@register(APP_EVENTS)
@dataclass(frozen=True, slots=True, kw_only=True)
class TemplateCardEvent(AppEvent):
    """A button/selection on an interactive template card sent by the app."""

    event_type: ClassVar[str] = "template_card_event"
    task_id: str | None = text("TaskId")
    card_type: str | None = text("CardType")
    response_code: str | None = text("ResponseCode")  # for update_template_card, once, 72 h
    selected_items: tuple[SelectedItem, ...] = spec(
        selected_items("SelectedItem", "QuestionKey", "OptionIds", "OptionId"),
        "SelectedItems",
        default=(),
    )


# ---- 客户联系: change_external_contact (one class per ChangeType) -----------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ExternalContactChange(CallbackEvent):
    """Base of all ``change_external_contact`` events; subclass per ChangeType."""

    event_type: ClassVar[str] = "change_external_contact"
    event: str | None = text("Event")
    change_type: str | None = text("ChangeType")
    user_id: str | None = text("UserID")
    external_user_id: str | None = text("ExternalUserID")
    state: str | None = text("State")
    welcome_code: str | None = text("WelcomeCode")
    source: str | None = text("Source")  # del_external_contact: DELETE_BY_TRANSFER
    fail_reason: str | None = text("FailReason")  # transfer_fail

    @property
    def time_boxed(self) -> bool:
        return bool(self.welcome_code)


@register(APP_EVENTS)
@dataclass(frozen=True, slots=True, kw_only=True)
class AddExternalContactEvent(ExternalContactChange):
    """A member added a customer (``State``, maybe ``WelcomeCode``)."""

    event_type: ClassVar[str] = "change_external_contact.add_external_contact"


@register(APP_EVENTS)
@dataclass(frozen=True, slots=True, kw_only=True)
class AddHalfExternalContactEvent(ExternalContactChange):
    """The customer added the member without verification."""

    event_type: ClassVar[str] = "change_external_contact.add_half_external_contact"


@register(APP_EVENTS)
@dataclass(frozen=True, slots=True, kw_only=True)
class EditExternalContactEvent(ExternalContactChange):
    """A member edited the customer (remark etc.)."""

    event_type: ClassVar[str] = "change_external_contact.edit_external_contact"


@register(APP_EVENTS)
@dataclass(frozen=True, slots=True, kw_only=True)
class DelExternalContactEvent(ExternalContactChange):
    """A member deleted the customer (``Source``)."""

    event_type: ClassVar[str] = "change_external_contact.del_external_contact"


@register(APP_EVENTS)
@dataclass(frozen=True, slots=True, kw_only=True)
class DelFollowUserEvent(ExternalContactChange):
    """The customer deleted the member."""

    event_type: ClassVar[str] = "change_external_contact.del_follow_user"


@register(APP_EVENTS)
@dataclass(frozen=True, slots=True, kw_only=True)
class TransferFailEvent(ExternalContactChange):
    """Customer transfer failed (``FailReason``)."""

    event_type: ClassVar[str] = "change_external_contact.transfer_fail"


@register(APP_EVENTS)
@dataclass(frozen=True, slots=True, kw_only=True)
class MsgAuditApprovedEvent(ExternalContactChange):
    """The customer agreed to chat archiving (``WelcomeCode``)."""

    event_type: ClassVar[str] = "change_external_contact.msg_audit_approved"


# ---- 客户群: change_external_chat -------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ExternalChatChange(CallbackEvent):
    """Base of all ``change_external_chat`` events. Carries no message content."""

    event_type: ClassVar[str] = "change_external_chat"
    event: str | None = text("Event")
    chat_id: str | None = text("ChatId")
    change_type: str | None = text("ChangeType")
    update_detail: str | None = text("UpdateDetail")
    join_scene: int | None = integer("JoinScene")  # opaque int (docs: 0 invite, 3 QR)
    quit_scene: int | None = integer("QuitScene")
    mem_change_cnt: int | None = integer("MemChangeCnt")
    mem_change_list: tuple[str, ...] = strings("MemChangeList", "Item")
    last_mem_ver: str | None = text("LastMemVer")
    cur_mem_ver: str | None = text("CurMemVer")


@register(APP_EVENTS)
@dataclass(frozen=True, slots=True, kw_only=True)
class ExternalChatCreateEvent(ExternalChatChange):
    event_type: ClassVar[str] = "change_external_chat.create"


@register(APP_EVENTS)
@dataclass(frozen=True, slots=True, kw_only=True)
class ExternalChatUpdateEvent(ExternalChatChange):
    event_type: ClassVar[str] = "change_external_chat.update"


@register(APP_EVENTS)
@dataclass(frozen=True, slots=True, kw_only=True)
class ExternalChatDismissEvent(ExternalChatChange):
    event_type: ClassVar[str] = "change_external_chat.dismiss"


@register(APP_EVENTS)
@dataclass(frozen=True, slots=True, kw_only=True)
class ExternalTagChangeEvent(CallbackEvent):
    """``change_external_tag`` (create / update / delete / shuffle) as one class."""

    event_type: ClassVar[str] = "change_external_tag"
    event: str | None = text("Event")
    change_type: str | None = text("ChangeType")
    tag_id: str | None = text("Id")
    tag_type: str | None = text("TagType")  # tag | tag_group
    strategy_id: int | None = integer("StrategyId")


# ---- 微信客服 ---------------------------------------------------------------------------------


@register(APP_EVENTS)
@dataclass(frozen=True, slots=True, kw_only=True)
class KfMsgOrEvent(CallbackEvent):
    """New kf data: pull it with ``kf/sync_msg`` using ``token`` (valid 10 min)."""

    event_type: ClassVar[str] = "kf_msg_or_event"
    event: str | None = text("Event")
    token: str | None = text("Token")
    open_kf_id: str | None = text("OpenKfId")


# ChangeType decides the class for these Event values (event_type "<Event>.<ChangeType>").
SPLIT_BY_CHANGE_TYPE = frozenset({"change_external_contact", "change_external_chat"})
