"""What a group's owner does to a customer group in the WeCom client → change_external_chat:
rename, edit the notice, hand the group to another member (update with UpdateDetail
change_name / change_notice / change_owner, no member fields), dismiss it (dismiss, ChatId
only; the group is gone for groupchat/get). protocol.md §2.4. Joins and leaves (add_member,
del_member with JoinScene / QuitScene) are ``customer_groups.py``'s.
"""

from __future__ import annotations

from typing import Any

from bot.protocol import errors as E
from sandbox.corp import Corp
from sandbox.customer_groups import CustomerGroups
from sandbox.model import SandboxError


class GroupOwner:
    def __init__(self, corp: Corp, groups: CustomerGroups) -> None:
        self.corp = corp
        self.groups = groups

    def _changed(self, chat_id: str, detail: str) -> dict[str, Any]:
        self.groups.chat_event(chat_id, "update", UpdateDetail=detail)
        return {"chat_id": chat_id, "update_detail": detail}

    async def owner_renames_group(self, chat_id: str, name: str) -> dict[str, Any]:
        g = self.groups.group(chat_id)
        if not name or len(name) > 50:  # the client's limit on a group name is not published
            raise SandboxError(E.INVALID_PARAM, "group name must be 1..50 characters")
        g.name = name
        return self._changed(chat_id, "change_name")

    async def owner_edits_notice(self, chat_id: str, notice: str) -> dict[str, Any]:
        self.groups.group(chat_id).notice = notice
        return self._changed(chat_id, "change_notice")

    async def owner_hands_over(self, chat_id: str, new_owner: str) -> dict[str, Any]:
        """The owner makes another member of the corp, already in the group, the owner."""
        g = self.groups.group(chat_id)
        self.corp.require_staff(new_owner)
        if new_owner not in g.members or new_owner == g.owner:
            raise SandboxError(E.INVALID_PARAM, "the new owner must be another member in it")
        g.owner = new_owner
        return self._changed(chat_id, "change_owner")

    async def owner_dismisses_group(self, chat_id: str) -> dict[str, Any]:
        g = self.groups.group(chat_id)
        del self.groups.groups[g.chat_id]
        self.groups.chat_event(chat_id, "dismiss")
        return {"chat_id": chat_id}
