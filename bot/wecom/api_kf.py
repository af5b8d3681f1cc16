"""微信客服 endpoints (protocol.md §3)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from bot.protocol.api_results import (
    KfAccountListResult,
    KfCustomerBatchResult,
    KfSendResult,
    KfServicerListResult,
    KfServiceStateResult,
    KfSyncMsgResult,
    KfTransResult,
    Result,
    drop_none,
)
from bot.wecom.endpoints import Endpoints


class KfAPI(Endpoints):
    async def kf_account_list(self, offset: int = 0, limit: int = 100) -> KfAccountListResult:
        """POST cgi-bin/kf/account/list (docs 94661)."""
        res = await self._call("POST", "kf/account/list", json={"offset": offset, "limit": limit})
        return cast(KfAccountListResult, res)

    async def kf_servicer_list(self, open_kfid: str) -> KfServicerListResult:
        """GET cgi-bin/kf/servicer/list?open_kfid= (docs 94645)."""
        res = await self._call("GET", "kf/servicer/list", params={"open_kfid": open_kfid})
        return cast(KfServicerListResult, res)

    async def kf_sync_msg(
        self,
        *,
        open_kfid: str,
        cursor: str | None = None,
        token: str | None = None,
        limit: int = 1000,
        voice_format: int | None = None,
    ) -> KfSyncMsgResult:
        """POST cgi-bin/kf/sync_msg (docs 94670). Pass the callback's Token; loop while
        ``has_more`` (a page may be empty with has_more 1) and persist ``next_cursor``."""
        body = drop_none(
            {
                "cursor": cursor,
                "token": token,
                "limit": limit,
                "voice_format": voice_format,
                "open_kfid": open_kfid,
            }
        )
        return cast(KfSyncMsgResult, await self._call("POST", "kf/sync_msg", json=body))

    async def kf_send_msg(
        self,
        touser: str,
        open_kfid: str,
        msgtype: str,
        payload: Mapping[str, Any],
        *,
        msgid: str | None = None,
    ) -> KfSendResult:
        """POST cgi-bin/kf/send_msg (docs 94677). Only in session states 0/1 (95018 else);
        success does not mean delivery: watch ``msg_send_fail`` in sync_msg."""
        body = drop_none(
            {
                "touser": touser,
                "open_kfid": open_kfid,
                "msgid": msgid,
                "msgtype": msgtype,
                msgtype: dict(payload),
            }
        )
        return cast(KfSendResult, await self._call("POST", "kf/send_msg", json=body))

    async def kf_send_text(
        self, touser: str, open_kfid: str, content: str, *, msgid: str | None = None
    ) -> KfSendResult:
        """A text kf message (docs 94677)."""
        return await self.kf_send_msg(touser, open_kfid, "text", {"content": content}, msgid=msgid)

    async def kf_send_msg_on_event(
        self,
        code: str,
        msgtype: str,
        payload: Mapping[str, Any],
        *,
        msgid: str | None = None,
    ) -> KfSendResult:
        """POST cgi-bin/kf/send_msg_on_event (docs 95122): welcome (20 s) and state
        messages; each code once."""
        body = drop_none({"code": code, "msgid": msgid, "msgtype": msgtype, msgtype: dict(payload)})
        return cast(KfSendResult, await self._call("POST", "kf/send_msg_on_event", json=body))

    async def kf_service_state_get(
        self, open_kfid: str, external_userid: str
    ) -> KfServiceStateResult:
        """POST cgi-bin/kf/service_state/get (docs 94669)."""
        body = {"open_kfid": open_kfid, "external_userid": external_userid}
        res = await self._call("POST", "kf/service_state/get", json=body)
        return cast(KfServiceStateResult, res)

    async def kf_service_state_trans(
        self,
        open_kfid: str,
        external_userid: str,
        service_state: int,
        servicer_userid: str | None = None,
    ) -> KfTransResult:
        """POST cgi-bin/kf/service_state/trans (docs 94669). Target 3 needs an active
        servicer who is 接待中 (95014 else)."""
        body = drop_none(
            {
                "open_kfid": open_kfid,
                "external_userid": external_userid,
                "service_state": service_state,
                "servicer_userid": servicer_userid,
            }
        )
        return cast(KfTransResult, await self._call("POST", "kf/service_state/trans", json=body))

    async def kf_customer_batchget(
        self, external_userids: Sequence[str], *, need_enter_session_context: int = 0
    ) -> KfCustomerBatchResult:
        """POST cgi-bin/kf/customer/batchget (docs 95159), 1–100 ids."""
        body = {
            "external_userid_list": list(external_userids),
            "need_enter_session_context": need_enter_session_context,
        }
        res = await self._call("POST", "kf/customer/batchget", json=body)
        return cast(KfCustomerBatchResult, res)

    async def kf_upgrade_service(
        self,
        open_kfid: str,
        external_userid: str,
        *,
        member_userid: str | None = None,
        chat_id: str | None = None,
        wording: str | None = None,
    ) -> Result:
        """POST cgi-bin/kf/customer/upgrade_service (docs 94674): recommend a member
        (type 1) or a customer group (type 2); 95021 when not configured in the console."""
        if (member_userid is None) == (chat_id is None):
            raise ValueError("give exactly one of member_userid and chat_id")
        body: dict[str, Any] = {"open_kfid": open_kfid, "external_userid": external_userid}
        if member_userid is not None:
            body["type"] = 1
            body["member"] = drop_none({"userid": member_userid, "wording": wording})
        else:
            body["type"] = 2
            body["groupchat"] = drop_none({"chat_id": chat_id, "wording": wording})
        return cast(Result, await self._call("POST", "kf/customer/upgrade_service", json=body))
