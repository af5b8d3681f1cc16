"""The WeCom callback endpoint: verify, decrypt, store, acknowledge (DESIGN.md §2).

No WeCom API call happens here. A handler marked passive may answer inside the response
(an encrypted passive reply); everything else runs as a job after the 200.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from typing import Any

from aiohttp import web

from bot.infra.clock import utcnow
from bot.infra.logs import correlated, get_logger
from bot.pipeline import inbox
from bot.pipeline.inbox import NewEvent
from bot.pipeline.processing import enqueue_inbox
from bot.pipeline.pullers import kf_sync
from bot.ports import PassiveContext
from bot.protocol.crypto import CryptoError
from bot.protocol.events import (
    EventParseError,
    Fmt,
    KfMsgOrEvent,
    dedupe_key,
    implausible_id,
    parse,
)
from bot.protocol.replies import (
    Reply,
    TextReply,
    passive_aibot_plaintext,
    passive_app_plaintext,
    reply_of_record,
    reply_record,
)
from bot.protocol.safexml import XMLError, parse_xml
from bot.routing import AnswerActively
from bot.runtime import Services
from bot.settings import AppConfig
from bot.web.appkeys import SERVICES

log = get_logger("bot.callback")

# A passive reply must be ready well inside WeCom's 5 s; past this the job path answers.
PASSIVE_BUDGET_SECONDS = 1.0
# A retry finding its row still pending this long after it was stored: the request that
# stored it is over (its passive attempt included), so nothing but a dead process left the
# row without a job (WeCom retries 5 s after a callback it got no answer to).
REQUEUE_AFTER_SECONDS = PASSIVE_BUDGET_SECONDS + 1.0


class Reject(Exception):
    def __init__(self, status: int, reason: str) -> None:
        self.status = status
        self.reason = reason


def _app(request: web.Request) -> tuple[Services, AppConfig]:
    services = request.app[SERVICES]
    app = services.app(request.match_info["app"])
    if app is None:
        raise Reject(404, "unknown app")
    return services, app


def _params(request: web.Request, *names: str) -> list[str]:
    values = [request.query.get(n) for n in names]
    if any(v is None or v == "" for v in values):
        raise Reject(400, "missing query parameter")
    return [str(v) for v in values]


def _check_timestamp(services: Services, timestamp: str) -> None:
    max_age = services.settings.callback_max_age_seconds
    # Unix seconds, ASCII digits only: int() would also take "+5", " 5" or "５", and a
    # 400-digit number overflows the comparison below.
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
        raise Reject(403, "timestamp is not unix seconds")
    ts = int(timestamp)
    if max_age and abs(time.time() - ts) > max_age:
        raise Reject(403, "timestamp outside the accepted window")


def _empty(status: int) -> web.Response:
    return web.Response(status=status, body=b"")


async def verify_url(request: web.Request) -> web.Response:
    """GET: URL verification; answer the decrypted echostr as bare text (protocol.md §1.5)."""
    started = time.perf_counter()
    try:
        services, app = _app(request)
        sig, ts, nonce, echostr = _params(request, "msg_signature", "timestamp", "nonce", "echostr")
        _check_timestamp(services, ts)
        plain = services.cryptos[app.name].verify_url(sig, ts, nonce, echostr)
    except Reject as exc:
        _log("verify", request, exc.reason, exc.status, started)
        return _empty(exc.status)
    except CryptoError as exc:
        _log("verify", request, f"crypto {exc.code}", 403, started)
        return _empty(403)
    _log("verify", request, "verified", 200, started)
    return web.Response(body=plain.encode("utf-8"), content_type="text/plain", charset="utf-8")


async def _read_body(request: web.Request, limit: int) -> bytes:
    if request.content_length is not None and request.content_length > limit:
        raise Reject(413, "body too large")
    body = await request.content.read(limit + 1)
    if len(body) > limit:
        raise Reject(413, "body too large")
    return body


def _envelope(app: AppConfig, body: bytes) -> tuple[str, Fmt]:
    """The ``Encrypt`` field of the outer envelope, parsed safely (no DTDs, no entities), and
    the format the callback came in.

    A self-built app's callbacks are XML or, when an admin switched the app to JSON,
    ``{"tousername","encrypt","agentid"}`` (protocol-2.md §9); the switch can happen at any
    moment, so each request is taken as it comes, told apart by its first non-space byte
    (WeCom's Content-Type for either is not documented, so it is not relied on). An AI bot's
    callbacks are always JSON, decrypted with receiveid "" and parsed by their own schema.
    """
    first = body.lstrip()[:1]
    if first == b"{":
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise Reject(400, "envelope is not valid JSON") from None
        value = data.get("encrypt", data.get("Encrypt")) if isinstance(data, dict) else None
        fmt: Fmt = "aibot" if app.kind == "aibot" else "app-json"
    elif first == b"<" and app.kind != "aibot":
        try:
            value = parse_xml(body).get("Encrypt")
        except XMLError as exc:
            raise Reject(400, f"envelope rejected: {exc}") from None
        fmt = "xml"
    else:
        expected = "JSON" if app.kind == "aibot" else "XML or JSON"
        raise Reject(400, f"envelope is not {expected}")
    if not isinstance(value, str) or not value:
        raise Reject(400, "envelope has no Encrypt field")
    return value, fmt


async def receive(request: web.Request) -> web.Response:
    """POST: a callback. 200 once stored; 4xx for bad input; 503 if it cannot be stored."""
    started = time.perf_counter()
    fields: dict[str, Any] = {}
    try:
        services, app = _app(request)
        body = await _read_body(request, services.settings.max_body_bytes)
        sig, ts, nonce = _params(request, "msg_signature", "timestamp", "nonce")
        _check_timestamp(services, ts)
        encrypted, fmt = _envelope(app, body)
        crypto = services.cryptos[app.name]
        try:
            plaintext = crypto.decrypt(sig, ts, nonce, encrypted)
        except CryptoError as exc:
            raise Reject(403, f"crypto {exc.code}") from None
        try:
            event = parse(plaintext, fmt=fmt)
        except EventParseError:
            raise Reject(400, "decrypted payload is not parseable") from None
        key = dedupe_key(event, plaintext)
        fields = {"event_type": event.event_type, "dedupe_key": key}
        try:
            row_id = await services.inbox.store(NewEvent(
                app=app.name, dedupe_key=key, fmt=fmt, event_type=event.event_type,
                time_boxed=event.time_boxed, plaintext=plaintext,
            ))
        except Exception as exc:
            # WeCom retries for ~3 s, then gives up: the outage is recorded once storage is
            # back, and what can be read back is reconciled (bot.pipeline.outages).
            services.outages.refused(key, event.event_type)
            raise Reject(503, f"inbox unavailable: {type(exc).__name__}") from None
        if row_id is None:
            # WeCom retries a callback whose answer it never got: one we answered passively
            # gets the same reply again (a staff command's answer is not lost with it).
            earlier = await _earlier(key)
            if earlier is not None and earlier.passive_reply is not None:
                _log("receive", request, "replayed", 200, started, **fields)
                return _passive_response(services, app, event,
                                         reply_of_record(earlier.passive_reply), fmt)
            if earlier is not None and earlier.pending and (
                    utcnow() - earlier.received_at).total_seconds() > REQUEUE_AFTER_SECONDS:
                # The process that stored it may have died between the insert and queuing
                # its job (the ack follows the insert, the queuing the ack): queued again,
                # rather than left to the sweep minutes later. A job still queued refuses
                # the id; one that finds the row done does nothing.
                services.spawn(_requeue(services, earlier))
            _log("receive", request, "duplicate", 200, started, **fields)
            return _empty(200)
        fields["inbox_id"] = row_id
        # From here on every log line of this event's journey carries its inbox id: the
        # passive handler's, and the jobs queued for it (bot.pipeline.runners carries it).
        with correlated(row_id):
            handled, reply = await _try_passive(services, app, event)
            if handled:
                await services.inbox.mark_done(row_id)
                if reply is not None:
                    await _keep_reply(row_id, reply)
                    _log("receive", request, "replied", 200, started, **fields)
                    return _passive_response(services, app, event, reply, fmt)
                _log("receive", request, "handled", 200, started, **fields)
                return _empty(200)
            # The row is durable, so the ack need not wait for the queue: a lost enqueue
            # is picked up by the sweeper.
            services.spawn(_enqueue(services, row_id, event, key))
    except Reject as exc:
        _log("receive", request, exc.reason, exc.status, started, **fields)
        return _empty(exc.status)
    _log("receive", request, "stored", 200, started, **fields)
    return _empty(200)


async def _enqueue(services: Services, row_id: int, event: Any, key: str) -> None:
    try:
        if isinstance(event, KfMsgOrEvent) and event.open_kf_id:
            if await _at_work(services, event.open_kf_id, event.token):
                # The puller at work pulls for it: done, like a job finding the lock taken.
                try:
                    await services.inbox.mark_done(row_id)
                    return
                except Exception as exc:
                    # The database out for a moment: the job below marks it, retrying,
                    # rather than the sweep minutes later.
                    log.warning("callback.mark_failed", error=type(exc).__name__,
                                inbox_id=row_id)
            # Only "pull me": the job gets what it needs and need not read the row. Also
            # when the mark could not be set: the job sets it, rather than the sweep later.
            await services.queue.enqueue("kf_callback", row_id, event.open_kf_id, event.token,
                                         job_id=f"inbox:{row_id}")
        else:
            await enqueue_inbox(services, row_id, time_boxed=event.time_boxed)
    except Exception as exc:
        log.warning("callback.enqueue_failed", error=type(exc).__name__, inbox_id=row_id,
                    dedupe_key=key)


async def _at_work(services: Services, open_kfid: str, token: str | None) -> bool:
    """Whether the account's puller is at work (the mark set); False when the mark could
    not be set, so that a job pulls."""
    try:
        return await kf_sync.puller_at_work(services, open_kfid, token)
    except Exception as exc:
        log.warning("callback.mark_unavailable", error=type(exc).__name__)
        return False


async def _earlier(key: str) -> inbox.EarlierDelivery | None:
    try:
        return await inbox.earlier_delivery(key)
    except Exception as exc:  # the duplicate is acknowledged all the same
        log.warning("callback.replay_unavailable", error=type(exc).__name__)
        return None


async def _requeue(services: Services, earlier: inbox.EarlierDelivery) -> None:
    try:
        await enqueue_inbox(services, earlier.row_id, time_boxed=earlier.time_boxed)
    except Exception as exc:  # the sweeper finds the pending row later
        log.warning("callback.enqueue_failed", error=type(exc).__name__,
                    inbox_id=earlier.row_id)


async def _keep_reply(row_id: int, reply: Reply) -> None:
    try:
        await inbox.keep_passive_reply(row_id, reply_record(reply))
    except Exception as exc:  # the reply goes out all the same; only a retry would miss it
        log.warning("callback.reply_not_kept", inbox_id=row_id, error=type(exc).__name__)


async def _try_passive(
    services: Services, app: AppConfig, event: Any
) -> tuple[bool, Reply | None]:
    """Run a passive handler inside the request: (handled, its text reply or None).

    A handler that returns without raising has done its work, reply or not, so the job
    must not run it again (a second run would repeat its side effects).
    """
    route = services.dispatcher.route_for(event)
    if route is None or route.local_handler is None or implausible_id(event) is not None:
        # An id longer than WeCom issues: no handler runs; the job records it as not acted on.
        return False, None
    ctx = PassiveContext(app=app, corp_id=services.settings.wecom.corp_id,
                         ports=services.ports.local())
    try:
        async with asyncio.timeout(PASSIVE_BUDGET_SECONDS):
            result = await route.local_handler(event, ctx)
    except AnswerActively:
        log.info("callback.passive_declined", route=route.name)
        return False, None
    except Exception as exc:
        # The job runs the handler again and replies actively.
        log.warning("callback.passive_failed", route=route.name, error=type(exc).__name__)
        return False, None
    if result is not None and not isinstance(result, TextReply):
        # Only text fits a passive reply (passive handlers promise text or None, see
        # Router.passive); should one break that, the job runs it again and delivers actively.
        return False, None
    return True, result


def _passive_response(
    services: Services, app: AppConfig, event: Any, reply: Reply, fmt: Fmt
) -> web.Response:
    """The encrypted passive reply, in the format the callback came in."""
    crypto = services.cryptos[app.name]
    timestamp = str(int(time.time()))
    nonce = secrets.token_hex(8)
    if fmt == "aibot":
        body = crypto.reply_json(passive_aibot_plaintext(reply), nonce, timestamp)
        return web.Response(text=body, content_type="application/json")
    plaintext = passive_app_plaintext(
        reply, to_user=event.from_user_name or "", corp_id=services.settings.wecom.corp_id,
        as_json=fmt == "app-json",
    )
    if fmt == "app-json":
        return web.Response(text=crypto.reply_json(plaintext, nonce, timestamp),
                            content_type="application/json")
    return web.Response(text=crypto.reply_xml(plaintext, nonce, timestamp),
                        content_type="application/xml")


def _log(
    kind: str, request: web.Request, outcome: str, status: int, started: float, **fields: Any
) -> None:
    seconds = time.perf_counter() - started
    name = request.match_info.get("app")
    services = request.app[SERVICES]
    # Metric labels from closed sets: a configured app's name (a 404's path is anyone's
    # text), the 200 outcomes by name, any refusal by its status alone.
    app = name if name is not None and services.app(name) is not None else "unknown"
    services.metrics.callback(app, outcome if status == 200 else
                              ("unavailable" if status >= 500 else "rejected"), status, seconds)
    log.info(
        f"callback.{kind}",
        app=name,
        outcome=outcome,
        status=status,
        duration_ms=round(seconds * 1000, 2),
        **fields,
    )


def add_routes(app: web.Application) -> None:
    app.router.add_get("/wecom/callback/{app}", verify_url)
    app.router.add_post("/wecom/callback/{app}", receive)
