"""Corp tags (企业标签) in the sandbox (protocol-2.md §2): the tag list, add/edit/del through
the API (no callback: §0), mark_tag per member and customer, and what people do in WeCom's
own console and client, which does call back.

A customer's tags are per member (``Customer.follow[userid]["tags"]``): mark_tag needs the
member to have the customer as a contact (84061 otherwise).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.protocol import errors as E
from sandbox.corp import Corp
from sandbox.model import SandboxError

MAX_NAME = 30  # characters, tag and group names
MAX_TAGS = 3000  # per corp, and per member on one customer


@dataclass
class Tag:
    id: str
    name: str
    order: int
    create_time: int


@dataclass
class TagGroup:
    group_id: str
    name: str
    order: int
    create_time: int
    tags: dict[str, Tag] = field(default_factory=dict)


class CorpTags:
    def __init__(self, corp: Corp) -> None:
        self.corp = corp
        self.groups: dict[str, TagGroup] = {}

    def _all(self) -> dict[str, tuple[TagGroup, Tag]]:
        return {t.id: (g, t) for g in self.groups.values() for t in g.tags.values()}

    # -- API ----------------------------------------------------------------------------------

    def api_get_corp_tag_list(self, body: dict[str, Any]) -> dict[str, Any]:
        tag_ids = body.get("tag_id") or []
        group_ids = body.get("group_id") or []
        groups = list(self.groups.values())
        if group_ids:  # with both given, tag_id is ignored
            groups = [g for g in groups if g.group_id in group_ids]
            return {"tag_group": [self._group(g, g.tags.values()) for g in groups]}
        if tag_ids:
            return {"tag_group": [self._group(g, [t for t in g.tags.values() if t.id in tag_ids])
                                  for g in groups if set(g.tags) & set(tag_ids)]}
        return {"tag_group": [self._group(g, g.tags.values()) for g in groups]}

    @staticmethod
    def _group(g: TagGroup, tags: Any) -> dict[str, Any]:
        return {"group_id": g.group_id, "group_name": g.name, "create_time": g.create_time,
                "order": g.order, "tag": [{"id": t.id, "name": t.name,
                                           "create_time": t.create_time, "order": t.order}
                                          for t in tags]}

    def api_add_corp_tag(self, body: dict[str, Any]) -> dict[str, Any]:
        tags = body.get("tag")
        if not isinstance(tags, list) or not tags:
            raise SandboxError(E.INVALID_PARAM, "tag required")
        names = [self._name(t.get("name") if isinstance(t, dict) else None) for t in tags]
        if len(self._all()) + len(names) > MAX_TAGS:
            raise SandboxError(E.INVALID_PARAM, "corp tag count exceed limit 3000")
        gid = body.get("group_id")
        if gid:
            group = self.groups.get(gid) if isinstance(gid, str) else None
            if group is None:
                raise SandboxError(E.INVALID_TAG_ID, "invalid tag group id")
        else:
            gname = self._name(body.get("group_name"))
            group = next((g for g in self.groups.values() if g.name == gname), None)
            if group is None:
                group = TagGroup(self.corp.new_id("et", 30), gname, int(body.get("order") or 0),
                                 int(self.corp.now()))
                self.groups[group.group_id] = group
        taken = {t.name for t in group.tags.values()}
        if len(set(names)) != len(names) or taken & set(names):
            raise SandboxError(E.INVALID_TAG_NAME, "tag name already exists")
        added = []
        for t, name in zip(tags, names, strict=True):
            tag = Tag(self.corp.new_id("et", 30), name, int(t.get("order") or 0),
                      int(self.corp.now()))
            group.tags[tag.id] = tag
            added.append(tag)
        return {"tag_group": self._group(group, added)}

    def api_edit_corp_tag(self, body: dict[str, Any]) -> dict[str, Any]:
        item = body.get("id")
        if not isinstance(item, str) or not item:
            raise SandboxError(E.INVALID_PARAM, "id required")
        name = self._name(body["name"]) if body.get("name") is not None else None
        order = body.get("order")
        if item in self.groups:
            g = self.groups[item]
            if name is not None and any(o.name == name for o in self.groups.values() if o is not g):
                raise SandboxError(E.INVALID_TAG_NAME, "tag group name already exists")
            g.name = name if name is not None else g.name
            g.order = int(order) if order is not None else g.order
            return {}
        found = self._all().get(item)
        if found is None:
            raise SandboxError(E.INVALID_TAG_ID, "invalid tag id")
        group, tag = found
        if name is not None and any(t.name == name for t in group.tags.values() if t is not tag):
            raise SandboxError(E.INVALID_TAG_NAME, "tag name already exists")
        tag.name = name if name is not None else tag.name
        tag.order = int(order) if order is not None else tag.order
        return {}

    def api_del_corp_tag(self, body: dict[str, Any]) -> dict[str, Any]:
        tag_ids = body.get("tag_id") or []
        group_ids = body.get("group_id") or []
        if not tag_ids and not group_ids:
            raise SandboxError(E.INVALID_PARAM, "tag_id or group_id required")
        known = self._all()
        if any(t not in known for t in tag_ids) or any(g not in self.groups for g in group_ids):
            raise SandboxError(E.INVALID_TAG_ID, "invalid tag id")
        for t in tag_ids:
            del known[t][0].tags[t]
        for g in group_ids:
            del self.groups[g]
        for g in [g for g in self.groups.values() if not g.tags]:
            del self.groups[g.group_id]  # a group keeps no life without tags
        self._drop_from_customers(set(known) - set(self._all()))
        return {}

    def api_mark_tag(self, app: str, body: dict[str, Any]) -> dict[str, Any]:
        self.corp.require_staff(body.get("userid"))
        customer = self.corp.require_customer(body.get("external_userid"))
        add = body.get("add_tag") or []
        remove = body.get("remove_tag") or []
        if not add and not remove:
            raise SandboxError(E.INVALID_PARAM, "add_tag and remove_tag both empty")
        if not self.corp.visible(app, body["userid"]):
            raise SandboxError(E.NO_CONTACT_PRIVILEGE, "no privilege to access/modify "
                               "contact/party/agent")
        follow = customer.follow.get(body["userid"])
        if follow is None:
            raise SandboxError(E.NO_EXTERNAL_RELATION, "no external contact relationship")
        known = self._all()
        if any(t not in known for t in (*add, *remove)):
            raise SandboxError(E.INVALID_TAG_ID, "invalid tag id")
        tags: set[str] = follow.setdefault("tags", set())
        if len(tags | set(add)) > MAX_TAGS:
            raise SandboxError(E.INVALID_PARAM, "tag count exceed limit")
        tags |= set(add)
        tags -= set(remove)
        return {}

    def follow_tags(self, follow: dict[str, Any]) -> list[dict[str, Any]]:
        """externalcontact/get's ``tags`` of one follow user (corp tags: type 1)."""
        known = self._all()
        return [{"group_name": known[t][0].name, "tag_name": known[t][1].name, "tag_id": t,
                 "type": 1} for t in sorted(follow.get("tags") or ()) if t in known]

    # -- what people do in WeCom's console and client (these call back) ----------------------

    async def admin_edits_tags(self, change: str, *, group_name: str = "", name: str = "",
                               tag_id: str = "") -> dict[str, Any]:
        """An admin in WeCom's console creates (``name`` in ``group_name``), renames
        (``tag_id`` to ``name``) or deletes (``tag_id``) a tag → change_external_tag."""
        if change == "create":
            res = self.api_add_corp_tag({"group_name": group_name, "tag": [{"name": name}]})
            tag_id = res["tag_group"]["tag"][0]["id"]
        elif change == "update":
            self.api_edit_corp_tag({"id": tag_id, "name": name})
        elif change == "delete":
            self.api_del_corp_tag({"tag_id": [tag_id]})
        else:
            raise SandboxError(E.INVALID_PARAM, "change: create|update|delete")
        fields = {"Event": "change_external_tag", "Id": tag_id, "TagType": "tag",
                  "ChangeType": change}
        self.corp.emit_app(self.corp.app_for_callbacks(), self.corp.event_fields(fields),
                           "change_external_tag")
        return {"tag_id": tag_id, "change": change}

    async def staff_tags_customer(self, userid: str, external_userid: str, *,
                                  add: Sequence[str] = (), remove: Sequence[str] = ()
                                  ) -> dict[str, Any]:
        """A member tags a customer in the WeCom client → edit_external_contact."""
        self.api_mark_tag(self.corp.app_for_callbacks().name, {
            "userid": userid, "external_userid": external_userid, "add_tag": list(add),
            "remove_tag": list(remove)})
        fields = {"Event": "change_external_contact", "ChangeType": "edit_external_contact",
                  "UserID": userid, "ExternalUserID": external_userid}
        self.corp.emit_app(self.corp.app_for_callbacks(), self.corp.event_fields(fields),
                           "edit_external_contact")
        return {"external_userid": external_userid, "userid": userid}

    # -- checks -------------------------------------------------------------------------------

    @staticmethod
    def _name(value: Any) -> str:
        if not isinstance(value, str) or not value or len(value) > MAX_NAME:
            raise SandboxError(E.INVALID_TAG_NAME, "invalid tag name")
        return value

    def _drop_from_customers(self, gone: set[str]) -> None:
        if not gone:
            return
        for c in self.corp.customers.values():
            for f in c.follow.values():
                if f.get("tags"):
                    f["tags"] -= gone
