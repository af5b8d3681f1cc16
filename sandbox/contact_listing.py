"""Reading customers in bulk in the sandbox (protocol-2.md §3.2–3.3): externalcontact/list
(one member's customers) and batch/get_by_user (the customers of ≤100 members with each
follow, ≤100 a page, more clamped), and a world of many contacts for syncs and benches."""

from __future__ import annotations

import base64
import json
from typing import Any

from bot.protocol import errors as E
from sandbox.corp import Corp
from sandbox.model import Customer, SandboxError, Staff

MAX_USERS = 100
MAX_LIMIT = 100
DEFAULT_LIMIT = 50


class ContactListing:
    def __init__(self, corp: Corp, describe_tags: Any) -> None:
        self.corp = corp
        self.describe_tags = describe_tags

    def api_list(self, app: str, query: dict[str, Any]) -> dict[str, Any]:
        userid = query.get("userid")
        self.corp.require_staff(userid)
        if not self.corp.visible(app, str(userid)):
            raise SandboxError(E.NO_CONTACT_PRIVILEGE, "no privilege to access/modify "
                               "contact/party/agent")
        return {"external_userid": [c.external_userid for c in self.corp.customers.values()
                                    if userid in c.follow]}

    def api_batch_get_by_user(self, app: str, body: dict[str, Any]) -> dict[str, Any]:
        users = body.get("userid_list")
        if not isinstance(users, list) or not users:
            raise SandboxError(E.INVALID_PARAM, "userid_list required")
        if len(users) > MAX_USERS:
            raise SandboxError(E.INVALID_PARAM, "userid_list exceed max size 100")
        for u in users:
            self.corp.require_staff(u)
            if not self.corp.visible(app, u):
                raise SandboxError(E.NO_CONTACT_PRIVILEGE, "no privilege to access/modify "
                                   "contact/party/agent")
        limit = body.get("limit", DEFAULT_LIMIT)
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            raise SandboxError(E.INVALID_PARAM, "invalid limit")
        limit = min(limit, MAX_LIMIT)  # "values above max are clamped to max"
        start = self._decode(body.get("cursor") or "", users)
        pairs = [(u, c) for u in users for c in self.corp.customers.values() if u in c.follow]
        page = pairs[start:start + limit]
        end = start + len(page)
        return {"external_contact_list": [self._item(u, c) for u, c in page],
                "next_cursor": self._encode(end, users) if end < len(pairs) else ""}

    def _item(self, userid: str, c: Customer) -> dict[str, Any]:
        f = c.follow[userid]
        tags = self.describe_tags(f)
        return {
            "external_contact": {"external_userid": c.external_userid, "name": c.name,
                                 "type": 1, "avatar": c.avatar, "gender": c.gender,
                                 **({"unionid": c.unionid} if c.unionid else {})},
            "follow_info": {"userid": userid, "remark": f.get("remark", ""),
                            "description": f.get("description", ""),
                            "createtime": f["createtime"],
                            "tag_id": [t["tag_id"] for t in tags],
                            "state": f.get("state", ""), "oper_userid": userid,
                            "add_way": 1,
                            "remark_mobiles": list(f.get("remark_mobiles") or [])},
        }

    @staticmethod
    def _encode(offset: int, users: list[str]) -> str:
        raw = json.dumps({"o": offset, "u": len(users)}).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @staticmethod
    def _decode(cursor: Any, users: list[str]) -> int:
        if cursor == "":
            return 0
        try:
            data = json.loads(base64.urlsafe_b64decode(str(cursor) + "=" * (-len(cursor) % 4)))
            if data["u"] != len(users):
                raise ValueError("another query's cursor")
            return int(data["o"])
        except (ValueError, KeyError, TypeError):
            raise SandboxError(E.INVALID_PARAM, "invalid cursor") from None

    def populate(self, *, staff: int, customers: int, follows_per_customer: int = 1
                 ) -> dict[str, Any]:
        """A corp with ``staff`` more members and ``customers`` more customers, each the
        contact of ``follows_per_customer`` of them (in turn), made directly: no callbacks,
        as if they had been there before the service."""
        start = len(self.corp.staff)
        users = [f"sync{start + i:04d}" for i in range(staff)]
        for u in users:
            self.corp.staff[u] = Staff(u, f"成员{u[-4:]}")
        before = int(self.corp.now()) - 30 * 24 * 3600  # added before the service was there
        first = len(self.corp.customers)
        for i in range(customers):
            euid = f"wmSync{first + i:026d}"
            c = Customer(euid, f"客户{first + i}")
            for k in range(follows_per_customer):
                c.follow[users[(i + k) % len(users)]] = {"createtime": before - i, "state": "",
                                                         "remark": ""}
            self.corp.customers[euid] = c
        return {"staff": users, "customers": customers}
