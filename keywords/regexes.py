"""Regex compilation, a catastrophic-backtracking guard and a literal prefilter.

Patterns use the `regex` module because its match functions take `timeout=`:
a pattern that still blows up at match time is a no-hit, never a hung worker.
"""

from __future__ import annotations

import re._constants as sre_c
import re._parser as sre_parse
from typing import Any

import regex

FLAGS = regex.IGNORECASE
_REPEATS = {sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT}


def compile_pattern(pattern: str) -> regex.Pattern[str]:
    """Compile or raise ValueError with a message for the admin."""
    try:
        compiled = regex.compile(pattern, FLAGS)
    except regex.error as exc:
        raise ValueError(f"bad regex {pattern!r}: {exc}") from exc
    tree = _parse(pattern)
    if tree is not None and _nested_unbounded(tree, inside=False):
        raise ValueError(
            f"regex {pattern!r} nests unbounded quantifiers (like (a+)+), which can "
            "backtrack catastrophically; rewrite it without the nesting"
        )
    return compiled


def gate_literal(pattern: str) -> str | None:
    """The longest literal every match must contain, for an Aho-Corasick prefilter.

    Only plain top-level literal runs count (no alternation, groups or
    optional parts), so the gate is never wrong, merely absent sometimes.
    """
    tree = _parse(pattern)
    if tree is None:
        return None
    best, run = "", []
    for op, arg in tree:
        if op is sre_c.LITERAL:
            run.append(chr(arg))
            continue
        if len("".join(run)) > len(best):
            best = "".join(run)
        run = []
    if len("".join(run)) > len(best):
        best = "".join(run)
    return best or None


def _parse(pattern: str) -> Any:
    # The stdlib parser understands most of the `regex` dialect; for what it
    # cannot parse (\p{Han} ...) we simply skip the guard and the gate.
    try:
        return sre_parse.parse(pattern, 0)
    except Exception:
        return None


def _nested_unbounded(items: Any, *, inside: bool) -> bool:
    for op, arg in items:
        if op in _REPEATS:
            _lo, hi, body = arg
            unbounded = hi == sre_c.MAXREPEAT
            if unbounded and inside:
                return True
            if _nested_unbounded(body, inside=inside or unbounded):
                return True
        elif op is sre_c.SUBPATTERN:
            if _nested_unbounded(arg[-1], inside=inside):
                return True
        elif op is sre_c.BRANCH:
            if any(_nested_unbounded(b, inside=inside) for b in arg[1]):
                return True
        elif op in (sre_c.ASSERT, sre_c.ASSERT_NOT):
            if _nested_unbounded(arg[1], inside=inside):
                return True
    return False
