"""Customer groups in the sandbox: groups, join ways, welcome templates, 群发 tasks.

Rules: join ways hold ≤5 groups and auto-create a group (``room_base_name`` +
``room_base_id``…, owned by the first group's owner) when all are full; ≤100 welcome
templates; a 群发 task stays pending until its sender confirms it (``owner_confirms_task``
or ``limits.auto_confirm_after``); each group/customer receives at most one 群发 per
natural day (UTC+8): a second one confirmed the same day gets send status 3 and is not
delivered (the status WeCom's get_groupmsg_send_result documents for this case).
"""

from __future__ import annotations

import hashlib
from typing import Any

from bot.wecom import errors as E
from bot.wecom.sandbox.contact import ContactMixin
from bot.wecom.sandbox.model import Group, GroupMember, GroupTask, JoinWay, SandboxError

MAX_TEMPLATES = 100
_ATTACH_KINDS = ("image", "link", "miniprogram", "file", "video")


class GroupMixin(ContactMixin):
    def _group(self, chat_id: Any) -> Group:
        g = self.groups.get(chat_id) if isinstance(chat_id, str) else None
        if g is None:
            raise SandboxError(E.INVALID_CHAT_ID, "invalid chat_id")
        return g

    @staticmethod
    def _version(g: Group) -> str:
        return hashlib.md5(f"{g.chat_id}:{g.version}".encode(), usedforsecurity=False).hexdigest()

    def _chat_event(self, chat_id: str, change: str, **extra: Any) -> None:
        fields: dict[str, Any] = {
            "Event": "change_external_chat",
            "ChatId": chat_id,
            "ChangeType": change,
            **extra,
        }
        self.emit(
            self.app_for_callbacks(), self._event_xml(fields), "xml", f"external_chat_{change}"
        )

    # -- actions --------------------------------------------------------------------------------

    async def staff_creates_group(
        self, owner: str, name: str, members: list[str] | tuple[str, ...] = ()
    ) -> dict[str, Any]:
        """A staff member creates a customer group in the client → change_external_chat create."""
        self._staff(owner)
        g = self._new_group(owner, name)
        for uid in members:
            self._add_member(g, uid, join_scene=1, invitor=owner)
        self._chat_event(g.chat_id, "create")
        return {"chat_id": g.chat_id}

    def _new_group(self, owner: str, name: str) -> Group:
        g = Group(self.new_id("wr", 30), name, owner, self.now())
        self.groups[g.chat_id] = g
        self._add_member(g, owner, join_scene=1, invitor="")
        return g

    def _add_member(
        self, g: Group, uid: str, *, join_scene: int, invitor: str, state: str = ""
    ) -> None:
        kind = 1 if uid in self.staff else 2
        if kind == 2:
            self._ensure_customer(uid)
        g.members[uid] = GroupMember(uid, kind, self.now(), join_scene, invitor, state)
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
            g = self._group(chat_id)
            if len(g.members) >= self.limits.group_member_cap:
                raise SandboxError(E.INVALID_PARAM, "group is full")
        last = self._version(g)
        self._add_member(g, external_userid, join_scene=join_scene, invitor=invitor, state=state)
        self._chat_event(
            g.chat_id,
            "update",
            UpdateDetail="add_member",
            JoinScene=3 if join_scene == 3 else 0,
            MemChangeCnt=1,
            MemChangeList={"Item": external_userid},
            LastMemVer=last,
            CurMemVer=self._version(g),
        )
        return {"chat_id": g.chat_id, "state": state}

    def _pick_room(self, way: JoinWay) -> Group:
        cap = self.limits.group_member_cap
        for cid in way.chat_id_list:
            g = self.groups.get(cid)
            if g is not None and len(g.members) < cap:
                return g
        if not way.auto_create_room or not way.chat_id_list:
            raise SandboxError(E.INVALID_PARAM, "all groups of the join way are full")
        owner = self._group(way.chat_id_list[0]).owner
        g = self._new_group(owner, f"{way.room_base_name}{way.room_base_id}")
        way.room_base_id += 1
        way.chat_id_list.append(g.chat_id)
        self._chat_event(g.chat_id, "create")
        return g

    async def customer_leaves_group(
        self, chat_id: str, external_userid: str, *, quit_scene: int = 0
    ) -> dict[str, Any]:
        """A customer leaves (0) or is removed (1) → update del_member."""
        g = self._group(chat_id)
        if external_userid not in g.members:
            raise SandboxError(E.INVALID_PARAM, "not a member")
        last = self._version(g)
        del g.members[external_userid]
        g.version += 1
        self._chat_event(
            chat_id,
            "update",
            UpdateDetail="del_member",
            QuitScene=quit_scene,
            MemChangeCnt=1,
            MemChangeList={"Item": external_userid},
            LastMemVer=last,
            CurMemVer=self._version(g),
        )
        return {"chat_id": chat_id}

    async def owner_confirms_task(self, msgid: str, userid: str | None = None) -> dict[str, Any]:
        """The sender confirms a pending 群发 in the client: it is delivered now."""
        task = self._task(msgid)
        senders = [userid] if userid else [u for u, st in task.senders.items() if st == 0]
        for uid in senders:
            if task.senders.get(uid) != 0:
                raise SandboxError(E.INVALID_PARAM, "no pending task for this member")
            self._send_task(task, uid)
        return {"msgid": msgid, "results": dict(task.results)}

    def _send_task(self, task: GroupTask, userid: str) -> None:
        today = self.day()
        for target, uid in task.assign.items():
            if uid != userid:
                continue
            holder: Any = (
                self.groups.get(target) if task.chat_type == "group" else self.customers.get(target)
            )
            if holder is None or (task.chat_type == "single" and userid not in holder.follow):
                task.results[target] = 2
            elif holder.last_task_day == today:
                task.results[target] = 3
            else:
                holder.last_task_day = today
                task.results[target] = 1
                self.deliver(
                    target, "group_task", userid, "group_task", msgid=task.msgid, **task.content
                )
        task.senders[userid] = 2
        task.send_time[userid] = self.now()

    def auto_confirm(self) -> None:
        after = self.limits.auto_confirm_after
        if after is None:
            return
        for task in self.tasks.values():
            if self.now() - task.created_at >= after:
                for uid, st in list(task.senders.items()):
                    if st == 0:
                        self._send_task(task, uid)

    def _task(self, msgid: Any) -> GroupTask:
        t = self.tasks.get(msgid) if isinstance(msgid, str) else None
        if t is None:
            raise SandboxError(E.INVALID_PARAM, "invalid msgid")
        return t

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
        start = self._index_cursor(body.get("cursor"))
        page = chats[start : start + limit]
        more = start + limit < len(chats)
        return {
            "group_chat_list": [{"chat_id": g.chat_id, "status": g.status} for g in page],
            "next_cursor": f"gc{start + limit}" if more else "",
        }

    @staticmethod
    def _index_cursor(cursor: Any) -> int:
        if not cursor:
            return 0
        if isinstance(cursor, str) and cursor.startswith("gc") and cursor[2:].isdigit():
            return int(cursor[2:])
        raise SandboxError(E.INVALID_PARAM, "invalid cursor")

    def api_groupchat_get(self, body: dict[str, Any]) -> dict[str, Any]:
        g = self._group(body.get("chat_id"))
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
                person: Any = self.staff.get(m.userid) or self.customers.get(m.userid)
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
                "member_version": self._version(g),
            }
        }

    def api_add_join_way(self, body: dict[str, Any]) -> dict[str, Any]:
        scene, chats = body.get("scene"), body.get("chat_id_list") or []
        if scene not in (1, 2):
            raise SandboxError(E.INVALID_PARAM, "scene must be 1 or 2")
        if not isinstance(chats, list) or not 1 <= len(chats) <= 5:
            raise SandboxError(E.INVALID_PARAM, "chat_id_list must have 1..5 groups")
        for cid in chats:
            self._group(cid)
        state, remark = str(body.get("state", "")), str(body.get("remark", ""))
        if len(state) > 30 or len(remark) > 30 or len(str(body.get("room_base_name", ""))) > 40:
            raise SandboxError(E.INVALID_PARAM, "state/remark/room_base_name too long")
        way = JoinWay(
            self.new_id("", 32),
            scene,
            list(chats),
            remark,
            int(body.get("auto_create_room", 1)),
            str(body.get("room_base_name", "")),
            int(body.get("room_base_id", 0)),
            state,
        )
        way.qr_code = f"https://sandbox.invalid/joinway/{way.config_id}" if scene == 2 else ""
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

    def api_del_join_way(self, body: dict[str, Any]) -> dict[str, Any]:
        del self.join_ways[self._join_way(body.get("config_id")).config_id]
        return {}

    # -- API: welcome templates ----------------------------------------------------------------

    def _template_content(self, body: dict[str, Any]) -> dict[str, Any]:
        kinds = [k for k in _ATTACH_KINDS if k in body]
        text = body.get("text")
        if len(kinds) > 1 or (text is None and not kinds):
            raise SandboxError(E.INVALID_PARAM, "text and at most one attachment")
        if text is not None and len(str(text.get("content", "")).encode()) > 3000:
            raise SandboxError(E.CONTENT_TOO_LARGE, "text too long")
        return {k: body[k] for k in ("text", *kinds) if k in body}

    def api_template_add(self, body: dict[str, Any]) -> dict[str, Any]:
        if len(self.templates) >= MAX_TEMPLATES:
            raise SandboxError(E.INVALID_PARAM, "at most 100 group welcome templates")
        tid = self.new_id("msg", 24)
        self.templates[tid] = self._template_content(body)
        return {"template_id": tid}

    def _template_id(self, body: dict[str, Any]) -> str:
        tid = body.get("template_id")
        if not isinstance(tid, str) or tid not in self.templates:
            raise SandboxError(E.INVALID_PARAM, "invalid template_id")
        return tid

    def api_template_edit(self, body: dict[str, Any]) -> dict[str, Any]:
        tid = self._template_id(body)
        self.templates[tid] = self._template_content(body)
        return {}

    def api_template_get(self, body: dict[str, Any]) -> dict[str, Any]:
        return dict(self.templates[self._template_id(body)])

    def api_template_del(self, body: dict[str, Any]) -> dict[str, Any]:
        del self.templates[self._template_id(body)]
        return {}

    # -- API: 群发 -------------------------------------------------------------------------------

    def api_add_msg_template(self, body: dict[str, Any]) -> dict[str, Any]:
        chat_type, sender = body.get("chat_type", "single"), body.get("sender")
        attachments = body.get("attachments") or []
        text = body.get("text")
        if not text and not attachments:
            raise SandboxError(E.INVALID_PARAM, "text or attachments required")
        if len(attachments) > 9:
            raise SandboxError(E.INVALID_PARAM, "at most 9 attachments")
        if text and len(str(text.get("content", "")).encode()) > 4000:
            raise SandboxError(E.CONTENT_TOO_LARGE, "text too long")
        assign: dict[str, str] = {}
        fail: list[str] = []
        if chat_type == "group":
            self._staff(sender)
            chats = body.get("chat_id_list")
            if chats is not None and len(chats) > 2000:
                raise SandboxError(E.INVALID_PARAM, "at most 2000 groups")
            if chats is None:
                chats = [g.chat_id for g in self.groups.values() if g.owner == sender]
            for cid in chats:
                g = self.groups.get(cid)
                (
                    assign.__setitem__(cid, str(sender))
                    if g and g.owner == sender
                    else fail.append(cid)
                )
        elif chat_type == "single":
            ids = body.get("external_userid") or []
            if len(ids) > 10000:
                raise SandboxError(E.INVALID_PARAM, "at most 10000 customers")
            if sender is not None:
                self._staff(sender)
            for eid in ids:
                c = self.customers.get(eid)
                follower = (
                    sender
                    if c and sender in c.follow
                    else (next(iter(c.follow), None) if c and sender is None else None)
                )
                (assign.__setitem__(eid, follower) if follower else fail.append(eid))
        else:
            raise SandboxError(E.INVALID_PARAM, "chat_type must be single or group")
        if not assign:
            return {"fail_list": fail}
        content = {"text": text, "attachments": attachments}
        task = GroupTask(self.new_id("msg", 24), chat_type, content, self.now(), assign)
        task.senders = {uid: 0 for uid in assign.values()}
        task.results = {t: 0 for t in assign}
        self.tasks[task.msgid] = task
        for uid in task.senders:
            self.deliver(uid, "task_pending", "sys", "group_task", msgid=task.msgid)
        return {"fail_list": fail, "msgid": task.msgid}

    def api_get_groupmsg_task(self, body: dict[str, Any]) -> dict[str, Any]:
        task = self._task(body.get("msgid"))
        items = [
            {
                "userid": u,
                "status": st,
                **({"send_time": int(task.send_time[u])} if u in task.send_time else {}),
            }
            for u, st in task.senders.items()
        ]
        return self._paged(items, body, "task_list")

    def api_get_groupmsg_send_result(self, body: dict[str, Any]) -> dict[str, Any]:
        task = self._task(body.get("msgid"))
        userid = body.get("userid")
        key = "chat_id" if task.chat_type == "group" else "external_userid"
        items = []
        for target, uid in task.assign.items():
            if uid != userid:
                continue
            item: dict[str, Any] = {key: target, "userid": uid, "status": task.results[target]}
            if uid in task.send_time:
                item["send_time"] = int(task.send_time[uid])
            items.append(item)
        return self._paged(items, body, "send_list")

    def _paged(self, items: list[dict[str, Any]], body: dict[str, Any], key: str) -> dict[str, Any]:
        limit = body.get("limit", 500)
        if not isinstance(limit, int) or not 1 <= limit <= 1000:
            raise SandboxError(E.INVALID_PARAM, "limit must be 1..1000")
        start = self._index_cursor(body.get("cursor"))
        more = start + limit < len(items)
        return {
            key: items[start : start + limit],
            "next_cursor": f"gc{start + limit}" if more else "",
        }

    def api_remind_groupmsg_send(self, body: dict[str, Any]) -> dict[str, Any]:
        task = self._task(body.get("msgid"))
        pending = [u for u, st in task.senders.items() if st == 0]
        if not pending:
            raise SandboxError(E.INVALID_PARAM, "the task has no pending sender")
        task.reminders += 1
        for uid in pending:
            self.deliver(uid, "task_reminder", "sys", "group_task", msgid=task.msgid)
        return {}
