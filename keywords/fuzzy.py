"""Opt-in homophone matching (`fuzzy: pinyin`): 按装 ~ 安装.

Rule word terms are indexed by every reading of every character (polyphones
expanded, capped), messages are read with each character's default reading,
and any window whose reading sequence equals an indexed key is a hit. Tones
are ignored. pypinyin is imported only when some rule asks for this.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .evaluate import Compiled
    from .matcher import _Scan

_MAX_VARIANTS = 32  # polyphone expansions per term


@lru_cache(maxsize=65536)
def _readings(ch: str) -> tuple[str, ...]:
    from pypinyin import Style, pinyin

    if not ("\u3400" <= ch <= "\u9fff"):
        return (ch,)
    return tuple(dict.fromkeys(pinyin(ch, style=Style.NORMAL, heteronym=True)[0]))


def _default(ch: str) -> str:
    return _readings(ch)[0]


class PinyinIndex:
    def __init__(self, rules: list[tuple[int, Compiled]]) -> None:
        self._index: dict[tuple[str, ...], list[tuple[int, tuple[str, int]]]] = {}
        for ri, c in rules:
            for kind in ("any", "all"):
                for ti, term in enumerate(getattr(c, kind)):
                    if len(term) < 2:
                        continue  # single-character homophones are mostly noise
                    combos = itertools.product(*(_readings(ch) for ch in term))
                    for key in itertools.islice(combos, _MAX_VARIANTS):
                        self._index.setdefault(key, []).append((ri, (kind, ti)))
        self._lengths = sorted({len(k) for k in self._index})

    def __len__(self) -> int:
        return len(self._index)

    def scan(self, scan: _Scan) -> set[int]:
        """Record homophone hits in `scan`; return the rules they touch."""
        norm = scan.norm
        reads = [_default(ch) for ch in norm]
        touched: set[int] = set()
        for n in self._lengths:
            for i in range(len(reads) - n + 1):
                for ri, key in self._index.get(tuple(reads[i : i + n]), ()):
                    found = scan.found.setdefault(ri, {})
                    if key not in found:
                        found[key] = (i, i + n)
                        scan.fuzzy.add((ri, key))
                    touched.add(ri)
        return touched
