"""A tiny stand-in for our service's callback URL, for the sandbox's callback driver tests:
it decrypts what the sandbox sends (XML or JSON) and answers as told."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.protocol.crypto import WeComCrypto
from bot.protocol.safexml import parse_xml
from bot.settings import WeComConfig
from tests.harness.wecom_client import CORP


@dataclass
class Receiver:
    config: WeComConfig
    status: int = 200
    reply: str | None = None  # plaintext to answer with, encrypted
    got: list[tuple[str, Any, str]] = field(default_factory=list)  # (app, envelope, plaintext)
    hits: int = 0

    def crypto(self, name: str) -> WeComCrypto:
        app = self.config.app(name)
        assert app is not None
        rid = "" if app.kind == "aibot" else CORP
        return WeComCrypto(
            app.token.get_secret_value(), app.encoding_aes_key.get_secret_value(), rid
        )

    async def handle(self, request: web.Request) -> web.Response:
        self.hits += 1
        name = request.match_info["app"]
        q = request.query
        raw = await request.read()
        crypto = self.crypto(name)
        as_json = raw.lstrip().startswith(b"{")  # the AI bot, or an app set to JSON
        if as_json:
            envelope: Any = json.loads(raw)
            encrypt = envelope["encrypt"]
        else:
            envelope = parse_xml(raw)
            encrypt = envelope["Encrypt"]
        plaintext = crypto.decrypt(q["msg_signature"], q["timestamp"], q["nonce"], encrypt)
        self.got.append((name, envelope, plaintext))
        if self.status != 200:
            return web.Response(status=self.status)
        if self.reply is None:
            return web.Response(text="")
        if as_json:
            return web.Response(text=crypto.reply_json(self.reply, "n1", q["timestamp"]))
        return web.Response(text=crypto.reply_xml(self.reply, "n1", q["timestamp"]))
