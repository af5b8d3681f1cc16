"""``parse(plaintext)`` for decrypted callbacks and ``dedupe_key`` for the inbox."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from bot.protocol.safexml import XMLError, parse_xml

from .callback_events import SPLIT_BY_CHANGE_TYPE
from .fields import (
    AIBOT,
    APP_EVENTS,
    APP_MESSAGES,
    Event,
    EventParseError,
    Fmt,
    UnknownEvent,
    build,
    to_str,
)


def parse(plaintext: str | bytes, *, fmt: Fmt = "xml") -> Event:
    """Parse a decrypted callback into its typed event.

    ``fmt="xml"`` for app / 客户联系 / 微信客服 callbacks, ``fmt="app-json"`` for the same
    callbacks when the app is set to JSON (keys are the XML element names; numbers may come
    as JSON numbers or strings), ``fmt="aibot"`` for the AI bot's own JSON.
    A well-formed payload of an unmodelled kind gives :class:`UnknownEvent`; only text that is
    not XML (with an ``<xml>`` root) or not a JSON object raises :class:`EventParseError`.
    """
    if fmt == "xml":
        try:
            data = parse_xml(plaintext)
        except XMLError as exc:
            raise EventParseError(f"not a WeCom XML payload: {exc}") from None
        return _from_app(data, fmt)
    if fmt == "app-json":
        return _from_app(_load_json(plaintext), fmt)
    if fmt == "aibot":
        return _from_aibot(_load_json(plaintext))
    raise ValueError(f"unknown fmt {fmt!r}")


def _name(value: Any) -> str:
    """A lower-cased routing component; "" if absent or if it could forge a dotted key."""
    name = (to_str(value) or "").strip().lower()
    return "" if "." in name else name


def _from_app(data: dict[str, Any], fmt: Fmt) -> Event:
    """An app callback (XML, or JSON with the same names): the converters read "7" and 7
    alike, so one set of field specs serves both."""
    msg_type = _name(data.get("MsgType"))
    event = change_type = ""
    if msg_type == "event":
        event = _name(data.get("Event"))
        key = event
        if event in SPLIT_BY_CHANGE_TYPE:
            change_type = _name(data.get("ChangeType"))
            key = f"{event}.{change_type}"
        cls = APP_EVENTS.get(key) if event else None
    else:
        cls = APP_MESSAGES.get(msg_type) if msg_type else None
    if cls is not None:
        return build(cls, data)
    return UnknownEvent(
        raw=data,
        fmt=fmt,
        msg_type=to_str(data.get("MsgType")),
        event_name=to_str(data.get("Event")),
        change_type=to_str(data.get("ChangeType")),
    )


def _load_json(plaintext: str | bytes) -> dict[str, Any]:
    try:
        data = json.loads(plaintext)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError
        raise EventParseError(f"not a JSON payload: {type(exc).__name__}") from None
    if not isinstance(data, dict):
        raise EventParseError("JSON payload is not an object")
    return data


def _from_aibot(data: dict[str, Any]) -> Event:
    msgtype = _name(data.get("msgtype"))
    event = data.get("event")
    event_name = _name(event.get("eventtype")) if isinstance(event, Mapping) else ""
    if msgtype == "event":
        cls = AIBOT.get(f"aibot.event.{event_name}") if event_name else None
    else:
        cls = AIBOT.get(f"aibot.{msgtype}") if msgtype else None
    if cls is not None:
        return build(cls, data)
    return UnknownEvent(
        raw=data,
        fmt="aibot",
        msg_type=to_str(data.get("msgtype")),
        event_name=to_str(event.get("eventtype")) if isinstance(event, Mapping) else None,
    )


MAX_DEDUPE_KEY = 80  # the inbox column's size


def dedupe_key(event: Event, plaintext: str | bytes) -> str:
    """The inbox key: ``msg:<MsgId>`` (app messages), ``aibot:<msgid>`` (AI bot),
    ``kf:<msgid>`` (sync_msg items), else ``sha256:<hex>`` of the decrypted plaintext.

    WeCom re-encrypts each retry with a new random prefix, so ciphertexts differ between
    retries but plaintexts do not: always pass the *decrypted* text.
    """
    msg_id = event.msg_id
    if msg_id:
        key = f"{event.dedupe_namespace}:{msg_id}"
        if len(key) <= MAX_DEDUPE_KEY and key.isprintable() and _utf8(key):
            return key
        # A MsgId no real message has (thousands of digits, NUL or lone surrogates, which
        # PostgreSQL cannot store): still one key per id, and one the column takes, so the
        # batch it is stored with is not refused.
        return f"{event.dedupe_namespace}:sha256:" + hashlib.sha256(
            str(msg_id).encode("utf-8", "surrogatepass")).hexdigest()[:48]
    if isinstance(plaintext, str):
        plaintext = plaintext.encode("utf-8", "surrogatepass")
    return "sha256:" + hashlib.sha256(plaintext).hexdigest()


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# Identifiers WeCom issues (a userid, an external_userid, a chat_id, an open_kfid, the corp
# id) are at most 64 characters; the columns that keep them are that wide.
ID_MAX = 64
ID_FIELDS = frozenset({
    "to_user_name", "from_user_name", "user_id", "external_user_id", "chat_id",
    "mem_change_list", "open_kfid", "external_userid", "servicer_userid", "from_userid",
})


def implausible_id(event: Event) -> str | None:
    """The field of ``event`` holding an identifier longer than WeCom ever issues (a forged
    or broken event: nothing real to act on, and no column could hold it), else None."""
    for name in ID_FIELDS:
        value = getattr(event, name, None)
        values = value if isinstance(value, tuple) else (value,)
        if any(isinstance(v, str) and len(v) > ID_MAX for v in values):
            return name
    return None
