"""Customer groups in the sandbox: groups, members, join ways.

Rules: join ways hold ≤5 groups and auto-create a group (``room_base_name`` +
``room_base_id``…, owned by the first group's owner) when all are full; groups hold at most
``limits.group_member_cap`` members; groupchat/list limit 1..1000 with cursors.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

import segno

from bot.protocol import errors as E
from sandbox.corp import Corp
from sandbox.model import Group, GroupMember, JoinWay, SandboxError


def member_version(g: Group) -> str:
    """The opaque member_version / MemVer WeCom gives a group's member list."""
    return hashlib.md5(f"{g.chat_id}:{g.version}".encode(), usedforsecurity=False).hexdigest()


def index_cursor(cursor: Any) -> int:
    """The position a "gc<n>" next_cursor of a paged list stands for."""
    if not cursor:
        return 0
    if isinstance(cursor, str) and cursor.startswith("gc") and cursor[2:].isdigit():
        return int(cursor[2:])
    raise SandboxError(E.INVALID_PARAM, "invalid cursor")


class CustomerGroups:
    def __init__(self, corp: Corp) -> None:
        self.corp = corp
        self.groups: dict[str, Group] = {}
        self.join_ways: dict[str, JoinWay] = {}

    def group(self, chat_id: Any) -> Group:
        g = self.groups.get(chat_id) if isinstance(chat_id, str) else None
        if g is None:
            raise SandboxError(E.INVALID_CHAT_ID, "invalid chat_id")
        return g

    def chat_event(self, chat_id: str, change: str, **extra: Any) -> None:
        fields: dict[str, Any] = {
            "Event": "change_external_chat",
            "ChatId": chat_id,
            "ChangeType": change,
            **extra,
        }
        self.corp.emit_app(self.corp.app_for_callbacks(), self.corp.event_fields(fields),
                           f"external_chat_{change}")

    # -- actions --------------------------------------------------------------------------------

    async def staff_creates_group(
        self, owner: str, name: str, members: list[str] | tuple[str, ...] = ()
    ) -> dict[str, Any]:
        """A staff member creates a customer group in the client → change_external_chat create."""
        self.corp.require_staff(owner)
        g = self.new_group(owner, name)
        for uid in members:
            self.add_member(g, uid, join_scene=1, invitor=owner)
        self.chat_event(g.chat_id, "create")
        return {"chat_id": g.chat_id}

    def new_group(self, owner: str, name: str) -> Group:
        g = Group(self.corp.new_id("wr", 30), name, owner, self.corp.now())
        self.groups[g.chat_id] = g
        self.add_member(g, owner, join_scene=1, invitor="")
        return g

    def add_member(
        self, g: Group, uid: str, *, join_scene: int, invitor: str, state: str = ""
    ) -> None:
        kind = 1 if uid in self.corp.staff else 2
        if kind == 2:
            self.corp.ensure_customer(uid)
        g.members[uid] = GroupMember(uid, kind, self.corp.now(), join_scene, invitor, state)
        g.version += 1

    async def customer_joins_group(
        self,
        external_userid: str,
        *,
        chat_id: str | None = None,
        config_id: str | None = None,
        join_scene: int = 3,
        invitor: str = "",
    ) -> dict[str, Any]:
        """A customer joins a group: directly (``chat_id``; join_scene 1 invite, 2 link, 3 QR)
        or through a join way (``config_id``; its ``state`` is recorded) → update add_member."""
        state = ""
        if config_id is not None:
            way = self._join_way(config_id)
            state, join_scene = way.state, 3 if way.scene == 2 else join_scene
            g = self._pick_room(way)
        else:
            g = self.group(chat_id)
            if len(g.members) >= self.corp.limits.group_member_cap:
                raise SandboxError(E.INVALID_PARAM, "group is full")
        last = member_version(g)
        self.add_member(g, external_userid, join_scene=join_scene, invitor=invitor, state=state)
        self.chat_event(
            g.chat_id,
            "update",
            UpdateDetail="add_member",
            JoinScene=3 if join_scene == 3 else 0,
            MemChangeCnt=1,
            MemChangeList={"Item": external_userid},
            LastMemVer=last,
            CurMemVer=member_version(g),
        )
        return {"chat_id": g.chat_id, "state": state}

    def _pick_room(self, way: JoinWay) -> Group:
        cap = self.corp.limits.group_member_cap
        for cid in way.chat_id_list:
            g = self.groups.get(cid)
            if g is not None and len(g.members) < cap:
                return g
        if not way.auto_create_room or not way.chat_id_list:
            raise SandboxError(E.INVALID_PARAM, "all groups of the join way are full")
        owner = self.group(way.chat_id_list[0]).owner
        g = self.new_group(owner, f"{way.room_base_name}{way.room_base_id}")
        way.room_base_id += 1
        way.chat_id_list.append(g.chat_id)
        self.chat_event(g.chat_id, "create")
        return g

    async def customer_leaves_group(
        self, chat_id: str, external_userid: str, *, quit_scene: int = 0
    ) -> dict[str, Any]:
        """A customer leaves (0) or is removed (1) → update del_member."""
        g = self.group(chat_id)
        if external_userid not in g.members:
            raise SandboxError(E.INVALID_PARAM, "not a member")
        last = member_version(g)
        del g.members[external_userid]
        g.version += 1
        self.chat_event(
            chat_id,
            "update",
            UpdateDetail="del_member",
            QuitScene=quit_scene,
            MemChangeCnt=1,
            MemChangeList={"Item": external_userid},
            LastMemVer=last,
            CurMemVer=member_version(g),
        )
        return {"chat_id": chat_id}

    def _join_way(self, config_id: Any) -> JoinWay:
        w = self.join_ways.get(config_id) if isinstance(config_id, str) else None
        if w is None:
            raise SandboxError(E.INVALID_PARAM, "invalid config_id")
        return w

    # -- API: groups -------------------------------------------------------------------------------

    def api_groupchat_list(self, body: dict[str, Any]) -> dict[str, Any]:
        limit = body.get("limit", 100)
        if not isinstance(limit, int) or not 1 <= limit <= 1000:
            raise SandboxError(E.INVALID_PARAM, "limit must be 1..1000")
        status = body.get("status_filter", 0)
        owners = set((body.get("owner_filter") or {}).get("userid_list") or [])
        chats = [
            g
            for g in self.groups.values()
            if (not owners or g.owner in owners) and (status == 0 or g.status == status)
        ]
        start = index_cursor(body.get("cursor"))
        page = chats[start : start + limit]
        more = start + limit < len(chats)
        return {
            "group_chat_list": [{"chat_id": g.chat_id, "status": g.status} for g in page],
            "next_cursor": f"gc{start + limit}" if more else "",
        }

    def api_groupchat_get(self, body: dict[str, Any]) -> dict[str, Any]:
        g = self.group(body.get("chat_id"))
        need_name = bool(body.get("need_name"))
        members = []
        for m in g.members.values():
            item: dict[str, Any] = {
                "userid": m.userid,
                "type": m.type,
                "join_time": int(m.join_time),
                "join_scene": m.join_scene,
                "group_nickname": "",
            }
            if m.invitor:
                item["invitor"] = {"userid": m.invitor}
            if m.state:
                item["state"] = m.state
            if need_name:
                person: Any = self.corp.staff.get(m.userid) or self.corp.customers.get(m.userid)
                item["name"] = person.name if person else ""
            members.append(item)
        return {
            "group_chat": {
                "chat_id": g.chat_id,
                "name": g.name,
                "owner": g.owner,
                "create_time": int(g.create_time),
                "notice": g.notice,
                "member_list": members,
                "admin_list": [{"userid": a} for a in g.admins],
                "member_version": member_version(g),
            }
        }

    def api_add_join_way(self, body: dict[str, Any]) -> dict[str, Any]:
        scene, chats = body.get("scene"), body.get("chat_id_list") or []
        if scene not in (1, 2):
            raise SandboxError(E.INVALID_PARAM, "scene must be 1 or 2")
        if not isinstance(chats, list) or not 1 <= len(chats) <= 5:
            raise SandboxError(E.INVALID_PARAM, "chat_id_list must have 1..5 groups")
        for cid in chats:
            self.group(cid)
        state, remark = str(body.get("state", "")), str(body.get("remark", ""))
        if len(state) > 30 or len(remark) > 30 or len(str(body.get("room_base_name", ""))) > 40:
            raise SandboxError(E.INVALID_PARAM, "state/remark/room_base_name too long")
        way = JoinWay(
            self.corp.new_id("", 32),
            scene,
            list(chats),
            remark,
            int(body.get("auto_create_room", 1)),
            str(body.get("room_base_name", "")),
            int(body.get("room_base_id", 0)),
            state,
        )
        # WeCom answers a picture's address on its CDN; the sandbox serves the picture itself.
        base = self.corp.public_base_url or "https://sandbox.invalid"
        way.qr_code = f"{base}/sandbox/joinway/{way.config_id}.png" if scene == 2 else ""
        self.join_ways[way.config_id] = way
        return {"config_id": way.config_id}

    def api_get_join_way(self, body: dict[str, Any]) -> dict[str, Any]:
        w = self._join_way(body.get("config_id"))
        return {
            "join_way": {
                "config_id": w.config_id,
                "scene": w.scene,
                "remark": w.remark,
                "auto_create_room": w.auto_create_room,
                "room_base_name": w.room_base_name,
                "room_base_id": w.room_base_id,
                "chat_id_list": list(w.chat_id_list),
                "qr_code": w.qr_code,
                "state": w.state,
            }
        }

    def join_qr_png(self, config_id: str) -> bytes | None:
        """The picture behind a 群活码's ``qr_code``: a real QR code (segno) of the join
        address, as WeCom's encodes its own; None for a way that is gone or has no QR."""
        way = self.join_ways.get(config_id)
        if way is None or not way.qr_code:
            return None
        out = io.BytesIO()
        segno.make_qr(f"https://work.weixin.qq.com/gm/{config_id}").save(out, kind="png",
                                                                          scale=8, border=2)
        return out.getvalue()

    def api_del_join_way(self, body: dict[str, Any]) -> dict[str, Any]:
        del self.join_ways[self._join_way(body.get("config_id")).config_id]
        return {}
