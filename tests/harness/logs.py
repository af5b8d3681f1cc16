"""The service's log as an operator reads it: JSON lines (the production renderer, with the
contextvars that carry correlation ids), collected while a block runs."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr
from typing import Any

from bot.infra.logs import configure_logging


class JsonLog:
    def __init__(self) -> None:
        self.buffer = io.StringIO()

    def lines(self) -> list[dict[str, Any]]:
        """Every JSON line written so far, in order (other output skipped)."""
        out = []
        for raw in self.buffer.getvalue().splitlines():
            if raw.startswith("{"):
                try:
                    out.append(json.loads(raw))
                except ValueError:
                    continue
        return out

    def text(self) -> str:
        return self.buffer.getvalue()


@contextmanager
def json_log(level: str = "debug") -> Iterator[JsonLog]:
    """Log as production does (JSON on stderr), into a buffer the test reads."""
    log = JsonLog()
    with redirect_stderr(log.buffer):
        configure_logging("json", level)
        yield log
