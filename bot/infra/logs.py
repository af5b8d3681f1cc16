"""Structured logging (structlog) with a redaction processor.

Secrets, tokens, AES keys and message bodies never reach a log line: keys that can carry
them are masked wherever they appear, and query strings are scrubbed of credentials.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from collections.abc import Mapping, MutableMapping
from typing import Any

import orjson
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


_PLAIN = (int, float, bool, type(None))
_SENSITIVE: dict[str, bool] = {}  # a key's verdict, by its spelling


def redact(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    # Every log line passes here: the common values (short strings, numbers) are taken in
    # the loop itself rather than through _redact's checks.
    for k, v in event_dict.items():
        sensitive = _SENSITIVE.get(k)
        if sensitive is None:
            sensitive = k.lower() in SENSITIVE_KEYS
            if len(_SENSITIVE) < 4096:  # keys are the code's names: a few hundred
                _SENSITIVE[k] = sensitive
        if sensitive:
            event_dict[k] = REDACTED
        elif type(v) is str:
            if "=" in v:
                event_dict[k] = scrub_text(v)
        elif k == "event":  # the line's name: text, whatever it was given as
            event_dict[k] = scrub_text(str(v))
        elif type(v) not in _PLAIN:
            event_dict[k] = _redact(v)
    return event_dict


# Dataclasses go through repr as they did with the standard library: orjson would write
# every field, repr=False ones too (an event's raw payload).
_ORJSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATACLASS


def _json_line(obj: Any, **_: Any) -> str:
    """One log line as JSON: orjson (about 20x the standard library's speed on a line, and
    every callback writes one); what orjson cannot take (an int past 64 bits, say) goes
    through the standard library, with repr for what neither knows."""
    try:
        return orjson.dumps(obj, default=repr, option=_ORJSON_OPTIONS).decode()
    except TypeError:
        return json.dumps(obj, ensure_ascii=False, default=repr)


def _stderr_logger(*_: Any) -> structlog.WriteLogger:
    # Resolved per logger, so a redirected sys.stderr (tests, daemons) is honoured. A write
    # per line, not print(): the same output for a little less work on every line.
    return structlog.WriteLogger(sys.stderr)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (tests and daemons redirect it)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _: Any) -> None:
        pass


class _ClientErrorsQuiet(logging.Filter):
    """aiohttp logs a request it could not parse (an over-long URL, a broken header: the
    client's fault, answered 400) as an error with a traceback; a stranger could fill the
    log with them. They become one info line naming the error, without the request (kept
    only when the configured level shows info lines)."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if record.name.startswith("aiohttp") and exc is not None \
                and type(exc).__module__.startswith("aiohttp.http_exceptions"):
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.msg, record.args, record.exc_info, record.exc_text = (
                f"http.bad_request {type(exc).__name__}", None, None, None)
        return record.levelno >= self.level


def _route_stdlib(level: str, renderer: Any) -> None:
    """Libraries log through the standard library (aiohttp, arq, tortoise): their lines go
    through the same processors (redaction included) and renderer as ours, one JSON line
    each, instead of bare text and tracebacks."""
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            structlog.contextvars.merge_contextvars,
            structlog.stdlib.add_logger_name,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
        ],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            redact,
            renderer,
        ],
    )
    threshold = logging.getLevelNamesMapping()[level.upper()]
    handler = _StderrHandler()
    handler.setFormatter(formatter)
    handler.addFilter(_ClientErrorsQuiet(threshold))
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _StderrHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    # Libraries' own info lines (arq logs every job with its arguments) stay out, as before.
    root.setLevel(max(logging.WARNING, threshold))


def configure_logging(fmt: str = "json", level: str = "info", *, cache: bool = False) -> None:
    """``cache``: each logger resolves its configuration once, on first use (a few µs a
    line); for a process that configures logging once, not for tests that reconfigure."""
    renderer: Any = (
        structlog.processors.JSONRenderer(serializer=_json_line)
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    _route_stdlib(level, renderer)
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


class _Correlated:
    """Binds the id for the block and restores what was bound before: by the context
    variable's token (structlog's bound_contextvars copies the whole context on entry,
    a cost every callback paid)."""

    __slots__ = ("_inbox_id", "_tokens")

    def __init__(self, inbox_id: int) -> None:
        self._inbox_id = inbox_id

    def __enter__(self) -> None:
        self._tokens = structlog.contextvars.bind_contextvars(
            **{CORRELATION_KEY: self._inbox_id})

    def __exit__(self, *_: object) -> None:
        structlog.contextvars.reset_contextvars(**self._tokens)


def correlated(inbox_id: int | None) -> contextlib.AbstractContextManager[Any]:
    """Every log line inside carries ``inbox_id`` (structlog's contextvars, so tasks started
    inside inherit it)."""
    if inbox_id is None:
        return contextlib.nullcontext()
    return _Correlated(inbox_id)
