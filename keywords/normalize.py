"""Text normalization shared by rule terms and messages.

Per character: NFKC (full-width -> half-width, circled digits -> digits),
case-fold, traditional -> simplified Chinese, and whitespace, punctuation,
symbols and emoji are dropped. Working per character keeps an exact map from
normalized offsets back to the original text.

Traditional -> simplified uses OpenCC's own character table (TSCharacters,
first candidate) instead of OpenCC.convert(): convert() costs ~70 us per chat
message (too slow for the hot path) and its phrase table only changes a few
hundred idioms/names; a per-character table is ~50x faster, never changes
length, and is applied identically to rules and messages, which is what
matching needs.

Most chat text needs only one thing: separators dropped. Two regexes built at import
(which characters fold away, which fold to something else) let such text be normalized
and mapped back with no Python work per character; anything else takes the table path.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from pathlib import Path

# Letters, numbers and combining marks survive; everything else is a separator.
_KEEP_CATEGORIES = ("L", "N", "M")


def _load_t2s() -> dict[str, str]:
    import opencc

    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    table: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and len(parts[0]) == 1:
            first = parts[1].split(" ")[0]
            if len(first) == 1:
                table[parts[0]] = first
    return table


_T2S = _load_t2s()


def _keep(ch: str) -> bool:
    if "\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef":
        return False  # variation selectors (emoji presentation) are marks
    return unicodedata.category(ch)[0] in _KEEP_CATEGORIES


def fold_char(ch: str) -> str:
    """Normalized form of one character ("" when it is folded away)."""
    out = []
    for c in unicodedata.normalize("NFKC", ch).casefold():
        if _keep(c):
            out.append(_T2S.get(c, c))
    return "".join(out)


class _FoldTable(dict[int, str]):
    """str.translate() table filled lazily, so translate() runs in C."""

    def __missing__(self, key: int) -> str:
        value = fold_char(chr(key))
        self[key] = value
        return value


_TABLE = _FoldTable()

# Where the character classes are worked out: the BMP, surrogates aside. Other planes
# (emoji among them) count as changing and take the table path: a class reaching past
# the BMP makes re test its ranges one by one, which costs more than the table.
_CLASSIFIED = (range(0xD800), range(0xE000, 0x10000))


def _char_class(points: list[int]) -> str:
    spans: list[tuple[int, int]] = []
    for cp in points:
        if spans and spans[-1][1] == cp - 1:
            spans[-1] = (spans[-1][0], cp)
        else:
            spans.append((cp, cp))
    esc = re.escape
    return "".join(esc(chr(a)) if a == b else f"{esc(chr(a))}-{esc(chr(b))}" for a, b in spans)


def _classify() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(runs of characters folded away, any character folded to something else)."""
    stable = unicodedata.is_normalized
    dropped: list[int] = []
    changed: list[int] = []
    for cp in itertools.chain(*_CLASSIFIED):
        ch = chr(cp)
        if stable("NFKC", ch) and ch.casefold() == ch:  # decided without folding: quicker
            if not _keep(ch):
                dropped.append(cp)
            elif ch in _T2S:
                changed.append(cp)
            continue
        folded = fold_char(ch)
        if not folded:
            dropped.append(cp)
        elif folded != ch:
            changed.append(cp)
    astral = "\\U00010000-\\U0010ffff"
    return (re.compile(f"[{_char_class(dropped)}]+"),
            re.compile(f"[{_char_class(changed)}\\ud800-\\udfff]|[{astral}]"))  # fmt: skip


_DROPPED, _CHANGED = _classify()


def normalize(text: str) -> str:
    """Normalized text for matching (fast path, no offsets)."""
    if _CHANGED.search(text) is None:
        return _DROPPED.sub("", text)
    return text.translate(_TABLE)


class _MaskTable(dict[int, str]):
    """Per character: "\x00" dropped, "\x01" kept as one char, "\x02" expands."""

    def __missing__(self, key: int) -> str:
        n = len(_TABLE[key])
        value = "\x00" if n == 0 else "\x01" if n == 1 else "\x02"
        self[key] = value
        return value


_MASK = _MaskTable()
_DROPPED_RUN = re.compile("\x00+")


def offsets(text: str) -> list[int]:
    """For each normalized character, the index of its original character."""
    if _CHANGED.search(text) is None:
        kept: list[int] = []
        start = 0
        for run in _DROPPED.finditer(text):
            kept.extend(range(start, run.start()))
            start = run.end()
        kept.extend(range(start, len(text)))
        return kept
    mask = text.translate(_MASK)
    if "\x02" not in mask:  # common case, done in C: keep indexes whose mask is 1
        return list(itertools.compress(range(len(text)), mask.encode()))
    out: list[int] = []
    for i, ch in enumerate(text):
        out.extend([i] * len(_TABLE[ord(ch)]))
    return out


def gaps(text: str) -> set[int]:
    """Normalized positions where something was dropped (a separator)."""
    if _CHANGED.search(text) is None:
        return _between(_DROPPED.split(text))
    mask = text.translate(_MASK)
    if "\x02" not in mask:
        return _between(_DROPPED_RUN.split(mask))
    # Sentinels before and after the text: a drop at either end is a gap too.
    offs = [-1, *offsets(text), len(text)]
    return {p for p in range(len(offs) - 1) if offs[p + 1] - offs[p] > 1}


def _between(kept: list[str]) -> set[int]:
    """Where the runs fell that split() cut the kept pieces apart at (in C, no loop here:
    a run at either end leaves an empty piece, so it counts too)."""
    return set(itertools.accumulate(map(len, kept[:-1])))


def to_original(offs: list[int], start: int, end: int) -> tuple[int, int]:
    """Map a normalized span [start, end) to the original text."""
    if not offs or end <= start:
        pos = offs[start] if start < len(offs) else (offs[-1] + 1 if offs else 0)
        return pos, pos
    return offs[start], offs[end - 1] + 1
