"""Rules in the database: validated writes, a change record for every write, import/export.

Every write validates with ``keywords.load_rules`` first and changes nothing when anything is
wrong; each write is one transaction that also records a ``RuleChange`` (who, when, before,
after), whose id becomes the rule set's revision.
"""

from __future__ import annotations

import difflib
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import yaml
from tortoise import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from bot.models import RuleChange, RuleRow
from keywords import dump_rules, load_rules, rule_to_dict


@dataclass(frozen=True)
class StoredRule:
    """A rule as stored: its body in the keywords format and who changed it last."""

    rule_id: str
    enabled: bool
    revision: int
    updated_by: str
    updated_at: datetime
    body: dict[str, Any]


@dataclass(frozen=True)
class RuleChangeRecord:
    """One recorded change: the rule before and after (None: absent)."""

    id: int
    rule_id: str
    action: str
    actor: str
    at: datetime
    batch: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _stored(row: RuleRow) -> StoredRule:
    return StoredRule(rule_id=row.rule_id, enabled=row.enabled, revision=row.revision,
                      updated_by=row.updated_by, updated_at=row.updated_at, body=row.body)


def _change(c: RuleChange) -> RuleChangeRecord:
    return RuleChangeRecord(id=c.id, rule_id=c.rule_id, action=c.action, actor=c.actor,
                            at=c.at, batch=c.batch, before=c.before, after=c.after)


class RuleNotFound(LookupError):
    pass


class RuleExists(ValueError):
    pass


def canonical(data: Any) -> dict[str, Any]:
    """One rule, validated (RuleError when wrong), in its canonical file form."""
    (rule,) = load_rules([data])
    return rule_to_dict(rule)


def as_yaml(body: dict[str, Any] | None) -> str:
    if body is None:
        return ""
    return yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=1000)


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None, rule_id: str) -> str:
    lines = difflib.unified_diff(
        as_yaml(before).splitlines(), as_yaml(after).splitlines(),
        fromfile=f"a/{rule_id}", tofile=f"b/{rule_id}", lineterm="",
    )
    return "\n".join(lines)


async def list_rules() -> list[StoredRule]:
    return [_stored(r) for r in await RuleRow.all().order_by("rule_id")]


async def get_rule(rule_id: str) -> StoredRule:
    row = await RuleRow.get_or_none(rule_id=rule_id)
    if row is None:
        raise RuleNotFound(rule_id)
    return _stored(row)


async def revision() -> int:
    last = await RuleChange.all().order_by("-id").first()
    return int(last.id) if last else 0


async def _write(
    conn: BaseDBAsyncClient, rule_id: str, action: str, actor: str,
    before: dict[str, Any] | None, after: dict[str, Any] | None, batch: str | None = None,
) -> RuleChange:
    change = await RuleChange.create(rule_id=rule_id, action=action, actor=actor, before=before,
                                     after=after, batch=batch, using_db=conn)
    if after is None:
        await RuleRow.filter(rule_id=rule_id).using_db(conn).delete()
    elif before is None:
        await RuleRow.create(rule_id=rule_id, body=after, enabled=after.get("enabled", True),
                             revision=change.id, updated_by=actor, using_db=conn)
    else:
        await RuleRow.filter(rule_id=rule_id).using_db(conn).update(
            body=after, enabled=after.get("enabled", True), revision=change.id, updated_by=actor)
    return change


async def create_rule(data: Any, actor: str) -> StoredRule:
    body = canonical(data)
    async with in_transaction() as conn:
        if await RuleRow.filter(rule_id=body["id"]).using_db(conn).exists():
            raise RuleExists(body["id"])
        await _write(conn, body["id"], "create", actor, None, body)
    return await get_rule(body["id"])


async def update_rule(rule_id: str, data: Any, actor: str, action: str = "update"
                      ) -> StoredRule:
    if isinstance(data, dict):
        data = {**data, "id": data.get("id", rule_id)}
        if data["id"] != rule_id:
            raise ValueError("the rule id in the body differs from the one in the path")
    body = canonical(data)
    async with in_transaction() as conn:
        row = await RuleRow.filter(rule_id=rule_id).using_db(conn).first()
        if row is None:
            raise RuleNotFound(rule_id)
        if row.body != body:
            await _write(conn, rule_id, action, actor, row.body, body)
    return await get_rule(rule_id)


async def set_enabled(rule_id: str, enabled: bool, actor: str) -> StoredRule:
    row = await get_rule(rule_id)
    body = dict(row.body)
    if enabled:
        body.pop("enabled", None)
    else:
        body["enabled"] = False
    return await update_rule(rule_id, body, actor, "enable" if enabled else "disable")


async def delete_rule(rule_id: str, actor: str) -> None:
    async with in_transaction() as conn:
        row = await RuleRow.filter(rule_id=rule_id).using_db(conn).first()
        if row is None:
            raise RuleNotFound(rule_id)
        await _write(conn, rule_id, "delete", actor, row.body, None)


async def changes(rule_id: str | None = None, limit: int = 100) -> list[RuleChangeRecord]:
    query = RuleChange.all() if rule_id is None else RuleChange.filter(rule_id=rule_id)
    return [_change(c) for c in await query.order_by("-id").limit(limit)]


async def rollback(rule_id: str, change_id: int, actor: str) -> StoredRule | None:
    """Put the rule back as it was right after change ``change_id`` (absent: deleted)."""
    change = await RuleChange.get_or_none(id=change_id, rule_id=rule_id)
    if change is None:
        raise RuleNotFound(f"{rule_id}@{change_id}")
    target = change.after
    async with in_transaction() as conn:
        row = await RuleRow.filter(rule_id=rule_id).using_db(conn).first()
        current = row.body if row else None
        if target is not None:
            target = canonical(target)
        if current != target:
            await _write(conn, rule_id, "rollback", actor, current, target)
    row = await RuleRow.get_or_none(rule_id=rule_id)
    return _stored(row) if row else None


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    diff: str = ""
    applied: bool = False


async def import_rules(
    source: Any, *, mode: Literal["replace", "merge"], actor: str, dry_run: bool = False
) -> ImportResult:
    """Validate the whole file first (RuleError lists every problem, nothing changes), then
    replace the rule set or merge into it, in one transaction."""
    incoming = {r.id: rule_to_dict(r) for r in load_rules(source)}
    result = ImportResult()
    parts: list[str] = []
    async with in_transaction() as conn:
        current = {r.rule_id: r.body for r in await RuleRow.all().using_db(conn)}
        plan: list[tuple[str, dict[str, Any] | None, dict[str, Any] | None]] = []
        for rid, body in incoming.items():
            old = current.get(rid)
            if old is None:
                result.created.append(rid)
            elif old != body:
                result.updated.append(rid)
            else:
                result.unchanged.append(rid)
                continue
            plan.append((rid, old, body))
        if mode == "replace":
            for rid in sorted(set(current) - set(incoming)):
                result.deleted.append(rid)
                plan.append((rid, current[rid], None))
        parts = [diff(before, after, rid) for rid, before, after in plan]
        if not dry_run:
            batch = secrets.token_hex(8)
            for rid, before, after in plan:
                await _write(conn, rid, "import", actor, before, after, batch)
            result.applied = True
    result.diff = "\n".join(p for p in parts if p)
    return result


async def export_rules(fmt: str = "yaml") -> str:
    rows = await list_rules()
    return dump_rules(load_rules([r.body for r in rows]), fmt)
