"""「联系我」 in the sandbox (protocol-2.md §1): add, get, list, update and delete a contact
way as WeCom checks them, and a customer scanning one.

Ways made through the API send no callback (§0); a customer scanning a QR adds the contact
and WeCom calls back add_external_contact with the way's ``state`` and a WelcomeCode.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

from bot.protocol import errors as E
from sandbox.corp import Corp
from sandbox.external_contacts import ExternalContacts
from sandbox.model import SandboxError

MAX_USERS = 100  # after departments are expanded (41041)
MAX_TEXT = 30  # remark and state: characters
# A 1×1 PNG: what the sandbox serves for every QR image (WeCom's is a picture on its CDN).
QR_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==")


@dataclass
class Way:
    config_id: str
    type: int
    scene: int
    style: int | None
    remark: str
    skip_verify: bool
    state: str
    user: list[str]
    party: list[int]
    created_at: float
    qr_code: str = ""
    scans: int = field(default=0)


class ContactWays:
    def __init__(self, corp: Corp, contacts: ExternalContacts) -> None:
        self.corp = corp
        self.contacts = contacts
        self.ways: dict[str, Way] = {}
        self.quota = 500_000  # ways a corp may make through the API (41045)

    # -- API ----------------------------------------------------------------------------------

    def api_add_contact_way(self, app: str, body: dict[str, Any]) -> dict[str, Any]:
        if "type" not in body:
            raise SandboxError(E.CONTACT_WAY_MISSING_TYPE, "missing contact way type")
        if "scene" not in body:
            raise SandboxError(E.CONTACT_WAY_MISSING_SCENE, "missing contact way scene")
        kind, scene = body["type"], body["scene"]
        if kind not in (1, 2) or isinstance(kind, bool):
            raise SandboxError(E.CONTACT_WAY_INVALID_TYPE, "invalid contact way type")
        if scene not in (1, 2) or isinstance(scene, bool):
            raise SandboxError(E.CONTACT_WAY_INVALID_SCENE, "invalid contact way scene")
        style = self._style(kind, scene, body.get("style"))
        remark, state = self._text(body, "remark"), self._text(body, "state")
        user, party = self._members(app, kind, body.get("user"), body.get("party"))
        if len(self.ways) >= self.quota:
            raise SandboxError(E.CONTACT_WAY_QUOTA, "contact way count exceed limit")
        skip = body.get("skip_verify", True)
        way = Way(self.corp.new_id("", 32), kind, scene, style, remark, bool(skip), state,
                  user, party, self.corp.now())
        if scene == 2:
            way.qr_code = self._qr_url(way.config_id)
        self.ways[way.config_id] = way
        out: dict[str, Any] = {"config_id": way.config_id}
        if way.qr_code:
            out["qr_code"] = way.qr_code
        return out

    def api_get_contact_way(self, body: dict[str, Any]) -> dict[str, Any]:
        w = self._way(body)
        return {"contact_way": {
            "config_id": w.config_id, "type": w.type, "scene": w.scene,
            **({"style": w.style} if w.style is not None else {}),
            "remark": w.remark, "skip_verify": w.skip_verify, "state": w.state,
            "qr_code": w.qr_code, "user": list(w.user), "party": list(w.party),
            "is_temp": False, "expires_in": 0, "chat_expires_in": 0, "unionid": "",
            "conclusions": {}}}

    def api_list_contact_way(self, body: dict[str, Any]) -> dict[str, Any]:
        now = self.corp.now()
        start = body.get("start_time", now - 90 * 86400)
        end = body.get("end_time", now)
        limit = body.get("limit", 100)
        if not isinstance(limit, int) or not 1 <= limit <= 1000:
            raise SandboxError(E.INVALID_PARAM, "limit must be 1..1000")
        ways = sorted((w for w in self.ways.values() if start <= w.created_at <= end),
                      key=lambda w: (w.created_at, w.config_id))
        cursor = str(body.get("cursor") or "")
        if cursor:
            ids = [w.config_id for w in ways]
            if cursor not in ids:
                raise SandboxError(E.INVALID_PARAM, "invalid cursor")
            ways = ways[ids.index(cursor) + 1:]
        page = ways[:limit]
        more = len(ways) > limit
        return {"contact_way": [{"config_id": w.config_id} for w in page],
                "next_cursor": page[-1].config_id if more else ""}

    def api_update_contact_way(self, app: str, body: dict[str, Any]) -> dict[str, Any]:
        w = self._way(body)
        style = self._style(w.type, w.scene, body["style"]) if "style" in body else w.style
        remark = self._text(body, "remark") if "remark" in body else w.remark
        state = self._text(body, "state") if "state" in body else w.state
        user, party = w.user, w.party
        if "user" in body or "party" in body:
            user, party = self._members(app, w.type, body.get("user", w.user),
                                        body.get("party", w.party))
        # Checked whole before anything changes: a refused update leaves the way as it was.
        w.style, w.remark, w.state, w.user, w.party = style, remark, state, user, party
        if "skip_verify" in body:
            w.skip_verify = bool(body["skip_verify"])
        return {}

    def api_del_contact_way(self, body: dict[str, Any]) -> dict[str, Any]:
        del self.ways[self._way(body).config_id]
        return {}

    # -- a customer uses a way ----------------------------------------------------------------

    async def customer_scans(self, config_id: str, external_userid: str | None = None, *,
                             name: str | None = None, userid: str | None = None
                             ) -> dict[str, Any]:
        """A WeChat user scans the way's QR (or taps its button) and adds one of its members
        (the one named, else the next in turn): the contact is added with the way's
        ``state`` → add_external_contact with State and a WelcomeCode (§1.9)."""
        w = self.ways.get(config_id)
        if w is None:
            raise SandboxError(E.CONTACT_WAY_INVALID_CONFIG_ID, "invalid config_id")
        members = self._expand(w.user, w.party)
        if userid is None:
            userid = members[w.scans % len(members)]
        elif userid not in members:
            raise SandboxError(E.INVALID_PARAM, "that member is not on this contact way")
        w.scans += 1
        res = await self.contacts.staff_adds_customer(userid, external_userid, name=name,
                                                      state=w.state)
        return {**res, "userid": userid, "state": w.state}

    def qr_image(self, config_id: str) -> bytes | None:
        return QR_PNG if any(w.qr_code and w.config_id == config_id
                             for w in self.ways.values()) else None

    # -- checks -------------------------------------------------------------------------------

    def _way(self, body: dict[str, Any]) -> Way:
        cid = body.get("config_id")
        if not cid:
            raise SandboxError(E.CONTACT_WAY_MISSING_CONFIG_ID, "missing config_id")
        w = self.ways.get(cid) if isinstance(cid, str) else None
        if w is None:
            raise SandboxError(E.CONTACT_WAY_INVALID_CONFIG_ID, "invalid config_id")
        return w

    def _style(self, kind: int, scene: int, style: Any) -> int | None:
        if style is None:
            return None
        if scene == 2:
            # Passing a style with a QR way: WeCom staff named this as the cause of 41040.
            raise SandboxError(E.CONTACT_WAY_INVALID_SCENE, "invalid contact way scene")
        if style not in ((1, 2, 3) if kind == 1 else (1, 2)):
            raise SandboxError(E.CONTACT_WAY_INVALID_STYLE, "invalid contact way style")
        return int(style)

    def _text(self, body: dict[str, Any], name: str) -> str:
        value = body.get(name, "")
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            raise SandboxError(E.INVALID_PARAM, f"{name} exceed max length {MAX_TEXT}")
        return value

    def _members(self, app: str, kind: int, user: Any, party: Any
                 ) -> tuple[list[str], list[int]]:
        users = list(user or [])
        parties = list(party or []) if kind == 2 else []  # party: only for type 2
        if not all(isinstance(u, str) for u in users) or not all(
                isinstance(p, int) for p in parties):
            raise SandboxError(E.INVALID_PARAM, "invalid user or party list")
        if kind == 1 and len(users) != 1:
            raise SandboxError(E.INVALID_PARAM, "type 1 needs exactly one user")
        if not users and not parties:
            raise SandboxError(E.INVALID_PARAM, "user or party required")
        for u in users:
            staff = self.corp.require_staff(u)
            if not self.corp.visible(app, u):
                raise SandboxError(E.NO_CONTACT_PRIVILEGE, "no privilege to access/modify "
                                   "contact/party/agent")
            if not staff.active:
                raise SandboxError(E.USER_NOT_ACTIVE, "user not active")
        for p in parties:
            if p != 1:  # the sandbox's corp has one department, the root
                raise SandboxError(E.INVALID_PARAM, "invalid party")
        if len(self._expand(users, parties)) > MAX_USERS:
            raise SandboxError(E.CONTACT_WAY_TOO_MANY_USERS, "contact way user count exceed "
                               "limit")
        return users, parties

    def _expand(self, users: list[str], parties: list[int]) -> list[str]:
        members = list(dict.fromkeys(users))
        if 1 in parties:
            members += [u for u, s in self.corp.staff.items() if s.active and u not in members]
        return members

    def _qr_url(self, config_id: str) -> str:
        base = self.corp.public_base_url or "http://sandbox.invalid"
        return f"{base}/sandbox/qr/{config_id}"
