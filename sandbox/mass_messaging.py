"""群发 tasks and group welcome templates in the sandbox.

A 群发 task stays pending until its sender confirms it (``owner_confirms_task`` or
``limits.auto_confirm_after``); each group/customer receives at most one 群发 per natural
day (UTC+8): a second one confirmed the same day gets send status 3 and is not delivered
(the status WeCom's get_groupmsg_send_result documents for this case). ≤100 templates.
"""

from __future__ import annotations

from typing import Any

from bot.protocol import errors as E
from sandbox.corp import Corp
from sandbox.customer_groups import CustomerGroups, index_cursor
from sandbox.model import GroupTask, SandboxError

MAX_TEMPLATES = 100
MAX_LIST_SPAN = 31 * 86400  # get_groupmsg_list_v2: start and end at most a month apart
_ATTACH_KINDS = ("image", "link", "miniprogram", "file", "video")


class MassMessaging:
    """群发 tasks to customers and groups, and the groups' welcome templates."""

    def __init__(self, corp: Corp, customer_groups: CustomerGroups) -> None:
        self.corp = corp
        self.customer_groups = customer_groups
        self.tasks: dict[str, GroupTask] = {}
        self.templates: dict[str, dict[str, Any]] = {}

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
        today = self.corp.day()
        for target, uid in task.assign.items():
            if uid != userid:
                continue
            holder: Any = (
                self.customer_groups.groups.get(target)
                if task.chat_type == "group"
                else self.corp.customers.get(target)
            )
            if holder is None or (task.chat_type == "single" and userid not in holder.follow):
                task.results[target] = 2
            elif holder.last_task_day == today:
                task.results[target] = 3
            else:
                holder.last_task_day = today
                task.results[target] = 1
                self.corp.deliver(
                    target, "group_task", userid, "group_task", msgid=task.msgid, **task.content
                )
        task.senders[userid] = 2
        task.send_time[userid] = self.corp.now()

    def auto_confirm(self) -> None:
        after = self.corp.limits.auto_confirm_after
        if after is None:
            return
        for task in self.tasks.values():
            if self.corp.now() - task.created_at >= after:
                for uid, st in list(task.senders.items()):
                    if st == 0:
                        self._send_task(task, uid)

    def _task(self, msgid: Any) -> GroupTask:
        t = self.tasks.get(msgid) if isinstance(msgid, str) else None
        if t is None:
            raise SandboxError(E.INVALID_PARAM, "invalid msgid")
        return t

    def _dispatched(self, task: GroupTask) -> GroupTask:
        """A task that is past being dispatched (41063 until then; a member who has already
        sent it shows it is)."""
        if self.corp.now() - task.created_at < self.corp.limits.groupmsg_dispatch_seconds \
                and 2 not in task.senders.values():
            raise SandboxError(E.GROUPMSG_DISPATCHING, "groupmsg is being dispatched")
        return task

    # -- API: welcome templates ----------------------------------------------------------------

    def _template_content(self, body: dict[str, Any]) -> dict[str, Any]:
        kinds = [k for k in _ATTACH_KINDS if k in body]
        text = body.get("text")
        if len(kinds) > 1 or (text is None and not kinds):
            raise SandboxError(E.INVALID_PARAM, "text and at most one attachment")
        if text is not None and len(str(text.get("content", "")).encode()) > 3000:
            raise SandboxError(E.CONTENT_TOO_LARGE, "text too long")
        for kind in kinds:
            if not isinstance(body[kind], dict):
                raise SandboxError(E.INVALID_PARAM, f"invalid {kind}")
            self.corp.media.check_part(kind, body[kind])
        return {k: body[k] for k in ("text", *kinds) if k in body}

    def api_template_add(self, body: dict[str, Any]) -> dict[str, Any]:
        if len(self.templates) >= MAX_TEMPLATES:
            raise SandboxError(E.INVALID_PARAM, "at most 100 group welcome templates")
        tid = self.corp.new_id("msg", 24)
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
        self.corp.media.check_attachments(attachments)
        if text and len(str(text.get("content", "")).encode()) > 4000:
            raise SandboxError(E.CONTENT_TOO_LARGE, "text too long")
        assign: dict[str, str] = {}
        fail: list[str] = []
        if chat_type == "group":
            self.corp.require_staff(sender)
            chats = body.get("chat_id_list")
            if chats is not None and len(chats) > 2000:
                raise SandboxError(E.INVALID_PARAM, "at most 2000 groups")
            if chats is None:
                groups = self.customer_groups.groups.values()
                chats = [g.chat_id for g in groups if g.owner == sender]
            for cid in chats:
                g = self.customer_groups.groups.get(cid)
                if g is not None and g.owner == sender:
                    assign[cid] = str(sender)
                else:
                    fail.append(cid)
        elif chat_type == "single":
            ids = body.get("external_userid") or []
            if len(ids) > 10000:
                raise SandboxError(E.INVALID_PARAM, "at most 10000 customers")
            if sender is not None:
                self.corp.require_staff(sender)
            for eid in ids:
                c = self.corp.customers.get(eid)
                follower = None
                if c is not None and c.follow:
                    # Without a sender, each customer's first follower sends it.
                    follower = sender if sender in c.follow else None
                    if sender is None:
                        follower = next(iter(c.follow))
                if follower:
                    assign[eid] = follower
                else:
                    fail.append(eid)
        else:
            raise SandboxError(E.INVALID_PARAM, "chat_type must be single or group")
        if not assign:
            return {"fail_list": fail}
        content = {"text": text, "attachments": attachments}
        task = GroupTask(self.corp.new_id("msg", 24), chat_type, content, self.corp.now(), assign)
        task.senders = {uid: 0 for uid in assign.values()}
        task.results = {t: 0 for t in assign}
        self.tasks[task.msgid] = task
        for uid in task.senders:
            self.corp.deliver(uid, "task_pending", "sys", "group_task", msgid=task.msgid)
        return {"fail_list": fail, "msgid": task.msgid}

    def api_get_groupmsg_list_v2(self, body: dict[str, Any]) -> dict[str, Any]:
        """The corp's 群发 records in a time window (docs 93338): chat_type, start_time and
        end_time required, at most a month apart. Tasks made through the API are 企业发表
        (create_type 0) and carry no creator."""
        chat_type = body.get("chat_type", "single")
        if chat_type not in ("single", "group"):
            raise SandboxError(E.INVALID_PARAM, "chat_type must be single or group")
        start, end = body.get("start_time"), body.get("end_time")
        if not isinstance(start, int) or not isinstance(end, int) or start > end:
            raise SandboxError(E.INVALID_PARAM, "start_time and end_time required")
        if end - start > MAX_LIST_SPAN:
            raise SandboxError(E.INVALID_PARAM, "start_time and end_time over a month apart")
        filter_type = body.get("filter_type", 2)
        if filter_type not in (0, 1, 2):
            raise SandboxError(E.INVALID_PARAM, "filter_type must be 0, 1 or 2")
        limit = body.get("limit", 50)
        if not isinstance(limit, int) or not 1 <= limit <= 100:
            raise SandboxError(E.INVALID_PARAM, "limit must be 1..100")
        for t in self.tasks.values():
            if t.chat_type == chat_type and start <= t.created_at <= end:
                self._dispatched(t)
        items = [
            {"msgid": t.msgid, "create_type": 0, "create_time": int(t.created_at),
             **({"text": t.content["text"]} if t.content.get("text") else {}),
             **({"attachments": t.content["attachments"]} if t.content.get("attachments") else {})}
            for t in self.tasks.values()
            if t.chat_type == chat_type and start <= t.created_at <= end and filter_type != 1
        ]
        return self._paged(items, {**body, "limit": limit}, "group_msg_list")

    def api_get_groupmsg_task(self, body: dict[str, Any]) -> dict[str, Any]:
        task = self._dispatched(self._task(body.get("msgid")))
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
        task = self._dispatched(self._task(body.get("msgid")))
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
        start = index_cursor(body.get("cursor"))
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
        # "24小时内每个群发最多触发三次提醒" (docs 97610); the code is the likeliest (§7.2).
        now = self.corp.now()
        if len([t for t in task.reminded_at if now - t < 24 * 3600]) >= 3:
            raise SandboxError(E.GROUPMSG_REMIND_LIMIT, "remind groupmsg freq limit")
        task.reminded_at.append(now)
        task.reminders += 1
        for uid in pending:
            self.corp.deliver(uid, "task_reminder", "sys", "group_task", msgid=task.msgid)
        return {}
