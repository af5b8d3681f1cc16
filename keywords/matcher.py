"""The compiled matcher: one automaton, one private tokenizer, no I/O.

Per message: normalize (str.translate, in C), one overlapping Aho-Corasick pass
over every term of every rule, then work only on the rules the automaton
touched. Segmentation runs only when a word term (any/all) was found, and
regexes only when their literal prefilter (or no prefilter) lets them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick_rs

from . import normalize as nz
from .dump import rule_to_dict
from .evaluate import KIND_RANK, Compiled, Context, RawHit, evaluate, rank
from .fuzzy import PinyinIndex
from .model import SCOPE_KEYS, Rule
from .regexes import compile_pattern, gate_literal
from .segment import RJiebaSegmenter, boundaries, term_freqs

# Specificity: the strongest condition a rule has (all given ones must hold).
_WORD, _SUB, _EXCL, _GATE = range(4)


# Per automaton pattern: the rules using it as a word (with the term's key), a substring,
# an exclusion and a regex gate.
_Usage = tuple[
    tuple[tuple[int, tuple[str, int]], ...],
    tuple[tuple[int, int], ...],
    tuple[tuple[int, int], ...],
    tuple[tuple[int, int], ...],
]


class Hit(NamedTuple):
    """One term that hit (a NamedTuple: cheap to build on the hot path)."""

    kind: str  # exact | all | any | contains | regex | menu_id | fuzzy-any | fuzzy-all
    term: str  # the term (or pattern, menu id) as written in the rule
    start: int  # span in the ORIGINAL text; (0, 0) for menu_id
    end: int


@dataclass(frozen=True)
class Match:
    rule: Rule
    hits: tuple[Hit, ...]
    normalized: str
    won_over: tuple[str, ...] = ()  # ids of hitting rules ranked below this one


@dataclass(frozen=True)
class NearMiss:
    rule_id: str
    reasons: tuple[str, ...]
    hits: tuple[Hit, ...] = ()


@dataclass(frozen=True)
class Explanation:
    normalized: str
    tokens: tuple[str, ...]
    matches: tuple[Match, ...]
    near_misses: tuple[NearMiss, ...]


class _Scan:
    """Per-call scratch state (never shared, so the Matcher stays immutable)."""

    __slots__ = ("_bounds", "_gaps", "_offs", "_sorted", "excluded", "found", "fuzzy", "gated",
                 "m", "norm", "not_word", "text", "tokens")  # fmt: skip

    def __init__(self, m: Matcher, text: str, norm: str) -> None:
        self.m, self.text, self.norm = m, text, norm
        self._offs: list[int] | None = None
        self._bounds: set[int] | None = None
        self._gaps: set[int] | None = None
        self._sorted: list[int] = []
        self.tokens: list[str] | None = None
        # rule index -> {(kind, term_index): normalized span}
        self.found: dict[int, dict[tuple[str, int], tuple[int, int]]] = {}
        self.excluded: dict[int, list[int]] = {}
        self.not_word: dict[int, list[tuple[str, int]]] = {}
        self.gated: set[int] = set()
        self.fuzzy: set[tuple[int, tuple[str, int]]] = set()  # (rule, key) found by sound

    @property
    def offs(self) -> list[int]:
        if self._offs is None:
            self._offs = nz.offsets(self.text)
        return self._offs

    @property
    def gaps(self) -> set[int]:
        if self._gaps is None:
            self._gaps = nz.gaps(self.text)
        return self._gaps

    def is_word(self, start: int, end: int) -> bool:
        """Does norm[start:end] stand as a word (or run of words) for jieba?"""
        norm = self.norm
        # Never split a Latin/digit run: iphone is not in iphones (iphone 15 is fine).
        if start and _alnum(norm[start]) and _alnum(norm[start - 1]):
            if start not in self.gaps:
                return False
        if end < len(norm) and _alnum(norm[end - 1]) and _alnum(norm[end]):
            if end not in self.gaps:
                return False
        if self._bounds is None:
            self.tokens = self.m._seg.cut(norm)
            self._sorted = boundaries(self.tokens)
            self._bounds = set(self._sorted)
        if start in self._bounds and end in self._bounds:
            return True
        # Dropped separators (spaces, punctuation) are boundaries too.
        gaps = self.gaps
        if (start in self._bounds or start in gaps) and (end in self._bounds or end in gaps):
            return True
        # jieba's search mode also sees the 2-3 character dictionary words
        # inside a longer token (安装 in 安装时间); every word term is in the
        # private dictionary, so the same rule applies to them.
        i = bisect.bisect_right(self._sorted, start) - 1
        tok_start, tok_end = self._sorted[i], self._sorted[i + 1]
        return end <= tok_end and 2 <= end - start <= 3 and tok_end - tok_start > end - start

    def hits(self, raw: list[RawHit]) -> tuple[Hit, ...]:
        """Raw (normalized-span) hits -> Hit objects with original positions."""
        out = []
        for kind, term, start, end in raw:
            if kind == "menu_id":
                out.append(Hit(kind, term, 0, 0))
            else:
                out.append(Hit(kind, term, *nz.to_original(self.offs, start, end)))
        return tuple(out)


class Matcher:
    """Immutable compiled rule set; `match` is safe to call from any coroutine."""

    def __init__(self, rules: Iterable[Rule], *, regex_timeout: float = 0.02) -> None:
        self.rules: tuple[Rule, ...] = tuple(sorted(rules, key=lambda r: r.id))
        ids = [r.id for r in self.rules]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate rule ids")
        self.by_id: dict[str, Rule] = dict(zip(ids, self.rules, strict=True))
        # The scope keys some rule uses: a caller need not work out the others (a customer's
        # tags cost a query).
        self.scope_keys: frozenset[str] = frozenset(
            k for r in self.rules for k in SCOPE_KEYS if getattr(r.scope, k))
        self.regex_timeout = regex_timeout
        self._seg = RJiebaSegmenter()
        self._compiled: list[Compiled] = []
        patterns: dict[str, int] = {}
        usage: list[list[list[tuple[int, int]]]] = []  # pid -> kind -> [(rule, term)]
        self._exact: dict[str, list[int]] = {}
        self._menu: dict[str, list[int]] = {}
        self._always: list[int] = []  # regex rules without a literal prefilter
        word_terms: list[str] = []
        fuzzy_rules: list[int] = []

        def use(term: str, kind: int, ri: int, ti: int) -> None:
            pid = patterns.setdefault(term, len(patterns))
            if pid == len(usage):
                usage.append([[], [], [], []])
            usage[pid][kind].append((ri, ti))

        for ri, rule in enumerate(self.rules):
            w = rule.when
            c = Compiled(
                rule=rule,
                rank=min(KIND_RANK[k] for k in KIND_RANK if getattr(w, k)),
                exact=frozenset(nz.normalize(t) for t in w.exact),
                any=tuple(nz.normalize(t) for t in w.any),
                all=tuple(nz.normalize(t) for t in w.all),
                contains=tuple(nz.normalize(t) for t in w.contains),
                exclude=tuple(nz.normalize(t) for t in w.exclude),
                menu=frozenset(w.menu_id),
            )
            for kind in ("any", "all", "contains", "exclude"):
                for ti, orig in enumerate(getattr(w, kind)):
                    c.originals[(kind, ti)] = orig
            for ti, term in enumerate(c.any + c.all):
                use(term, _WORD, ri, ti)
            word_terms.extend(c.any + c.all)
            for ti, term in enumerate(c.contains):
                use(term, _SUB, ri, ti)
            for ti, term in enumerate(c.exclude):
                use(term, _EXCL, ri, ti)
            c.regex = tuple(compile_pattern(p) for p in w.regex)
            # A literal that normalization changes can only match the normalized
            # text in its normalized form, so the normalized literal is the gate.
            gates = [nz.normalize(gate_literal(p) or "") for p in w.regex]
            if gates and all(gates):
                c.gated = True
                for g in gates:
                    use(g or "", _GATE, ri, 0)
            elif gates:
                self._always.append(ri)
            for t in c.exact:
                self._exact.setdefault(t, []).append(ri)
            for mid in c.menu:
                self._menu.setdefault(mid, []).append(ri)
            if w.fuzzy and rule.enabled:
                fuzzy_rules.append(ri)
            self._compiled.append(c)

        self._seg.add_words(term_freqs(self._seg, word_terms))
        # Word hits carry their (kind, index) key ready-made: built once here, not per hit.
        self._usage: list[_Usage] = [
            (tuple((ri, self._word_key(ri, ti)) for ri, ti in u[_WORD]),
             tuple(u[_SUB]), tuple(u[_EXCL]), tuple(u[_GATE]))
            for u in usage
        ]  # fmt: skip
        self._ac = ahocorasick_rs.AhoCorasick(list(patterns)) if patterns else None
        self._fuzzy = PinyinIndex([(ri, self._compiled[ri]) for ri in fuzzy_rules]) or None

    def _word_key(self, ri: int, ti: int) -> tuple[str, int]:
        n_any = len(self._compiled[ri].any)
        return ("any", ti) if ti < n_any else ("all", ti - n_any)

    # -- public API --

    @functools.cached_property
    def version(self) -> str:
        """Fingerprint of the rule set (independent of load order)."""
        doc = json.dumps([rule_to_dict(r) for r in self.rules], ensure_ascii=False)
        return hashlib.sha256(doc.encode()).hexdigest()[:16]

    def match(
        self,
        text: str,
        *,
        channel: str | None = None,
        scope: Mapping[str, object] | None = None,
        at: dt.datetime | None = None,
        menu_id: str | None = None,
    ) -> Match | None:
        """The winning rule for this message, or None."""
        ctx = Context(channel, scope, _instant(at), menu_id)
        found = self._run(text, ctx, explain=False, first_only=True)[0]
        return found[0] if found else None

    def match_all(
        self,
        text: str,
        *,
        channel: str | None = None,
        scope: Mapping[str, object] | None = None,
        at: dt.datetime | None = None,
        menu_id: str | None = None,
    ) -> list[Match]:
        """Every hitting rule, in precedence order (best first)."""
        ctx = Context(channel, scope, _instant(at), menu_id)
        return self._run(text, ctx, explain=False, first_only=False)[0]

    def explain(
        self,
        text: str,
        *,
        channel: str | None = None,
        scope: Mapping[str, object] | None = None,
        at: dt.datetime | None = None,
        menu_id: str | None = None,
    ) -> Explanation:
        """For the admin rule tester: tokens, all matches, and why near misses missed."""
        ctx = Context(channel, scope, _instant(at), menu_id)
        matches, scan, misses = self._run(text, ctx, explain=True, first_only=False)
        assert scan is not None  # explaining always scans
        tokens = scan.tokens if scan.tokens is not None else self._seg.cut(scan.norm)
        return Explanation(scan.norm, tuple(tokens), tuple(matches), tuple(misses))

    # -- internals --

    def _run(
        self, text: str, ctx: Context, *, explain: bool, first_only: bool
    ) -> tuple[list[Match], _Scan | None, list[NearMiss]]:
        norm = nz.normalize(text)
        found = (self._ac.find_matches_as_indexes(norm, overlapping=True)
                 if self._ac is not None and norm else ())  # fmt: skip
        menu = ctx.menu_id
        if not (found or explain or self._always or self._fuzzy is not None
                or norm in self._exact or (isinstance(menu, str) and menu in self._menu)):
            return [], None, []  # most messages: no term of any rule in them, no scratch
        scan = _Scan(self, text, norm)
        cands = self._candidates(scan, found, ctx.menu_id)
        if explain:
            cands |= set(scan.excluded) | set(scan.not_word)
        results: list[tuple[tuple[object, ...], int, list[RawHit]]] = []
        misses: list[NearMiss] = []
        for ri in sorted(cands):
            ok, raw, reasons = evaluate(self._compiled[ri], ri, scan, ctx, explain)
            if ok:
                results.append((rank(self._compiled[ri], raw), ri, raw))
            elif explain and (
                raw
                or ri in scan.found
                or ri in scan.excluded
                or ri in scan.not_word
                or any(r.endswith("timed out") for r in reasons)
            ):
                misses.append(NearMiss(self.rules[ri].id, tuple(reasons), scan.hits(raw)))
        if not results and self._fuzzy is not None and norm:
            # Homophones are a fallback: only when nothing matched exactly.
            for ri in sorted(self._fuzzy.scan(scan)):
                ok, raw, _ = evaluate(self._compiled[ri], ri, scan, ctx, False)
                if ok:
                    results.append((rank(self._compiled[ri], raw), ri, raw))
        results.sort(key=lambda r: r[0])
        ids = [self.rules[ri].id for _, ri, _ in results]
        todo = results[:1] if first_only else results
        matches = [
            Match(self.rules[ri], scan.hits(raw), norm, tuple(ids[i + 1 :]))
            for i, (_, ri, raw) in enumerate(todo)
        ]
        return matches, scan, misses

    def _candidates(
        self, scan: _Scan, found: Sequence[tuple[int, int, int]], menu_id: object
    ) -> set[int]:
        cands: set[int] = set()
        norm = scan.norm
        if found:
            usage = self._usage
            for pid, s, e in found:
                words, subs, excls, gates = usage[pid]
                if words:
                    # One span, one answer: asked once, not once per rule using the term.
                    if scan.is_word(s, e):
                        for ri, key in words:
                            scan.found.setdefault(ri, {}).setdefault(key, (s, e))
                            cands.add(ri)
                    else:
                        for ri, key in words:
                            scan.not_word.setdefault(ri, []).append(key)
                for ri, ti in subs:
                    scan.found.setdefault(ri, {}).setdefault(("contains", ti), (s, e))
                    cands.add(ri)
                for ri, ti in excls:
                    scan.excluded.setdefault(ri, []).append(ti)
                for ri, _ti in gates:
                    scan.gated.add(ri)
                    cands.add(ri)
        cands.update(self._exact.get(norm, ()))
        if isinstance(menu_id, str):
            cands.update(self._menu.get(menu_id, ()))
        cands.update(self._always)
        return cands


def _alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _instant(at: object) -> dt.datetime | None:
    """The instant to judge hours at; None is "now", read only if some rule has hours."""
    if at is None:
        return None
    if not isinstance(at, dt.datetime):
        raise TypeError("at must be a datetime")
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)
