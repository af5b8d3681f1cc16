"""Callback driver: encrypts what WeCom would send and POSTs it to the service.

WeCom's behaviour (protocol.md §2.1): 5 s timeout, any non-200 is a failure, 3 retries.
Each attempt is encrypted afresh (new nonce and ciphertext, same plaintext). WeCom has one
callback URL per app; a deploy of several ``serve`` processes puts a load balancer behind it.
Given several base URLs the driver plays that balancer: each POST (a first try or a retry)
goes to the next URL in turn, so a retry may reach another process than its first try did.
Each attempt records the URL it went to. Deliveries run
in the background; ``deliveries`` is the readable log, ``drain()`` waits for all of them.
A passive reply (encrypted XML/JSON body) is decrypted and handed to ``on_reply``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import structlog

from bot.protocol.crypto import CryptoError, WeComCrypto
from bot.protocol.safexml import XMLError, build_xml, parse_xml
from sandbox.config import AppSpec

log = structlog.get_logger("sandbox")

OnReply = Callable[[str], None]


@dataclass
class Delivery:
    id: int
    app: str
    label: str
    fmt: str
    status: str = "pending"  # pending | delivered | failed | skipped
    attempts: list[dict[str, Any]] = field(default_factory=list)
    reply: str | None = None  # the decrypted passive reply, if any
    reply_error: str | None = None
    plaintext: str = ""  # what was sent, so a reader can tell which event gave up

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "app": self.app,
            "label": self.label,
            "format": self.fmt,
            "status": self.status,
            "attempts": self.attempts,
            "reply": self.reply,
            "reply_error": self.reply_error,
            "plaintext": self.plaintext,
        }


class CallbackDriver:
    def __init__(
        self,
        corp_id: str,
        base_urls: Callable[[], Sequence[str]],
        *,
        timeout: float = 5.0,
        retries: int = 3,
        retry_delay: float = 1.0,
        answer_lost: Callable[[], bool] = lambda: False,
    ) -> None:
        self.corp_id = corp_id
        self._base_urls = base_urls  # the service's base URLs, taken in turn per POST
        self._turn = itertools.count()
        self.timeout = timeout
        self.retries = retries
        self.retry_delay = retry_delay
        self._answer_lost = answer_lost
        self.deliveries: list[Delivery] = []
        self._ids = itertools.count(1)
        self._tasks: set[asyncio.Task[None]] = set()
        self._session: aiohttp.ClientSession | None = None
        self._closed = False

    def crypto(self, app: AppSpec) -> WeComCrypto:
        receive_id = "" if app.kind == "aibot" else self.corp_id
        return WeComCrypto(
            app.token.get_secret_value(), app.encoding_aes_key.get_secret_value(), receive_id
        )

    def deliver(
        self, app: AppSpec, plaintext: str, fmt: str, label: str, on_reply: OnReply | None = None
    ) -> Delivery:
        d = Delivery(next(self._ids), app.name, label, fmt, plaintext=plaintext)
        self.deliveries.append(d)
        if not self._base_urls() or self._closed:
            # No service to call back (a bare sandbox), or the sandbox is shutting down: a
            # delivery now would open a session close() no longer sees.
            d.status = "skipped"
            return d
        task = asyncio.get_running_loop().create_task(self._run(d, app, plaintext, on_reply))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return d

    async def drain(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)
        if self._session is not None:
            await self._session.close()

    def _envelope(
        self, app: AppSpec, crypto: WeComCrypto, plaintext: str, fmt: str
    ) -> tuple[dict[str, str], bytes, str]:
        nonce = secrets.token_hex(8)
        timestamp = str(int(time.time()))
        encrypt, sig = crypto.encrypt(plaintext, nonce, timestamp)
        query = {"msg_signature": sig, "timestamp": timestamp, "nonce": nonce}
        if app.kind == "aibot":
            return query, json.dumps({"encrypt": encrypt}).encode(), "application/json"
        agent = "" if app.agent_id is None else str(app.agent_id)
        if fmt == "json":  # an app set to JSON: agentid is a string (protocol-2.md §9)
            body = {"tousername": self.corp_id, "encrypt": encrypt, "agentid": agent}
            return query, json.dumps(body).encode(), "application/json"
        xml = build_xml({"ToUserName": self.corp_id, "AgentID": agent, "Encrypt": encrypt})
        return query, xml.encode("utf-8"), "text/xml"

    async def _run(
        self, d: Delivery, app: AppSpec, plaintext: str, on_reply: OnReply | None
    ) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
        crypto = self.crypto(app)
        for attempt in range(self.retries + 1):
            if attempt:
                await asyncio.sleep(self.retry_delay)
            base = self._next_base_url()
            url = f"{base}/wecom/callback/{app.name}"
            query, body, ctype = self._envelope(app, crypto, plaintext, d.fmt)
            record: dict[str, Any] = {"at": time.time(), "status": None, "error": None,
                                      "url": base}
            d.attempts.append(record)
            try:
                async with self._session.post(
                    url,
                    params=query,
                    data=body,
                    headers={"Content-Type": ctype},
                    timeout=aiohttp.ClientTimeout(total=self.timeout),
                ) as resp:
                    record["status"] = resp.status
                    reply = await resp.read()
            except (aiohttp.ClientError, TimeoutError) as exc:
                record["error"] = type(exc).__name__
                continue
            if self._answer_lost():
                record["error"] = "AnswerLost"  # the service answered; WeCom never saw it
                continue
            if record["status"] == 200:
                d.status = "delivered"
                if reply.strip():
                    self._read_reply(d, crypto, reply, on_reply)
                return
        d.status = "failed"
        log.warning(
            "sandbox.callback.failed", app=app.name, label=d.label, attempts=len(d.attempts)
        )

    def _next_base_url(self) -> str:
        urls = self._base_urls()
        if not urls:  # unset while the callback waited for its retry
            return ""
        return urls[next(self._turn) % len(urls)].rstrip("/")

    def _read_reply(
        self,
        d: Delivery,
        crypto: WeComCrypto,
        raw: bytes,
        on_reply: OnReply | None,
    ) -> None:
        try:
            if d.fmt == "json":  # the AI bot, or an app set to JSON
                obj = json.loads(raw)
                parts = (obj["msgsignature"], obj["timestamp"], obj["nonce"], obj["encrypt"])
                if not all(isinstance(p, str) for p in parts):  # all four are strings
                    raise TypeError("JSON passive reply fields must be strings")
            else:
                x = parse_xml(raw)
                parts = (x["MsgSignature"], str(x["TimeStamp"]), x["Nonce"], x["Encrypt"])
            d.reply = crypto.decrypt(*parts)
        except (ValueError, KeyError, TypeError, XMLError, CryptoError) as exc:
            d.reply_error = type(exc).__name__
            return
        if on_reply is not None:
            on_reply(d.reply)
