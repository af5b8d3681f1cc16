"""One grep follows a message: every log line of a callback's journey — the callback, the
job that handles its row, the jobs that queues, the outbox sends — carries its inbox id."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from bot.models import InboxEvent
from bot.settings import Settings
from tests.harness.logs import json_log
from tests.harness.world import CUSTOMER, KF, load_sample_rules, world


def journey(lines: list[dict[str, Any]], inbox_id: int) -> list[dict[str, Any]]:
    return [e for e in lines if e.get("inbox_id") == inbox_id]


@pytest.mark.parametrize("mode_settings", ["production", "embedded"], indirect=True)
async def test_a_new_contact_is_followed_by_its_inbox_id(
    mode_settings: Callable[..., Settings],
) -> None:
    with json_log() as log:
        async with world(mode_settings()) as w:
            await w.sandbox.staff_adds_customer("zhangwei", "wmFollow01")
            await w.settle()
            row = await InboxEvent.get(event_type__startswith="change_external_contact")
            others = await InboxEvent.exclude(id=row.id).values_list("id", flat=True)
    mine = journey(log.lines(), row.id)
    events = [e["event"] for e in mine]
    assert "callback.receive" in events  # ingress
    assert "inbox.done" in events  # the job that handled the row
    sends = [e for e in mine if e["event"] == "outbox.finished"]
    assert [e["api"] for e in sends] == ["send_welcome_msg"]  # the outbox send
    assert any(e["event"] == "wecom.call" and e.get("api") ==
               "externalcontact/send_welcome_msg" for e in mine)
    # Every line about this row carries its id, and no other journey's line does.
    for e in log.lines():
        if e["event"] == "outbox.finished" and e["api"] == "send_welcome_msg":
            assert e.get("inbox_id") == row.id
        assert e.get("inbox_id") in (None, row.id, *others)
    assert "wmFollow01" not in "".join(str(e.get("inbox_id")) for e in mine)


@pytest.mark.parametrize("mode_settings", ["production"], indirect=True)
async def test_a_kf_message_is_followed_from_its_callback_to_the_reply(
    mode_settings: Callable[..., Settings],
) -> None:
    with json_log() as log:
        async with world(mode_settings()) as w:
            await load_sample_rules(w)
            await w.sandbox.customer_says(KF, CUSTOMER, "多久能发货")
            await w.wait_kf(1)
            await w.settle()
            callback = await InboxEvent.get(event_type="kf_msg_or_event")
            item = await InboxEvent.get(fmt="kf")
    lines = log.lines()
    first = journey(lines, callback.id)
    assert "callback.receive" in [e["event"] for e in first]
    # The pull the callback asked for (the kf_callback job).
    assert any(e["event"] == "wecom.call" and e.get("api") == "kf/sync_msg" for e in first)
    (link,) = [e for e in lines if e["event"] == "inbox.pulled"]
    assert link["pulled_by"] == callback.id and link["inbox_id"] == item.id
    second = journey(lines, item.id)
    assert "kefu.decided" in [e["event"] for e in second]
    assert [e["api"] for e in second if e["event"] == "outbox.finished"] == ["kf_send_msg"]


@pytest.mark.parametrize("mode_settings", ["production"], indirect=True)
async def test_a_send_the_sweep_picks_up_logs_under_the_journey_that_made_it(
    mode_settings: Callable[..., Settings],
) -> None:
    """A message made while handling inbox row N and sent later by a job that knows nothing
    of N (a retry, the sweep after a crash) still logs under N: the row keeps it."""
    from bot.delivery import outbox
    from bot.infra.logs import correlated

    with json_log() as log:
        async with world(mode_settings()) as w:
            with correlated(4242):
                row = await outbox.add(key="corr:swept", app="main", api="message_send",
                                       args={"msgtype": "text", "touser": ["zhangwei"],
                                             "payload": {"content": "你好"}},
                                       recipient="zhangwei")
            assert row.inbox_id == 4242
            await outbox.send_outbox(w.services, row.id)  # outside any journey
    sends = [e for e in log.lines() if e["event"] == "outbox.finished"
             and e.get("outbox_id") == row.id]
    assert sends and all(e.get("inbox_id") == 4242 for e in sends), sends


async def test_a_nested_journey_gives_the_outer_id_back() -> None:
    from bot.infra.logs import correlated, correlation_id

    async def inner() -> int | None:
        return correlation_id()

    assert correlation_id() is None
    with correlated(1):
        with correlated(2):
            assert correlation_id() == 2
            # A task started inside carries the id, and its own binding stays its own.
            assert await asyncio.create_task(inner()) == 2
        assert correlation_id() == 1
        with correlated(None):
            assert correlation_id() == 1
    assert correlation_id() is None
