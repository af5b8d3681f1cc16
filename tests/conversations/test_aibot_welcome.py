"""The AI bot's enter_chat welcome is passive only (enter_chat has no response_url): answered
inside the callback, or, when that fails, recorded as not delivered without a failing job."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from typing import Any

from bot.models import InboxEvent, InboxStatus
from bot.ports import PassiveContext
from bot.protocol.events import AibotEnterChat
from bot.protocol.replies import TextReply, WelcomeReply
from bot.routing import Router
from bot.settings import Settings
from bot.web.appkeys import SERVICES
from tests.harness.callbacks import Signed, post_callback
from tests.harness.service import serving
from tests.harness.waiting import wait_for


def enter_chat() -> str:
    # docs 100719: an event callback; enter_chat carries no response_url.
    return json.dumps({"msgid": "ENTER" + secrets.token_hex(6), "aibotid": "AIBOTID",
                       "chattype": "single", "from": {"userid": "lina"},
                       "create_time": int(time.time()), "msgtype": "event",
                       "event": {"eventtype": "enter_chat"}})


async def test_enter_chat_welcome_is_a_passive_text(
    mode_settings: Callable[..., Settings],
) -> None:
    settings = mode_settings()
    signed = Signed(settings, "aibot")
    async with serving(settings) as client:
        resp = await post_callback(client, signed, enter_chat(), app="aibot")
        envelope = await resp.json()
        reply = json.loads(signed.crypto.decrypt(envelope["msgsignature"],
                                                 envelope["timestamp"], envelope["nonce"],
                                                 envelope["encrypt"]))
        assert reply == {"msgtype": "text",
                         "text": {"content": settings.conversations.aibot_welcome}}


async def test_failed_passive_welcome_ends_the_job_cleanly(
    mode_settings: Callable[..., Settings],
) -> None:
    settings = mode_settings(job_max_tries=3)
    signed = Signed(settings, "aibot")
    tries: list[str] = []
    router = Router("slow-welcome")

    @router.passive(AibotEnterChat)
    async def welcome(event: AibotEnterChat, ctx: PassiveContext) -> TextReply:
        # The passive try fails (as a timeout would); the job's run answers, with nowhere
        # to send it.
        tries.append("passive" if not tries else "job")
        if len(tries) == 1:
            raise TimeoutError
        return WelcomeReply("欢迎")

    async with serving(settings) as client:
        services: Any = client.app[SERVICES]
        services.dispatcher.include(router, first=True)
        resp = await post_callback(client, signed, enter_chat(), app="aibot")
        assert resp.status == 200 and await resp.read() == b""

        async def settled() -> InboxEvent | None:
            return await InboxEvent.get_or_none(status=InboxStatus.DONE)

        row = await wait_for(settled)
        assert row.attempts == 0  # not a failure to retry
        assert row.last_error == ("reply not delivered: AI-bot event has no response_url "
                                  "to reply to")
        assert tries == ["passive", "job"]
        assert not [c for c in services.sandbox.calls if c["path"] == "aibot/response"]
