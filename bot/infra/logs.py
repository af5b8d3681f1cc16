"""Structured logging (structlog) with a redaction processor.

Secrets, tokens, AES keys and message bodies never reach a log line: keys that can carry
them are masked wherever they appear, and query strings are scrubbed of credentials.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Mapping, MutableMapping
from typing import Any

import structlog

from bot.protocol.redaction import REDACTED, scrub_text

# Keys whose values are secret or are customer/staff message bodies.
SENSITIVE_KEYS = frozenset(
    {
        "secret",
        "corpsecret",
        "token",
        "access_token",
        "encoding_aes_key",
        "aes_key",
        "key",
        "password",
        "authorization",
        "api_key",
        "signature",
        "msg_signature",
        "echostr",
        "encrypt",
        "plaintext",
        "body",
        "content",
        "text",
        "message",
        "welcome_code",
        "response_url",
    }
)
_MAX_DEPTH = 4


def _redact(value: Any, depth: int = 0) -> Any:
    if depth > _MAX_DEPTH:
        return REDACTED
    if isinstance(value, str):
        return scrub_text(value)
    if value is None or isinstance(value, int | float):
        return value
    if isinstance(value, Mapping):
        return {
            k: (REDACTED if str(k).lower() in SENSITIVE_KEYS else _redact(v, depth + 1))
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_redact(v, depth + 1) for v in value]
    return value


def redact(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for k in list(event_dict):
        if k == "event":
            event_dict[k] = scrub_text(str(event_dict[k]))
        elif k.lower() in SENSITIVE_KEYS:
            event_dict[k] = REDACTED
        else:
            event_dict[k] = _redact(event_dict[k])
    return event_dict


def _stderr_logger(*_: Any) -> structlog.WriteLogger:
    # Resolved per logger, so a redirected sys.stderr (tests, daemons) is honoured. A write
    # per line, not print(): the same output for a little less work on every line.
    return structlog.WriteLogger(sys.stderr)


def configure_logging(fmt: str = "json", level: str = "info", *, cache: bool = False) -> None:
    """``cache``: each logger resolves its configuration once, on first use (a few µs a
    line); for a process that configures logging once, not for tests that reconfigure."""
    renderer: Any = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            redact,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping()[level.upper()]
        ),
        logger_factory=_stderr_logger,
        cache_logger_on_first_use=cache,
    )


def get_logger(name: str) -> Any:
    return structlog.get_logger(name)


# -- correlation: one callback's journey, followed by one grep ------------------------------

CORRELATION_KEY = "inbox_id"


def correlation_id() -> int | None:
    """The inbox row whose journey this code runs in (bound by the callback, the job that
    handles the row, and carried to the jobs they queue), if any."""
    value = structlog.contextvars.get_contextvars().get(CORRELATION_KEY)
    return value if isinstance(value, int) else None


def correlated(inbox_id: int | None) -> contextlib.AbstractContextManager[Any]:
    """Every log line inside carries ``inbox_id`` (structlog's contextvars, so tasks started
    inside inherit it)."""
    if inbox_id is None:
        return contextlib.nullcontext()
    return structlog.contextvars.bound_contextvars(**{CORRELATION_KEY: inbox_id})
