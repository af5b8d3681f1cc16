"""Admin API: keyword rules (CRUD, enable/disable, versions with diffs, history, rollback).

Bodies are the ``keywords`` rule format; a bad rule answers 400 with every problem (rule id,
field, message) and changes nothing. Every change is recorded with who and when, and every
process swaps in the new matcher within a second.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from bot.conversations import rules_store
from bot.conversations.rulebook import changed
from bot.customers import rule_refs
from bot.web.admin.framework import Api, ApiError, ApiRequest
from bot.web.admin.paging import ListQuery, Paged, page_of
from keywords import RuleError, load_rules

api = Api()
READ = ("admin", "specialist", "viewer")
RULE = "{rule_id:[a-z0-9_-]{1,64}}"  # rule ids are [a-z0-9_-]{1,64}; nothing else routes


class RuleOut(BaseModel):
    id: str
    enabled: bool
    revision: int
    updated_by: str
    updated_at: datetime
    rule: dict[str, Any]


class ChangeOut(BaseModel):
    id: int
    rule_id: str
    action: str
    actor: str
    at: datetime
    batch: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    diff: str


class RuleIn(BaseModel):
    """A rule in the ``keywords`` rule format (validated by keywords.load_rules, which names
    the field of every problem)."""

    model_config = ConfigDict(extra="allow")
    id: str | None = Field(default=None, max_length=64)


class RollbackOut(BaseModel):
    """The rule as rolled back; a rollback to before the rule existed deletes it."""

    id: str
    deleted: bool = False
    enabled: bool | None = None
    revision: int | None = None
    updated_by: str | None = None
    updated_at: datetime | None = None
    rule: dict[str, Any] | None = None


class RollbackIn(BaseModel):
    change_id: int = Field(ge=1, le=2**63 - 1)


class HistoryQuery(BaseModel):
    limit: int = Field(default=100, ge=1, le=1000)


def rule_out(row: rules_store.StoredRule) -> RuleOut:
    return RuleOut(id=row.rule_id, enabled=row.enabled, revision=row.revision,
                   updated_by=row.updated_by, updated_at=row.updated_at, rule=row.body)


def change_out(c: rules_store.RuleChangeRecord) -> ChangeOut:
    return ChangeOut(id=c.id, rule_id=c.rule_id, action=c.action, actor=c.actor, at=c.at,
                     batch=c.batch, before=c.before, after=c.after,
                     diff=rules_store.diff(c.before, c.after, c.rule_id))


def rule_error_response(exc: RuleError) -> web.Response:
    """400 with every problem, so an admin can fix a whole file in one go."""
    problems = [{"rule_id": p.rule_id, "field": p.field, "message": p.message}
                for p in exc.problems]
    first = exc.problems[0]
    head = str(exc).split("\n")[0] if len(exc.problems) == 1 else \
        f"规则有 {len(exc.problems)} 处问题，请逐一修改"
    body = {"error": {"code": "invalid_rule", "message": head,
                      "field": first.field, "problems": problems}}
    return web.json_response(body, status=400)


def _rule(req: ApiRequest) -> dict[str, Any]:
    body: dict[str, Any] = req.body.model_dump(exclude_none=True)
    return body


async def check_refs(source: Any) -> None:
    """RuleError when rules name tags that do not exist or media of the wrong kind (the
    customers domain knows those); a rule that does not load is left to rules_store."""
    try:
        rules = load_rules(source)
    except RuleError:
        return
    found = await rule_refs.problems(rules)
    if found:
        raise RuleError(found)


class RulesQuery(ListQuery):
    page_size: int = Field(default=20, ge=1, le=500)
    enabled: bool | None = None
    action: Literal["reply", "escalate", "offer_group", "order_progress", "tag"] | None = None


def _rule_matches(r: rules_store.StoredRule, q: RulesQuery) -> bool:
    if q.enabled is not None and r.enabled != q.enabled:
        return False
    if q.action is not None and r.body.get("action", "reply") != q.action:
        return False
    text = q.search
    if text is None:
        return True
    # The id, the name and every term a person could be looking for, as they were written.
    return text.lower() in r.rule_id or text.lower() in json.dumps(
        r.body, ensure_ascii=False).lower()


@api.route("GET", "/rules", roles=READ, query=RulesQuery, response=[RuleOut], tag="rules")
async def list_rules(req: ApiRequest) -> Paged:
    """Rules, by id (all of them without ``page``); ``q`` searches id, name and terms."""
    q: RulesQuery = req.query
    rows = [rule_out(r) for r in await rules_store.list_rules() if _rule_matches(r, q)]
    return page_of(rows, q, len(rows) or 1)


@api.route("GET", "/rules/history", roles=READ, query=HistoryQuery, response=[ChangeOut],
           tag="rules")
async def rules_history(req: ApiRequest) -> list[ChangeOut]:
    """Every change to any rule, newest first."""
    return [change_out(c) for c in await rules_store.changes(limit=req.query.limit)]


@api.route("GET", f"/rules/{RULE}", roles=READ, response=RuleOut, tag="rules")
async def get_rule(req: ApiRequest) -> RuleOut:
    """One rule."""
    try:
        return rule_out(await rules_store.get_rule(req.params["rule_id"]))
    except rules_store.RuleNotFound:
        raise ApiError(404, "not_found", "没有这条规则") from None


@api.route("POST", "/rules", roles=("admin",), body=RuleIn, response=RuleOut, status=201,
           tag="rules")
async def create_rule(req: ApiRequest) -> Any:
    """Create a rule (the keywords rule format)."""
    try:
        await check_refs([_rule(req)])
        row = await rules_store.create_rule(_rule(req), req.principal.name if req.principal
                                            else "api")
    except RuleError as exc:
        return rule_error_response(exc)
    except rules_store.RuleExists:
        raise ApiError(409, "exists", "已有这个编号的规则", "id") from None
    await changed(req.services.ports)
    return rule_out(row)


@api.route("PUT", f"/rules/{RULE}", roles=("admin",), body=RuleIn, response=RuleOut,
           tag="rules")
async def update_rule(req: ApiRequest) -> Any:
    """Replace a rule."""
    try:
        await check_refs([{**_rule(req), "id": req.params["rule_id"]}])
        row = await rules_store.update_rule(req.params["rule_id"], _rule(req), _actor(req))
    except RuleError as exc:
        return rule_error_response(exc)
    except rules_store.RuleNotFound:
        raise ApiError(404, "not_found", "没有这条规则") from None
    except ValueError:
        raise ApiError(400, "invalid_rule", "请求体里的规则编号与地址中的不一致", "id") from None
    await changed(req.services.ports)
    return rule_out(row)


@api.route("DELETE", f"/rules/{RULE}", roles=("admin",), status=204, tag="rules")
async def delete_rule(req: ApiRequest) -> None:
    """Delete a rule (its history stays)."""
    try:
        await rules_store.delete_rule(req.params["rule_id"], _actor(req))
    except rules_store.RuleNotFound:
        raise ApiError(404, "not_found", "没有这条规则") from None
    await changed(req.services.ports)


async def _toggle(req: ApiRequest, enabled: bool) -> RuleOut:
    try:
        row = await rules_store.set_enabled(req.params["rule_id"], enabled, _actor(req))
    except rules_store.RuleNotFound:
        raise ApiError(404, "not_found", "没有这条规则") from None
    await changed(req.services.ports)
    return rule_out(row)


@api.route("POST", f"/rules/{RULE}/enable", roles=("admin",), response=RuleOut, tag="rules")
async def enable_rule(req: ApiRequest) -> RuleOut:
    """Enable a rule."""
    return await _toggle(req, True)


@api.route("POST", f"/rules/{RULE}/disable", roles=("admin",), response=RuleOut, tag="rules")
async def disable_rule(req: ApiRequest) -> RuleOut:
    """Disable a rule (kept, never matched)."""
    return await _toggle(req, False)


@api.route("GET", f"/rules/{RULE}/versions", roles=READ, response=[ChangeOut], tag="rules")
async def rule_versions(req: ApiRequest) -> list[ChangeOut]:
    """A rule's versions, newest first, each with who, when and the diff."""
    return [change_out(c) for c in await rules_store.changes(req.params["rule_id"])]


@api.route("POST", f"/rules/{RULE}/rollback", roles=("admin",), body=RollbackIn,
           response=RollbackOut, tag="rules")
async def rollback_rule(req: ApiRequest) -> Any:
    """Put a rule back as it was after one of its changes."""
    try:
        row = await rules_store.rollback(req.params["rule_id"], req.body.change_id, _actor(req))
    except rules_store.RuleNotFound:
        raise ApiError(404, "not_found", "no such change of this rule", "change_id") from None
    except RuleError as exc:
        return rule_error_response(exc)
    await changed(req.services.ports)
    if row is None:
        return RollbackOut(id=req.params["rule_id"], deleted=True)
    return RollbackOut.model_validate(rule_out(row).model_dump())


def _actor(req: ApiRequest) -> str:
    return req.principal.name if req.principal else "api"
