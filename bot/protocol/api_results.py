"""Typed results of the WeCom endpoints (TypedDicts over WeCom's own JSON, light on purpose).

Every result also carries ``errcode`` (0) and ``errmsg``. Only the fields this service
reads are listed; the rest of WeCom's answer is still there at run time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypedDict


class Result(TypedDict, total=False):
    errcode: int
    errmsg: str


class MessageSendResult(Result, total=False):
    invaliduser: str
    invalidparty: str
    invalidtag: str
    unlicenseduser: str
    msgid: str
    response_code: str


class MediaUploadResult(Result, total=False):
    type: str
    media_id: str
    created_at: str


class ExternalContactResult(Result, total=False):
    external_contact: dict[str, Any]
    follow_user: list[dict[str, Any]]
    next_cursor: str


class UserResult(Result, total=False):
    userid: str
    name: str
    department: list[int]
    status: int  # 1 activated, 2 disabled, 4 not activated, 5 left the company
    direct_leader: list[str]  # 直属上级, those in the app's visible range (at most one)


class UserSimpleListResult(Result, total=False):
    userlist: list[dict[str, Any]]  # [{"userid", "name", "department": [...]}]


class GroupChatListResult(Result, total=False):
    group_chat_list: list[dict[str, Any]]
    next_cursor: str


class GroupChatResult(Result, total=False):
    group_chat: dict[str, Any]


class MsgTemplateResult(Result, total=False):
    fail_list: list[str]
    msgid: str


class GroupMsgListResult(Result, total=False):
    group_msg_list: list[dict[str, Any]]
    next_cursor: str


class GroupMsgTaskResult(Result, total=False):
    task_list: list[dict[str, Any]]
    next_cursor: str


class GroupMsgSendResult(Result, total=False):
    send_list: list[dict[str, Any]]
    next_cursor: str


class JoinWayAddResult(Result, total=False):
    config_id: str


class JoinWayResult(Result, total=False):
    join_way: dict[str, Any]


class TemplateAddResult(Result, total=False):
    template_id: str


class TemplateResult(Result, total=False):
    text: dict[str, Any]
    image: dict[str, Any]
    link: dict[str, Any]
    miniprogram: dict[str, Any]
    file: dict[str, Any]
    video: dict[str, Any]


class AuthUserResult(Result, total=False):
    userid: str  # a member of the corp
    user_ticket: str  # snsapi_privateinfo only
    openid: str  # not a member
    external_userid: str  # not a member, but a customer of the corp


class AgentResult(Result, total=False):
    agentid: int
    name: str
    allow_userinfos: dict[str, list[dict[str, Any]]]  # {"user": [{"userid": ...}]}
    allow_partys: dict[str, list[int]]  # {"partyid": [...]}
    allow_tags: dict[str, list[int]]  # {"tagid": [...]}
    close: int


class FollowUserListResult(Result, total=False):
    follow_user: list[str]


class KfAccountListResult(Result, total=False):
    account_list: list[dict[str, Any]]


class KfServicerListResult(Result, total=False):
    servicer_list: list[dict[str, Any]]


class KfSyncMsgResult(Result, total=False):
    next_cursor: str
    has_more: int
    msg_list: list[dict[str, Any]]


class KfSendResult(Result, total=False):
    msgid: str


class KfServiceStateResult(Result, total=False):
    service_state: int
    servicer_userid: str


class KfTransResult(Result, total=False):
    msg_code: str


class KfCustomerBatchResult(Result, total=False):
    customer_list: list[dict[str, Any]]
    invalid_external_userid: list[str]


class AibotResponseResult(Result, total=False):
    pass


class MediaUploadImgResult(Result, total=False):
    url: str  # permanent (media/uploadimg)


class ContactWayAddResult(Result, total=False):
    config_id: str
    qr_code: str  # only for scene 2 (QR)


class ContactWayResult(Result, total=False):
    contact_way: dict[str, Any]


class ContactWayListResult(Result, total=False):
    contact_way: list[dict[str, Any]]  # [{"config_id": ...}]
    next_cursor: str


class CorpTagListResult(Result, total=False):
    tag_group: list[dict[str, Any]]  # {group_id, group_name, create_time, order, tag[]}


class CorpTagAddResult(Result, total=False):
    tag_group: dict[str, Any]


class ExternalContactListResult(Result, total=False):
    external_userid: list[str]


class BatchByUserResult(Result, total=False):
    external_contact_list: list[dict[str, Any]]  # {external_contact, follow_info}
    next_cursor: str


def drop_none(items: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON body without the optional fields left as None."""
    pairs = items.items() if isinstance(items, Mapping) else items
    return {k: v for k, v in pairs if v is not None}
