"""Error codes WeCom answered that ``bot.protocol.errors`` does not name.

WeCom's error table is incomplete (protocol-2.md §10), so an unexpected code is a fact worth
seeing: each is logged once per process, with its scrubbed errmsg (WeCom's errmsg carries no
message text, only a reason, a hint and the caller's IP), and counted, so the service can
expose the counts (metrics, the doctor) through ``counts()``.
"""

from __future__ import annotations

from collections import Counter

from bot.infra.logs import get_logger
from bot.protocol.errors import KNOWN_CODES
from bot.protocol.redaction import scrub_text

log = get_logger(__name__)
_seen: Counter[int] = Counter()


def note(errcode: int, errmsg: str, api: str) -> None:
    if errcode == 0 or errcode in KNOWN_CODES:
        return
    first = errcode not in _seen
    _seen[errcode] += 1
    if first:
        log.warning("wecom.unknown_errcode", errcode=errcode, api=api.split("?", 1)[0],
                    errmsg=scrub_text(errmsg)[:300])


def counts() -> dict[int, int]:
    """How many times each unknown code was answered since the process started."""
    return dict(_seen)


def reset() -> None:
    """Forget the counts (tests)."""
    _seen.clear()
