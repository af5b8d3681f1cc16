"""The rule conflict report: where one rule keeps another from ever answering.

Each rule's own terms are tried as messages (exact terms as they are; the all-terms joined;
each any- and contains-term alone) on every channel the rule has. When the rule hits but
another wins, that other rule shadows it on that text; an exact term two rules share is
reported too.
"""

from __future__ import annotations

from typing import Any

from keywords import Matcher, Rule


def _probes(rule: Rule) -> list[str]:
    w = rule.when
    probes = list(w.exact)
    if w.all:
        probes.append("".join(w.all))
    probes += list(w.any) + list(w.contains)
    return [p for p in dict.fromkeys(probes) if p]


def conflicts(matcher: Matcher) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str]] = set()
    exact_owner: dict[str, str] = {}
    for rule in matcher.rules:
        if not rule.enabled:
            continue
        for term in rule.when.exact:
            other = exact_owner.setdefault(term, rule.id)
            if other != rule.id:
                out.append({"kind": "same_exact", "rule_id": rule.id, "other_id": other,
                            "text": term, "detail": "both rules list this exact message"})
        for channel in rule.channels:
            for text in _probes(rule):
                found = matcher.match_all(text, channel=channel)
                ids = [m.rule.id for m in found]
                if rule.id in ids and ids[0] != rule.id:
                    key = (rule.id, ids[0], text)
                    if key not in seen:
                        seen.add(key)
                        out.append({"kind": "shadowed", "rule_id": rule.id, "other_id": ids[0],
                                    "text": text,
                                    "detail": f"on {channel}, {ids[0]} wins over {rule.id}"})
    return out
