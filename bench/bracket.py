"""A baseline measured beside each run: before the first run and after each one.

The host's speed drifts within a bench (minute to minute, by a third or more), so a run is
judged against the two baseline measurements nearest to it rather than one taken at the
start. Used by ``bench/callbacks.py`` (the bare aiohttp handler) and
``bench/conversations.py`` (the echo bot).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

B = TypeVar("B")
R = TypeVar("R")


def bracketed(baseline: Callable[[], B], runs: Iterable[Callable[[], R]]
              ) -> tuple[list[B], list[tuple[R, B, B]]]:
    """Every baseline measurement in order, and each run's result with the baselines just
    before and just after it."""
    bases = [baseline()]
    paired = []
    for run in runs:
        result = run()
        bases.append(baseline())
        paired.append((result, bases[-2], bases[-1]))
    return bases, paired
