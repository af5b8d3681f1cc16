"""客户管理 endpoints: 「联系我」 channel codes, corp tags, customer lists and remarks
(protocol-2.md §1–§3)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from bot.protocol.api_results import (
    BatchByUserResult,
    ContactWayAddResult,
    ContactWayListResult,
    ContactWayResult,
    CorpTagAddResult,
    CorpTagListResult,
    ExternalContactListResult,
    Result,
    drop_none,
)
from bot.wecom.endpoints import Endpoints

_EC = "externalcontact/"


class CustomerAPI(Endpoints):
    async def _post(self, api: str, body: Mapping[str, Any]) -> dict[str, Any]:
        return await self._call("POST", _EC + api, json=dict(body))

    # -- 「联系我」 (docs 92572) ------------------------------------------------------------------

    async def add_contact_way(
        self, *, type: int, scene: int, user: Sequence[str] = (), party: Sequence[int] = (),
        style: int | None = None, remark: str | None = None, skip_verify: bool | None = None,
        state: str | None = None,
    ) -> ContactWayAddResult:
        """POST externalcontact/add_contact_way: type 1 single (exactly one user), 2 multi
        (≤100 members after departments are expanded); scene 1 mini-program, 2 QR (only then
        a ``qr_code``); remark and state ≤30 characters. Keep ``config_id``: without it the
        way can be neither edited nor deleted."""
        body = drop_none({"type": type, "scene": scene, "style": style, "remark": remark,
                          "skip_verify": skip_verify, "state": state,
                          "user": list(user) or None, "party": list(party) or None})
        return cast(ContactWayAddResult, await self._post("add_contact_way", body))

    async def get_contact_way(self, config_id: str) -> ContactWayResult:
        """POST externalcontact/get_contact_way."""
        res = await self._post("get_contact_way", {"config_id": config_id})
        return cast(ContactWayResult, res)

    async def list_contact_way(self, *, start_time: int | None = None,
                               end_time: int | None = None, cursor: str | None = None,
                               limit: int = 100) -> ContactWayListResult:
        """POST externalcontact/list_contact_way: config_ids made in the window (default the
        last 90 days), ≤1000 a page."""
        body = drop_none({"start_time": start_time, "end_time": end_time, "cursor": cursor,
                          "limit": limit})
        return cast(ContactWayListResult, await self._post("list_contact_way", body))

    async def update_contact_way(
        self, config_id: str, *, remark: str | None = None, skip_verify: bool | None = None,
        style: int | None = None, state: str | None = None, user: Sequence[str] | None = None,
        party: Sequence[int] | None = None,
    ) -> Result:
        """POST externalcontact/update_contact_way: what is given overwrites (the user list
        too); type, scene and is_temp cannot change."""
        body = drop_none({"config_id": config_id, "remark": remark, "skip_verify": skip_verify,
                          "style": style, "state": state,
                          "user": list(user) if user is not None else None,
                          "party": list(party) if party is not None else None})
        return cast(Result, await self._post("update_contact_way", body))

    async def del_contact_way(self, config_id: str) -> Result:
        """POST externalcontact/del_contact_way."""
        return cast(Result, await self._post("del_contact_way", {"config_id": config_id}))

    # -- corp tags (docs 92117, 92118) --------------------------------------------------------

    async def get_corp_tag_list(self, *, tag_id: Sequence[str] = (),
                                group_id: Sequence[str] = ()) -> CorpTagListResult:
        """POST externalcontact/get_corp_tag_list: every group and tag when both are empty;
        with group_id, tag_id is ignored."""
        body = drop_none({"tag_id": list(tag_id) or None, "group_id": list(group_id) or None})
        return cast(CorpTagListResult, await self._post("get_corp_tag_list", body))

    async def add_corp_tag(self, *, tags: Sequence[Mapping[str, Any]],
                           group_id: str | None = None, group_name: str | None = None,
                           order: int | None = None) -> CorpTagAddResult:
        """POST externalcontact/add_corp_tag: tags ``[{name ≤30, order}]`` into the group
        ``group_id``, or a new group named ``group_name`` (≤30); ≤3000 tags per corp."""
        body = drop_none({"group_id": group_id, "group_name": group_name, "order": order,
                          "tag": [dict(t) for t in tags]})
        return cast(CorpTagAddResult, await self._post("add_corp_tag", body))

    async def edit_corp_tag(self, id: str, *, name: str | None = None,
                            order: int | None = None) -> Result:
        """POST externalcontact/edit_corp_tag: ``id`` is a tag's or a group's."""
        body = drop_none({"id": id, "name": name, "order": order})
        return cast(Result, await self._post("edit_corp_tag", body))

    async def del_corp_tag(self, *, tag_id: Sequence[str] = (),
                           group_id: Sequence[str] = ()) -> Result:
        """POST externalcontact/del_corp_tag."""
        body = drop_none({"tag_id": list(tag_id) or None, "group_id": list(group_id) or None})
        return cast(Result, await self._post("del_corp_tag", body))

    async def mark_tag(self, userid: str, external_userid: str, *,
                       add_tag: Sequence[str] = (), remove_tag: Sequence[str] = ()) -> Result:
        """POST externalcontact/mark_tag: the customer's tags as this member's contact
        (84061 when the member has no such contact); not both lists empty."""
        body = drop_none({"userid": userid, "external_userid": external_userid,
                          "add_tag": list(add_tag) or None,
                          "remove_tag": list(remove_tag) or None})
        return cast(Result, await self._post("mark_tag", body))

    # -- customers (docs 92113, 92994, 92115) -------------------------------------------------

    async def externalcontact_list(self, userid: str) -> ExternalContactListResult:
        """GET externalcontact/list?userid=: one member's customers."""
        res = await self._call("GET", _EC + "list", params={"userid": userid})
        return cast(ExternalContactListResult, res)

    async def batch_get_by_user(self, userid_list: Sequence[str], *,
                                cursor: str | None = None, limit: int = 100
                                ) -> BatchByUserResult:
        """POST externalcontact/batch/get_by_user: the customers of ≤100 members with each
        follow's remark, time, state and tag ids, ≤100 a page (more is clamped)."""
        body = drop_none({"userid_list": list(userid_list), "cursor": cursor or None,
                          "limit": limit})
        return cast(BatchByUserResult, await self._post("batch/get_by_user", body))

    async def remark(self, userid: str, external_userid: str, *, remark: str | None = None,
                     description: str | None = None) -> Result:
        """POST externalcontact/remark: the member's remark (≤20 characters) and description
        (≤150) of the customer; no callback follows (an API change)."""
        body = drop_none({"userid": userid, "external_userid": external_userid,
                          "remark": remark, "description": description})
        return cast(Result, await self._post("remark", body))
