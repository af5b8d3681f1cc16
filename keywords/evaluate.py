"""Deciding one candidate rule against one scanned message, and ranking hits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from .model import Rule

if TYPE_CHECKING:
    from .matcher import _Scan

# Specificity: the strongest condition a rule has (all given ones must hold).
KIND_RANK = {"menu_id": 0, "exact": 1, "all": 2, "any": 3, "contains": 4, "regex": 5}

# (kind, term as written, start, end) with the span in the NORMALIZED text.
RawHit = tuple[str, str, int, int]


class Context(NamedTuple):
    channel: str | None
    scope: Mapping[str, object] | None
    at: dt.datetime | None  # None: now
    menu_id: str | None


@dataclass
class Compiled:
    rule: Rule
    rank: int
    exact: frozenset[str]
    any: tuple[str, ...]  # normalized word terms
    all: tuple[str, ...]
    contains: tuple[str, ...]
    exclude: tuple[str, ...]
    regex: tuple[Any, ...] = ()
    menu: frozenset[str] = frozenset()
    gated: bool = False  # every regex has a literal prefilter in the automaton
    originals: dict[tuple[str, int], str] = field(default_factory=dict)


def evaluate(
    c: Compiled, ri: int, scan: _Scan, ctx: Context, explain: bool
) -> tuple[bool, list[RawHit], list[str]]:
    """(hit?, raw hits, reasons it failed). Stops at the first failure unless explaining."""
    rule = c.rule
    reasons: list[str] = []
    if not rule.enabled:
        if not explain:
            return False, [], reasons
        reasons.append("rule disabled")
    if ctx.channel is not None and ctx.channel not in rule.channels:
        reasons.append(f"channel {ctx.channel} not allowed")
    if rule.scope and not rule.scope.allows(ctx.scope):
        reasons.append("scope: " + _scope_reason(rule, ctx.scope))
    if reasons and not explain:
        return False, [], reasons
    found = scan.found.get(ri, {})
    hits: list[RawHit] = []
    norm = scan.norm

    if c.exact:
        if norm in c.exact:
            term = next(t for t in rule.when.exact if _norm(t) == norm)
            hits.append(("exact", term, 0, len(norm)))
        else:
            reasons.append("not an exact match")
    if c.all:
        got = _term_hits(c, ri, scan, found, "all", c.all)
        hits.extend(got)
        if len(got) < len(c.all):
            have = {h[1] for h in got}
            missing = [t for t in rule.when.all if t not in have]
            reasons.extend(f"all-term {t} missing" + _not_word(scan, ri, rule, "all", t)
                           for t in missing)  # fmt: skip
    if c.any:
        got = _term_hits(c, ri, scan, found, "any", c.any)
        hits.extend(got)
        if not got:
            near = [rule.when.any[ti] for k, ti in scan.not_word.get(ri, ()) if k == "any"]
            if near:
                reasons.extend(f"any-term {t} present but not as a word" for t in near)
            else:
                reasons.append("no any-term present")
    if c.contains:
        got = _term_hits(c, ri, scan, found, "contains", c.contains)
        hits.extend(got)
        if not got:
            reasons.append("no contains-term present")
    for ti in sorted(set(scan.excluded.get(ri, ()))):
        reasons.append(f"exclude term {rule.when.exclude[ti]} present")
    if c.menu:
        if ctx.menu_id in c.menu:
            hits.append(("menu_id", ctx.menu_id or "", 0, 0))
        else:
            reasons.append(f"menu_id {ctx.menu_id} not clicked" if ctx.menu_id else "no menu click")
    if rule.applies != "always" and rule.hours is not None and (explain or not reasons):
        inside = rule.hours.contains(ctx.at or dt.datetime.now(dt.UTC))
        if rule.applies == "inside_hours" and not inside:
            reasons.append("outside hours")
        elif rule.applies == "outside_hours" and inside:
            reasons.append("inside hours (rule applies outside hours only)")
    if c.regex and (explain or not reasons):
        # Regexes run last: they are the only costly check.
        got_rx = None
        if c.gated and ri not in scan.gated:
            pass  # the required literal is absent, so no pattern can match
        else:
            for pattern, source in zip(c.regex, rule.when.regex, strict=True):
                try:
                    m = pattern.search(norm, timeout=scan.m.regex_timeout)
                except TimeoutError:
                    reasons.append(f"regex {source} timed out")
                    continue
                if m is not None:
                    got_rx = ("regex", source, m.start(), m.end())
                    break
        if got_rx is not None:
            hits.append(got_rx)
        elif not any(r.startswith("regex ") for r in reasons):
            reasons.append("no regex matched")
    return not reasons, hits, reasons


def _term_hits(
    c: Compiled, ri: int, scan: _Scan, found: Mapping[tuple[str, int], tuple[int, int]],
    kind: str, terms: tuple[str, ...],
) -> list[RawHit]:
    out = []
    for ti in range(len(terms)):
        span = found.get((kind, ti))
        if span is not None:
            label = f"fuzzy-{kind}" if scan.fuzzy and (ri, (kind, ti)) in scan.fuzzy else kind
            out.append((label, c.originals[(kind, ti)], span[0], span[1]))
    return out


def rank(c: Compiled, hits: list[RawHit]) -> tuple[object, ...]:
    """Sort key: priority, specificity, longer matched terms, then id."""
    lengths = [e - s for _, _, s, e in hits]
    longest = max(lengths, default=0)
    return (-c.rule.priority, c.rank, -longest, -sum(lengths), c.rule.id)


def _norm(text: str) -> str:
    from .normalize import normalize

    return normalize(text)


def _not_word(scan: _Scan, ri: int, rule: Rule, kind: str, term: str) -> str:
    for k, ti in scan.not_word.get(ri, ()):
        if k == kind and getattr(rule.when, kind)[ti] == term:
            return " (present but not as a word)"
    return ""


def _scope_reason(rule: Rule, scope: Mapping[str, object] | None) -> str:
    for key in ("open_kfid", "chat_id", "userid"):
        wanted = getattr(rule.scope, key)
        if wanted:
            got = None if scope is None else scope.get(key)
            if got not in wanted:
                return f"{key} {got} not in rule scope"
    if rule.scope.tag:
        return "the customer has none of the rule's tags"
    return "not in rule scope"
