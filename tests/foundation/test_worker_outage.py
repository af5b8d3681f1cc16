"""Production workers ride out a Redis restart: a Redis of this test's own (a real
redis-server on a free port) is stopped and started again empty while the service runs;
the workers come back by themselves and what arrived meanwhile is handled."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from bot.models import WelcomeOutcome
from bot.settings import Settings
from tests.harness.redis_server import AVAILABLE, private_redis
from tests.harness.service import sandbox_of, services_of, serving
from tests.harness.waiting import wait_for

pytestmark = pytest.mark.skipif(not AVAILABLE,
                                reason="needs redis-server to run a Redis of its own")


async def _welcomed(euid: str) -> bool:
    return await WelcomeOutcome.filter(external_userid=euid, outcome="sent").exists()


@pytest.mark.parametrize("mode_settings", ["production"], indirect=True)
async def test_workers_come_back_after_redis_restarts_empty(
    mode_settings: Callable[..., Settings],
) -> None:
    async with private_redis() as redis:
        settings = mode_settings(redis_url=redis.url, inbox_sweep_seconds=1,
                                 inbox_stale_seconds=1)
        async with serving(settings) as client:
            sandbox = sandbox_of(client)
            await sandbox.staff_adds_customer("zhangwei", "wmBefore")
            await wait_for(lambda: _welcomed("wmBefore"))

            await redis.stop()
            await asyncio.sleep(1.0)  # the workers' polls fail meanwhile
            await redis.start()
            # A new contact right after: its welcome (a job) goes out within its 20 s.
            await sandbox.staff_adds_customer("lina", "wmAfter")
            await wait_for(lambda: _welcomed("wmAfter"), timeout=18)


@pytest.mark.parametrize("mode_settings", ["production"], indirect=True)
async def test_the_sweep_requeues_a_row_whose_crashed_job_is_still_on_record(
    mode_settings: Callable[..., Settings],
) -> None:
    """A worker killed mid-job leaves the job's id on record in arq for up to a day; the
    sweep must still get the row handled, not re-use the id arq refuses."""
    from datetime import timedelta

    from bot.infra.clock import utcnow
    from bot.models import InboxEvent, InboxStatus
    from bot.pipeline.inbox import NewEvent
    from bot.pipeline.processing import sweep_inbox
    from tests.harness.callbacks import Signed

    settings = mode_settings()
    async with serving(settings) as client:
        services = services_of(client)
        plaintext = Signed(settings).text_message("帮助", user="zhangwei")
        row_id = await services.inbox.store(NewEvent(
            app="main", dedupe_key="crashed:1", fmt="xml", event_type="text",
            time_boxed=False, plaintext=plaintext))
        assert row_id is not None
        # The crashed job: still on record under the row's id, never to run in this test.
        assert await services.queue.enqueue("process_inbox", row_id, job_id=f"inbox:{row_id}",
                                            defer=3600)
        await InboxEvent.filter(id=row_id).update(
            enqueued_at=utcnow() - timedelta(seconds=settings.inbox_stale_seconds + 5))
        assert await sweep_inbox(services) == 1

        async def done() -> bool:
            return (await InboxEvent.get(id=row_id)).status == InboxStatus.DONE

        await wait_for(done)
        assert [m for m in services.sandbox.inbox("zhangwei") if "可用命令" in str(m)]


@pytest.mark.parametrize("mode_settings", ["production"], indirect=True)
async def test_rows_whose_jobs_redis_lost_are_handled_when_it_is_back(
    mode_settings: Callable[..., Settings],
) -> None:
    """A Redis restarted empty loses every queued job: the workers re-queue what is pending
    when they are back on it, not only after ``inbox_stale_seconds`` (120 s here)."""
    from bot.models import InboxEvent, InboxStatus
    from bot.pipeline.inbox import NewEvent
    from tests.harness.callbacks import Signed

    async with private_redis() as redis:
        settings = mode_settings(redis_url=redis.url)
        assert settings.inbox_stale_seconds >= 120
        async with serving(settings) as client:
            services = services_of(client)
            plaintext = Signed(settings).text_message("帮助", user="zhangwei")
            row_id = await services.inbox.store(NewEvent(
                app="main", dedupe_key="lost-with-redis:1", fmt="xml", event_type="text",
                time_boxed=False, plaintext=plaintext))
            assert row_id is not None
            # Its job waits in Redis (deferred, so no worker takes it before the restart).
            assert await services.queue.enqueue("process_inbox", row_id,
                                                job_id=f"inbox:{row_id}", defer=3600)
            await redis.stop()
            await asyncio.sleep(1.5)
            await redis.start()

            async def done() -> bool:
                return (await InboxEvent.get(id=row_id)).status == InboxStatus.DONE

            await wait_for(done, timeout=20)
