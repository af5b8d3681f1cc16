"""Admin API: rule import/export, the rule tester, and the conflict report."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from aiohttp import web
from pydantic import BaseModel, Field

from bot.conversations import rules_store
from bot.conversations.conflicts import conflicts
from bot.conversations.rulebook import changed
from bot.web.admin.framework import Api, ApiRequest
from bot.web.admin.rules_api import READ, check_refs, rule_error_response
from keywords import CHANNELS, RuleError

api = Api()


class ImportQuery(BaseModel):
    mode: Literal["replace", "merge"] = "merge"
    dry_run: bool = False


class ImportOut(BaseModel):
    applied: bool
    created: list[str]
    updated: list[str]
    deleted: list[str]
    unchanged: list[str]
    diff: str


class ExportQuery(BaseModel):
    format: Literal["yaml", "json"] = "yaml"


class TestIn(BaseModel):
    text: str = Field(max_length=4000)
    channel: Literal[CHANNELS] | None = None  # type: ignore[valid-type]
    at: datetime | None = None
    menu_id: str | None = None
    scope: dict[str, str] = Field(default_factory=dict)
    # The customer's tags (names, or "组/名"), for rules scoped by tag.
    tags: list[str] = Field(default_factory=list, max_length=100)


class HitOut(BaseModel):
    kind: str
    term: str
    start: int
    end: int


class MatchOut(BaseModel):
    rule_id: str
    rule_name: str = ""
    action: str
    priority: int
    hits: list[HitOut]
    shadowed: list[str]
    tag: list[str] = Field(default_factory=list)  # the tags the rule gives the customer


class NearMissOut(BaseModel):
    rule_id: str
    reasons: list[str]


class TestOut(BaseModel):
    normalized: str
    tokens: list[str]
    winner: MatchOut | None
    matches: list[MatchOut]
    near_misses: list[NearMissOut]
    revision: int


class ConflictOut(BaseModel):
    kind: str
    rule_id: str
    other_id: str
    text: str
    detail: str


@api.route("POST", "/rules/import", roles=("admin",), query=ImportQuery, response=ImportOut,
           tag="rules")
async def import_rules(req: ApiRequest) -> Any:
    """Import a YAML or JSON rule file: all or nothing, with every problem listed."""
    actor = req.principal.name if req.principal else "api"
    try:
        await check_refs(req.raw_body.decode("utf-8", "replace"))
        result = await rules_store.import_rules(req.raw_body.decode("utf-8", "replace"),
                                                mode=req.query.mode, actor=actor,
                                                dry_run=req.query.dry_run)
    except RuleError as exc:
        return rule_error_response(exc)
    if result.applied:
        await changed(req.services.ports)
    return ImportOut(**result.__dict__)


@api.route("GET", "/rules/export", roles=READ, query=ExportQuery, tag="rules",
           media=("application/json", "application/yaml"))
async def export_rules(req: ApiRequest) -> web.Response:
    """The rule set as a file (the import format)."""
    text = await rules_store.export_rules(req.query.format)
    kind = "application/json" if req.query.format == "json" else "application/yaml"
    return web.Response(text=text, content_type=kind)


def _match(m: Any) -> MatchOut:
    return MatchOut(rule_id=m.rule.id, rule_name=m.rule.name, action=m.rule.action,
                    priority=m.rule.priority,
                    hits=[HitOut(kind=h.kind, term=h.term, start=h.start, end=h.end)
                          for h in m.hits], shadowed=list(m.won_over), tag=list(m.rule.tag))


@api.route("POST", "/rules/test", roles=READ, body=TestIn, response=TestOut, tag="rules")
async def test_rules(req: ApiRequest) -> TestOut:
    """What the live rule set does with a message: winner, terms and positions, normalized
    text and tokens, the rules it shadowed, and why near misses missed."""
    book = req.services.ports.rules
    b = req.body
    scope: dict[str, object] = dict(b.scope)
    if b.tags:
        scope["tag"] = frozenset(b.tags)
    ex = book.matcher.explain(b.text, channel=b.channel, at=b.at, menu_id=b.menu_id,
                              scope=scope or None)
    matches = [_match(m) for m in ex.matches]
    return TestOut(normalized=ex.normalized, tokens=list(ex.tokens),
                   winner=matches[0] if matches else None, matches=matches,
                   near_misses=[NearMissOut(rule_id=n.rule_id, reasons=list(n.reasons))
                                for n in ex.near_misses], revision=book.revision)


@api.route("GET", "/rules/conflicts", roles=READ, response=[ConflictOut], tag="rules")
async def rule_conflicts(req: ApiRequest) -> list[ConflictOut]:
    """Rules another rule always wins over on their own terms, and shared exact terms."""
    return [ConflictOut(**c) for c in conflicts(req.services.ports.rules.matcher)]
