"""One bad callback must not fail the others stored with it (the inbox commits a burst
together): a validly signed message with an absurd MsgId is stored like any other."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot.models import InboxEvent
from bot.protocol.safexml import build_xml
from bot.settings import Settings
from tests.harness.callbacks import Signed, post_callback
from tests.harness.service import serving


async def test_a_5000_digit_msgid_does_not_fail_its_batch(
    mode_settings: Callable[..., Settings],
) -> None:
    settings = mode_settings()
    signed = Signed(settings)
    huge = "9" * 5000
    odd = build_xml({"ToUserName": settings.wecom.corp_id, "FromUserName": "zhangsan",
                     "CreateTime": 1700000000, "MsgType": "text", "Content": "hi",
                     "MsgId": huge, "AgentID": 1000002})
    async with serving(settings) as client:
        bodies = [signed.text_message(f"m{i}", msg_id=10_000 + i) for i in range(60)]
        bodies.insert(30, odd)
        answers = await asyncio.gather(*(post_callback(client, signed, b) for b in bodies))
        assert [a.status for a in answers] == [200] * len(bodies)
        assert await InboxEvent.all().count() == len(bodies)
        keys = await InboxEvent.all().values_list("dedupe_key", flat=True)
        assert all(len(k) <= 80 for k in keys)
        # The same absurd message again is the same message: stored once.
        assert (await post_callback(client, signed, odd)).status == 200
        assert await InboxEvent.all().count() == len(bodies)
