"""Injected failures for /cgi-bin/ calls, deterministic for a given seed."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, fields
from typing import Any


@dataclass
class Faults:
    error_rate: float = 0.0  # share of calls answering errcode -1
    busy_burst: int = 0  # the next N calls answer -1
    rate_limit_burst: int = 0  # the next N calls answer 45009
    http5xx_rate: float = 0.0  # share of calls answering HTTP 503
    http5xx_burst: int = 0  # the next N calls answer HTTP 503
    lost_answer_burst: int = 0  # the next N calls take effect, then answer HTTP 503
    latency: float = 0.0  # seconds added to every call
    # Callbacks out: the share of attempts whose answer WeCom never gets in time (the
    # service got the callback; WeCom times out and sends it again).
    callback_lost_rate: float = 0.0
    paths: tuple[str, ...] = ()  # only these API paths ("kf/send_msg"); empty: all but gettoken
    seed: int = 0
    _rng: random.Random = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.paths = tuple(self.paths)
        self._rng = random.Random(self.seed)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.init}

    def draw(self, api: str) -> str | None:
        """None, "busy" (-1), "rate" (45009) or "http" (503) for this call."""
        if self.paths and api not in self.paths:
            return None
        if not self.paths and api == "gettoken":
            return None
        if self.http5xx_burst > 0:
            self.http5xx_burst -= 1
            return "http"
        if self.rate_limit_burst > 0:
            self.rate_limit_burst -= 1
            return "rate"
        if self.busy_burst > 0:
            self.busy_burst -= 1
            return "busy"
        if self.http5xx_rate and self._rng.random() < self.http5xx_rate:
            return "http"
        if self.error_rate and self._rng.random() < self.error_rate:
            return "busy"
        return None

    def draw_callback_lost(self) -> bool:
        """Whether this callback attempt's answer is lost (``callback_lost_rate``)."""
        return bool(self.callback_lost_rate) and self._rng.random() < self.callback_lost_rate

    def draw_lost_answer(self, api: str) -> bool:
        """Whether this call, already carried out, loses its answer (``lost_answer_burst``)."""
        if self.lost_answer_burst <= 0 or (self.paths and api not in self.paths):
            return False
        if api == "gettoken":
            return False
        self.lost_answer_burst -= 1
        return True
