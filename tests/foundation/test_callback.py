"""The callback path end to end: decrypt, store, acknowledge, process, in both modes (the
checks that refuse a callback are in test_callback_checks.py)."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.infra.clock import utcnow
from bot.models import InboxEvent, InboxStatus
from bot.pipeline.runners import InProcessRunner
from bot.protocol.events import TextMessage
from bot.protocol.safexml import parse_xml
from bot.routing import Router, text_is
from bot.settings import Settings
from tests.harness.callbacks import Signed, inbox_rows, post_callback
from tests.harness.service import services_of, serving
from tests.harness.waiting import wait_for


async def test_text_is_stored_acked_and_processed_once(
    mode_settings: Callable[..., Settings],
) -> None:
    settings = mode_settings()
    signed = Signed(settings)
    plaintext = signed.text_message("你好，请问什么时候发货", msg_id=4561255354251345929)
    async with serving(settings) as client:
        first = await post_callback(client, signed, plaintext)
        assert first.status == 200 and await first.read() == b""
        # WeCom's retry: the same plaintext, freshly encrypted (a different ciphertext).
        again = await post_callback(client, signed, plaintext)
        assert again.status == 200 and await again.read() == b""
        stored = await inbox_rows()
        assert [r.dedupe_key for r in stored] == ["msg:4561255354251345929"]
        assert stored[0].event_type == "text"

        async def done() -> bool:
            row = await InboxEvent.get(id=stored[0].id)
            return row.status == InboxStatus.DONE

        await wait_for(done)


async def test_help_gets_an_encrypted_passive_reply(
    mode_settings: Callable[..., Settings],
) -> None:
    settings = mode_settings()
    signed = Signed(settings)
    async with serving(settings) as client:
        resp = await post_callback(client, signed, signed.text_message("帮助", user="lisi"))
        assert resp.status == 200
        envelope = parse_xml(await resp.read())
        assert set(envelope) == {"Encrypt", "MsgSignature", "TimeStamp", "Nonce"}
        reply = parse_xml(signed.crypto.decrypt(
            envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"],
            envelope["Encrypt"]))
        assert reply["ToUserName"] == "lisi"
        assert reply["FromUserName"] == settings.wecom.corp_id
        assert reply["MsgType"] == "text"
        assert "帮助" in reply["Content"] and "可用命令" in reply["Content"]
        (row,) = await inbox_rows()
        assert row.status == InboxStatus.DONE


async def test_passive_handler_without_reply_runs_once_and_no_job_repeats_it(
    mode_settings: Callable[..., Settings],
) -> None:
    settings = mode_settings()
    signed = Signed(settings)
    calls: list[str] = []
    router = Router("quiet")

    @router.passive(TextMessage, filters=[text_is("note this")])
    async def quiet(event: TextMessage, ctx: Any) -> None:
        calls.append(event.content or "")

    async with serving(settings) as client:
        services = services_of(client)
        services.dispatcher.include(router, first=True)
        resp = await post_callback(client, signed, signed.text_message("note this", msg_id=77))
        assert resp.status == 200 and await resp.read() == b""
        (row,) = await inbox_rows()
        assert row.status == InboxStatus.DONE
        if isinstance(services.queue, InProcessRunner):
            await services.queue.join(5)
        await asyncio.sleep(0.3)  # a job, had one been queued, would have run by now
        assert calls == ["note this"]


async def test_aibot_help_in_group_gets_json_stream_reply(
    mode_settings: Callable[..., Settings],
) -> None:
    settings = mode_settings()
    signed = Signed(settings, "aibot")
    payload = json.dumps({
        "msgid": "CAIQ16HMjQYY" + secrets.token_hex(4), "aibotid": "AIBOTID", "chatid": "CHAT1",
        "chattype": "group", "from": {"userid": "wangwu"}, "response_url": "https://x/y",
        "msgtype": "text", "text": {"content": "@小助手 help"},
    }, ensure_ascii=False)
    async with serving(settings) as client:
        resp = await post_callback(client, signed, payload, app="aibot")
        assert resp.status == 200
        envelope = await resp.json()
        assert set(envelope) == {"encrypt", "msgsignature", "timestamp", "nonce"}
        reply = json.loads(signed.crypto.decrypt(
            envelope["msgsignature"], envelope["timestamp"], envelope["nonce"],
            envelope["encrypt"]))
        assert reply["msgtype"] == "stream" and reply["stream"]["finish"] is True
        assert "可用命令" in reply["stream"]["content"]


async def test_storage_failure_answers_503_so_wecom_retries(
    mode_settings: Callable[..., Settings],
) -> None:
    settings = mode_settings()
    signed = Signed(settings)
    async with serving(settings) as client:
        from bot.infra.db import connection

        conn = connection()
        await conn.execute_script("ALTER TABLE inbox_event RENAME TO inbox_event_away")
        try:
            resp = await post_callback(client, signed, signed.text_message("hello"))
            assert resp.status == 503
        finally:
            await conn.execute_script("ALTER TABLE inbox_event_away RENAME TO inbox_event")
        # The retry, once storage is back, is accepted.
        resp = await post_callback(client, signed, signed.text_message("hello", msg_id=42))
        assert resp.status == 200
        assert [r.dedupe_key for r in await inbox_rows()] == ["msg:42"]


async def test_handler_errors_are_retried_then_marked_failed(
    mode_settings: Callable[..., Settings],
) -> None:
    settings = mode_settings(job_max_tries=3)
    signed = Signed(settings)
    calls: list[str] = []
    router = Router("flaky")

    @router.on(TextMessage, filters=[text_is("flaky", "broken")])
    async def flaky(event: TextMessage, ctx: Any) -> None:
        calls.append(event.content or "")
        if event.content == "broken" or calls.count("flaky") < 2:
            raise RuntimeError("downstream hiccup")

    async with serving(settings) as client:
        services = services_of(client)
        services.dispatcher.include(router, first=True)
        if isinstance(services.queue, InProcessRunner):
            services.queue.delay = lambda attempt: 0.05
        await post_callback(client, signed, signed.text_message("flaky", msg_id=1))
        await post_callback(client, signed, signed.text_message("broken", msg_id=2))

        async def settled() -> bool:
            got = {r.dedupe_key: r for r in await inbox_rows()}
            return (got["msg:1"].status == InboxStatus.DONE
                    and got["msg:2"].status == InboxStatus.FAILED)

        await wait_for(settled, timeout=20)
        got = {r.dedupe_key: r for r in await inbox_rows()}
        assert calls.count("flaky") == 2
        assert calls.count("broken") == 3
        assert got["msg:2"].attempts == 3
        assert "downstream hiccup" in (got["msg:2"].last_error or "")


async def _stored_never_queued(services: Any, signed: Signed, msg_id: int) -> tuple[str, int]:
    """A text callback's row as a process leaves it that died between storing it and queuing
    its job: pending, no job. Returns the callback's plaintext and the row's id."""
    from bot.pipeline.inbox import NewEvent

    plaintext = signed.text_message("在吗", msg_id=msg_id)
    row_id = await services.inbox.store(NewEvent(
        app="main", dedupe_key=f"msg:{msg_id}", fmt="xml", event_type="text", time_boxed=False,
        plaintext=plaintext))
    assert row_id is not None
    return plaintext, row_id


async def test_sweeper_re_enqueues_rows_a_crash_left_pending(
    mode_settings: Callable[..., Settings],
) -> None:
    from datetime import timedelta

    from bot.pipeline.processing import sweep_inbox

    settings = mode_settings(inbox_stale_seconds=60)
    signed = Signed(settings)
    async with serving(settings) as client:
        services = services_of(client)
        _, row_id = await _stored_never_queued(services, signed, 77)
        row = await InboxEvent.get(id=row_id)
        assert await sweep_inbox(services) == 0  # not stale yet
        await InboxEvent.filter(id=row.id).update(enqueued_at=utcnow() - timedelta(minutes=5))
        assert await sweep_inbox(services) == 1

        async def done() -> bool:
            return (await InboxEvent.get(id=row.id)).status == InboxStatus.DONE

        await wait_for(done)
        assert await sweep_inbox(services) == 0


async def test_wecoms_retry_of_a_row_stored_but_never_queued_queues_it(
    mode_settings: Callable[..., Settings],
) -> None:
    """The serve that stored a callback died before queuing its job and before its ack:
    WeCom's retry finds the row stored and still pending, and queues it again, instead of
    leaving it to the sweep minutes later (the fault battery's kill-serve found one)."""
    from datetime import timedelta


    settings = mode_settings(inbox_stale_seconds=600)
    signed = Signed(settings)
    async with serving(settings) as client:
        services = services_of(client)
        plaintext, row_id = await _stored_never_queued(services, signed, 78)
        # Out of the sweeps' reach (a worker's start-up sweeps take rows queued 10 s ago):
        # only the retry can queue it here.
        await InboxEvent.filter(id=row_id).update(enqueued_at=utcnow() + timedelta(hours=1))
        queued: list[tuple[Any, ...]] = []
        enqueue = services.queue.enqueue

        async def spy(name: str, *args: Any, **kwargs: Any) -> Any:
            queued.append((name, *args))
            return await enqueue(name, *args, **kwargs)

        services.queue.enqueue = spy  # type: ignore[method-assign]
        # A retry right after the store: the request that stored it may still be at work
        # (a passive attempt), so it is not queued a second time.
        again = await post_callback(client, signed, plaintext)
        assert again.status == 200
        await services.settle()
        assert queued == []
        await InboxEvent.filter(id=row_id).update(received_at=utcnow() - timedelta(seconds=5))
        again = await post_callback(client, signed, plaintext)  # WeCom's retry, 5 s on
        assert again.status == 200 and await again.read() == b""

        async def done() -> bool:
            return (await InboxEvent.get(id=row_id)).status == InboxStatus.DONE

        await wait_for(done)
        assert queued == [("process_inbox", row_id)]
        assert [r.id for r in await inbox_rows()] == [row_id]


async def test_a_serve_starting_queues_rows_a_killed_serve_stored_and_never_queued(
    tmp_path: Path,
) -> None:
    """Production: a serve killed after acknowledging a callback but before queuing its job
    leaves a pending row no job will run; the next serve's start-up sweep queues it (the
    workers' own sweep takes only rows stale for minutes)."""
    from datetime import timedelta

    from bot.app import running
    from tests.harness.databases import prepare
    from tests.harness.settings import settings_factory

    await prepare("production", tmp_path)
    settings = settings_factory("production", tmp_path)()
    async with running(settings) as services:
        _, row_id = await _stored_never_queued(services, Signed(settings), 79)
        stored_at = utcnow() - timedelta(minutes=1)
        await InboxEvent.filter(id=row_id).update(enqueued_at=stored_at)
    async with running(settings):

        async def queued() -> bool:
            return (await InboxEvent.get(id=row_id)).enqueued_at > stored_at

        await wait_for(queued)
