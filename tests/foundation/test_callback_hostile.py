"""Hostile callbacks get a prompt 4xx, never a 500 or a hang: absurd timestamps, an empty
body, envelopes nested thousands deep."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from bot.models import InboxEvent
from bot.settings import Settings
from tests.harness.callbacks import Signed
from tests.harness.service import serving


async def test_absurd_timestamps_empty_bodies_and_deep_envelopes(
    mode_settings: Callable[..., Settings],
) -> None:
    settings = mode_settings()
    signed = Signed(settings)
    async with serving(settings) as client:
        url = "/wecom/callback/main"
        for ts in ("9" * 400, "+1700000000", "１７００００００００", "-5"):
            q = {"msg_signature": "0" * 40, "timestamp": ts, "nonce": "n", "echostr": "x"}
            assert (await client.get(url, params=q)).status == 403, ts
            params, body = signed.post(signed.text_message("hi"))
            params["timestamp"] = ts
            assert (await client.post(url, params=params, data=body)).status == 403, ts
        params, _ = signed.post(signed.text_message("hi"))
        started = time.monotonic()
        resp = await asyncio.wait_for(client.post(url, params=params, data=b""), 5)
        assert resp.status == 400 and time.monotonic() - started < 2
        deep_xml = b"<xml>" + b"<a>" * 3000 + b"</a>" * 3000 + b"</xml>"
        deep_json = b"[" * 15000 + b"]" * 15000
        for body in (deep_xml, deep_json, b'{"encrypt":' + b"[" * 15000 + b"]" * 15000 + b"}"):
            assert len(body) < settings.max_body_bytes
            resp = await client.post(url, params=params, data=body)
            assert resp.status == 400, body[:20]
        assert await InboxEvent.all().count() == 0
