"""External contact and customer-group endpoints (protocol.md §4)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from bot.protocol.api_results import (
    ExternalContactResult,
    FollowUserListResult,
    GroupChatListResult,
    GroupChatResult,
    GroupMsgListResult,
    GroupMsgSendResult,
    GroupMsgTaskResult,
    JoinWayAddResult,
    JoinWayResult,
    MsgTemplateResult,
    Result,
    TemplateAddResult,
    TemplateResult,
    drop_none,
)
from bot.wecom.endpoints import Endpoints

_EC = "externalcontact/"


class ContactAPI(Endpoints):
    async def _ec(self, api: str, body: Mapping[str, Any]) -> dict[str, Any]:
        return await self._call("POST", _EC + api, json=dict(body))

    async def get_follow_user_list(self) -> FollowUserListResult:
        """GET cgi-bin/externalcontact/get_follow_user_list (docs 92571): the members with the
        客户联系 function in the app's visible range. 48002 when the app is not listed
        under 客户联系 → 可调用接口的应用."""
        res = await self._call("GET", "externalcontact/get_follow_user_list")
        return cast(FollowUserListResult, res)

    async def externalcontact_get(
        self, external_userid: str, cursor: str | None = None
    ) -> ExternalContactResult:
        """GET cgi-bin/externalcontact/get?external_userid= (docs 92114)."""
        params = drop_none({"external_userid": external_userid, "cursor": cursor})
        res = await self._call("GET", _EC + "get", params=params)
        return cast(ExternalContactResult, res)

    async def send_welcome_msg(
        self,
        welcome_code: str,
        *,
        text: str | None = None,
        attachments: Sequence[Mapping[str, Any]] = (),
    ) -> Result:
        """POST cgi-bin/externalcontact/send_welcome_msg (docs 92137): within 20 s of the
        event, once (41051 after)."""
        body: dict[str, Any] = {"welcome_code": welcome_code}
        if text is not None:
            body["text"] = {"content": text}
        if attachments:
            body["attachments"] = [dict(a) for a in attachments]
        return cast(Result, await self._ec("send_welcome_msg", body))

    async def groupchat_list(
        self,
        *,
        status_filter: int = 0,
        owner_userids: Sequence[str] | None = None,
        cursor: str | None = None,
        limit: int = 100,
    ) -> GroupChatListResult:
        """POST cgi-bin/externalcontact/groupchat/list (docs 92120)."""
        body = drop_none(
            {
                "status_filter": status_filter,
                "owner_filter": {"userid_list": list(owner_userids)} if owner_userids else None,
                "cursor": cursor,
                "limit": limit,
            }
        )
        return cast(GroupChatListResult, await self._ec("groupchat/list", body))

    async def groupchat_get(self, chat_id: str, *, need_name: bool = True) -> GroupChatResult:
        """POST cgi-bin/externalcontact/groupchat/get (docs 92122)."""
        body = {"chat_id": chat_id, "need_name": int(need_name)}
        return cast(GroupChatResult, await self._ec("groupchat/get", body))

    async def add_msg_template(
        self,
        *,
        sender: str | None = None,
        chat_type: str = "single",
        chat_id_list: Sequence[str] | None = None,
        external_userid: Sequence[str] | None = None,
        text: str | None = None,
        attachments: Sequence[Mapping[str, Any]] = (),
        allow_select: bool | None = None,
    ) -> MsgTemplateResult:
        """POST cgi-bin/externalcontact/add_msg_template (docs 92135): creates a 群发 task
        the sender must confirm in the client; 1 per customer/group per day."""
        body = drop_none(
            {
                "chat_type": chat_type,
                "sender": sender,
                "chat_id_list": list(chat_id_list) if chat_id_list is not None else None,
                "external_userid": list(external_userid) if external_userid is not None else None,
                "allow_select": allow_select,
                "text": {"content": text} if text is not None else None,
                "attachments": [dict(a) for a in attachments] or None,
            }
        )
        return cast(MsgTemplateResult, await self._ec("add_msg_template", body))

    async def get_groupmsg_list_v2(
        self,
        *,
        chat_type: str,
        start_time: int,
        end_time: int,
        creator: str | None = None,
        filter_type: int | None = None,
        limit: int = 100,
        cursor: str | None = None,
    ) -> GroupMsgListResult:
        """POST cgi-bin/externalcontact/get_groupmsg_list_v2 (docs 93338): the corp's 群发
        records between two times at most a month apart; ``filter_type`` 0 corp, 1 members,
        2 both. Records made through the API carry no creator."""
        body = drop_none({"chat_type": chat_type, "start_time": start_time,
                          "end_time": end_time, "creator": creator, "filter_type": filter_type,
                          "limit": limit, "cursor": cursor})
        return cast(GroupMsgListResult, await self._ec("get_groupmsg_list_v2", body))

    async def get_groupmsg_task(
        self, msgid: str, *, limit: int = 500, cursor: str | None = None
    ) -> GroupMsgTaskResult:
        """POST cgi-bin/externalcontact/get_groupmsg_task (docs 93338)."""
        body = drop_none({"msgid": msgid, "limit": limit, "cursor": cursor})
        return cast(GroupMsgTaskResult, await self._ec("get_groupmsg_task", body))

    async def get_groupmsg_send_result(
        self, msgid: str, userid: str, *, limit: int = 500, cursor: str | None = None
    ) -> GroupMsgSendResult:
        """POST cgi-bin/externalcontact/get_groupmsg_send_result (docs 93338). Status: 0
        unsent, 1 sent, 2 not a friend, 3 already received a 群发 (the daily quota)."""
        body = drop_none({"msgid": msgid, "userid": userid, "limit": limit, "cursor": cursor})
        return cast(GroupMsgSendResult, await self._ec("get_groupmsg_send_result", body))

    async def remind_groupmsg_send(self, msgid: str) -> Result:
        """POST cgi-bin/externalcontact/remind_groupmsg_send (docs 97610)."""
        return cast(Result, await self._ec("remind_groupmsg_send", {"msgid": msgid}))

    async def add_join_way(
        self,
        *,
        scene: int,
        chat_id_list: Sequence[str],
        remark: str | None = None,
        auto_create_room: int | None = None,
        room_base_name: str | None = None,
        room_base_id: int | None = None,
        state: str | None = None,
    ) -> JoinWayAddResult:
        """POST cgi-bin/externalcontact/groupchat/add_join_way (docs 92229): scene 1
        mini-program, 2 QR; ≤5 groups; ``state`` shows up in groupchat/get members."""
        body = drop_none(
            {
                "scene": scene,
                "remark": remark,
                "auto_create_room": auto_create_room,
                "room_base_name": room_base_name,
                "room_base_id": room_base_id,
                "chat_id_list": list(chat_id_list),
                "state": state,
            }
        )
        return cast(JoinWayAddResult, await self._ec("groupchat/add_join_way", body))

    async def get_join_way(self, config_id: str) -> JoinWayResult:
        """POST cgi-bin/externalcontact/groupchat/get_join_way (docs 92229)."""
        body = {"config_id": config_id}
        return cast(JoinWayResult, await self._ec("groupchat/get_join_way", body))

    async def del_join_way(self, config_id: str) -> Result:
        """POST cgi-bin/externalcontact/groupchat/del_join_way (docs 92229)."""
        return cast(Result, await self._ec("groupchat/del_join_way", {"config_id": config_id}))

    async def group_welcome_template_add(
        self, *, text: str | None = None, notify: int = 1, **attachment: Mapping[str, Any]
    ) -> TemplateAddResult:
        """POST cgi-bin/externalcontact/group_welcome_template/add (docs 92366); one of
        image/link/miniprogram/file/video as a keyword argument."""
        body = _template_body(text, attachment, notify=notify)
        return cast(TemplateAddResult, await self._ec("group_welcome_template/add", body))

    async def group_welcome_template_edit(
        self, template_id: str, *, text: str | None = None, **attachment: Mapping[str, Any]
    ) -> Result:
        """POST cgi-bin/externalcontact/group_welcome_template/edit (docs 92366)."""
        body = {"template_id": template_id, **_template_body(text, attachment)}
        return cast(Result, await self._ec("group_welcome_template/edit", body))

    async def group_welcome_template_get(self, template_id: str) -> TemplateResult:
        """POST cgi-bin/externalcontact/group_welcome_template/get (docs 92366)."""
        body = {"template_id": template_id}
        return cast(TemplateResult, await self._ec("group_welcome_template/get", body))

    async def group_welcome_template_del(self, template_id: str) -> Result:
        """POST cgi-bin/externalcontact/group_welcome_template/del (docs 92366)."""
        body = {"template_id": template_id}
        return cast(Result, await self._ec("group_welcome_template/del", body))


def _template_body(
    text: str | None, attachment: Mapping[str, Mapping[str, Any]], *, notify: int | None = None
) -> dict[str, Any]:
    allowed = {"image", "link", "miniprogram", "file", "video"}
    extra = set(attachment) - allowed
    if extra or len(attachment) > 1:
        raise ValueError("at most one of image/link/miniprogram/file/video")
    body: dict[str, Any] = {k: dict(v) for k, v in attachment.items()}
    if text is not None:
        body["text"] = {"content": text}
    if notify is not None:
        body["notify"] = notify
    return body
