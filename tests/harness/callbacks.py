"""Callbacks as WeCom sends them: encrypted (WXBizMsgCrypt), signed, in the app's envelope
(XML for a self-built app, JSON for an AI bot), and posted to the service."""

from __future__ import annotations

import json
import secrets
import time
import uuid

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from bot.models import InboxEvent
from bot.protocol.crypto import WeComCrypto
from bot.protocol.safexml import build_xml
from bot.settings import Settings


class Signed:
    """Builds callbacks for one app of ``settings``, the way WeCom sends them."""

    def __init__(self, settings: Settings, app: str = "main") -> None:
        cfg = settings.wecom.app(app)
        assert cfg is not None
        self.cfg = cfg
        self.corp_id = settings.wecom.corp_id
        self.crypto = WeComCrypto(
            cfg.token.get_secret_value(), cfg.encoding_aes_key.get_secret_value(),
            self.corp_id if cfg.kind == "app" else "",
        )

    def post(self, plaintext: str, *, timestamp: int | None = None, as_json: bool = False
             ) -> tuple[dict[str, str], bytes]:
        """The query parameters and body of a callback carrying ``plaintext``; ``as_json``:
        an app's JSON envelope (protocol-2.md §9; agentid a string)."""
        ts = str(int(time.time()) if timestamp is None else timestamp)
        nonce = secrets.token_hex(6)
        encrypt, sig = self.crypto.encrypt(plaintext, nonce, ts)
        params = {"msg_signature": sig, "timestamp": ts, "nonce": nonce}
        if self.cfg.kind == "aibot":
            return params, json.dumps({"encrypt": encrypt}).encode()
        if as_json:
            return params, json.dumps({"tousername": self.corp_id, "encrypt": encrypt,
                                       "agentid": str(self.cfg.agent_id or "")}).encode()
        body = build_xml({"ToUserName": self.corp_id, "AgentID": str(self.cfg.agent_id or ""),
                          "Encrypt": encrypt})
        return params, body.encode()

    def text_message(self, content: str, *, user: str = "zhangsan", msg_id: int | None = None
                     ) -> str:
        """The plaintext XML of a member's text message to the app."""
        return build_xml({
            "ToUserName": self.corp_id, "FromUserName": user, "CreateTime": int(time.time()),
            "MsgType": "text", "Content": content,
            "MsgId": str(msg_id if msg_id is not None else uuid.uuid4().int >> 65),
            "AgentID": self.cfg.agent_id or 0,
        })


async def post_callback(client: TestClient, signed: Signed, plaintext: str, app: str = "main",
                        *, timestamp: int | None = None, as_json: bool = False
                        ) -> ClientResponse:
    """Encrypt, sign and post ``plaintext`` to the app's callback URL."""
    params, body = signed.post(plaintext, timestamp=timestamp, as_json=as_json)
    return await client.post(f"/wecom/callback/{app}", params=params, data=body)


async def inbox_rows() -> list[InboxEvent]:
    """What the callbacks stored, oldest first."""
    return await InboxEvent.all().order_by("id")
