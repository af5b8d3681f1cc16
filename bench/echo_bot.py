"""A bare 微信客服 echo bot: the floor ``bench/conversations.py`` measures the service against.

It does only the protocol work a kf reply needs: receive the ``kf_msg_or_event`` callback
(check its signature, decrypt it, answer 200), pull with ``kf/sync_msg`` (its Token, the
cursor kept in memory, one pull at a time per account, a callback during a pull making the
puller go round once more) and answer each customer text with ``kf/send_msg`` of a fixed
text. No database, no matcher, no outbox, no retries, no logs: what is left of a message's
cost once everything the service adds is taken away.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from aiohttp import web

from bot.protocol.crypto import WeComCrypto
from bot.protocol.safexml import parse_xml

REPLY = "收到，我们会尽快回复您。"


class EchoBot:
    def __init__(self, *, corp_id: str, secret: str, token: str, aes_key: str,
                 api_base: str) -> None:
        self.corp_id, self.secret, self.api_base = corp_id, secret, api_base.rstrip("/")
        self.crypto = WeComCrypto(token, aes_key, corp_id)
        self.session: aiohttp.ClientSession | None = None
        self.access_token: str | None = None
        self.cursors: dict[str, str] = {}
        self.pulling: dict[str, str | None] = {}  # account → the newest Token not pulled yet
        self.tasks: set[asyncio.Task[Any]] = set()
        self.sent = 0

    def routes(self, app: web.Application, path: str) -> None:
        app.router.add_post(path, self.callback)

    async def callback(self, request: web.Request) -> web.Response:
        q = request.query
        envelope = parse_xml(await request.read())
        plain = parse_xml(self.crypto.decrypt(q["msg_signature"], q["timestamp"], q["nonce"],
                                              str(envelope["Encrypt"])))
        if plain.get("Event") == "kf_msg_or_event":
            self._spawn(self.pull(str(plain["OpenKfId"]), str(plain["Token"])))
        return web.Response(text="")

    def _spawn(self, coro: Any) -> None:
        task = asyncio.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _call(self, api: str, body: dict[str, Any]) -> dict[str, Any]:
        assert self.session is not None
        async with self.session.post(f"{self.api_base}/cgi-bin/{api}",
                                     params={"access_token": self.access_token or ""},
                                     json=body) as resp:
            got: dict[str, Any] = await resp.json()
        if got.get("errcode"):
            raise RuntimeError(f"{api}: {got.get('errcode')} {got.get('errmsg')}")
        return got

    async def start(self) -> None:
        self.session = aiohttp.ClientSession()
        async with self.session.get(f"{self.api_base}/cgi-bin/gettoken",
                                    params={"corpid": self.corp_id,
                                            "corpsecret": self.secret}) as resp:
            self.access_token = str((await resp.json())["access_token"])

    async def close(self) -> None:
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)
        if self.session is not None:
            await self.session.close()

    async def pull(self, open_kfid: str, token: str) -> None:
        if open_kfid in self.pulling:  # the puller at work goes round once more
            self.pulling[open_kfid] = token
            return
        self.pulling[open_kfid] = token
        try:
            while (token := self.pulling[open_kfid]) is not None:
                self.pulling[open_kfid] = None
                has_more = True
                while has_more:
                    res = await self._call("kf/sync_msg", {
                        "cursor": self.cursors.get(open_kfid, ""), "token": token,
                        "open_kfid": open_kfid, "limit": 1000})
                    self.cursors[open_kfid] = res.get("next_cursor") or \
                        self.cursors.get(open_kfid, "")
                    has_more = bool(res.get("has_more"))
                    for item in res.get("msg_list") or []:
                        if item.get("origin") == 3 and item.get("msgtype") == "text":
                            self._spawn(self.answer(open_kfid, str(item["external_userid"])))
        finally:
            del self.pulling[open_kfid]

    async def answer(self, open_kfid: str, external_userid: str) -> None:
        await self._call("kf/send_msg", {"touser": external_userid, "open_kfid": open_kfid,
                                         "msgtype": "text", "text": {"content": REPLY}})
        self.sent += 1
