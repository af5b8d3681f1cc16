"""Every job by name: the same functions run on arq workers (production) and on the
in-process runner (embedded). Domain jobs get the ports; pipeline jobs the services."""

from __future__ import annotations

from typing import Any

from bot.conversations import escalation, welcome
from bot.conversations.escalation_sla import check_sla
from bot.customers import contact_sync
from bot.delivery import outbox
from bot.infra.logs import correlated, get_logger
from bot.orders import binding, grouptasks, kefu_notices
from bot.pipeline import inbox, reconcile
from bot.pipeline.processing import process_inbox, sweep_inbox
from bot.pipeline.pullers import archive_sync, kf_sync
from bot.pipeline.runners import JobFunc
from bot.runtime import Services

log = get_logger("bot.pipeline.registry")


async def kf_callback(services: Services, inbox_id: int, open_kfid: str,
                      token: str | None) -> None:
    """Job for a stored kf_msg_or_event row, its content passed along: the pull (idempotent,
    so no row lock and no read of the row), then the row is done. Should this job be lost,
    the sweeper takes the still pending row through ``process_inbox``."""
    with correlated(inbox_id):
        await kf_sync.request_pull(services, open_kfid, token)
        await services.inbox.mark_done(inbox_id)


async def inbox_prune(services: Services) -> int:
    """Every minute: the settled callbacks past ``inbox_keep_days`` deleted, batch after
    batch (``inbox.prune_settled``); the inbox would otherwise grow without end, its unique
    index with it, and keep every customer's words for ever."""
    deleted = await inbox.prune_settled(services.settings.inbox_keep_days)
    if deleted:
        log.info("inbox.pruned", rows=deleted)
    return deleted


async def kf_poll(services: Services) -> int:
    """Every minute: pull each known kf account in case a callback was missed."""
    return await kf_sync.poll_all(services)


async def kf_pull(services: Services, open_kfid: str, mark: str | None) -> int:
    """A puller that ran out of its time budget hands the rest to this job."""
    return await kf_sync.pull_job(services, open_kfid, mark)


async def escalation_sla(services: Services) -> tuple[int, int]:
    """Every minute: re-notify and raise unclaimed escalations."""
    return await check_sla(services.ports)


async def archive_poll(services: Services) -> int:
    """Every minute: pull the chat archive, when a source is configured."""
    return await archive_sync.poll(services)


def _with_ports(fn: JobFunc) -> JobFunc:
    """A domain job: it sees the ports, never the process's services."""
    async def run(services: Services, *args: Any) -> Any:
        return await fn(services.ports, *args)

    run.__qualname__ = run.__name__ = fn.__name__
    return run


async def kf_pull_if_left(services: Services, open_kfid: str) -> int:
    """A callback's check, a lock's ttl later, that its mark was not left to a dead puller."""
    return await kf_sync.pull_if_left(services, open_kfid)


JOBS: dict[str, JobFunc] = {
    "process_inbox": process_inbox,
    "kf_callback": kf_callback,
    "sweep_inbox": sweep_inbox,
    "send_outbox": outbox.send_job,
    "kf_poll": kf_poll,
    "inbox_prune": inbox_prune,
    "kf_pull": kf_pull,
    "kf_pull_if_left": kf_pull_if_left,
    "escalation_sla": escalation_sla,
    "archive_poll": archive_poll,
    "orders_flush_notice": _with_ports(grouptasks.flush),
    "orders_kefu_notice": _with_ports(kefu_notices.send_notice),
    "orders_join_way": _with_ports(binding.create_join_way),
    "escalation_hand_over": _with_ports(escalation.hand_over),
    "welcome_outcome": _with_ports(welcome.settle_outcome),
    "customers_sync": _with_ports(contact_sync.job),
    "customers_tick": _with_ports(contact_sync.tick),
    # After an outage: what WeCom gave up on, read back (bot.pipeline.outages records it).
    "reconcile_outages": reconcile.reconcile_outages,
    "outages_tick": reconcile.tick,
}
# Periodic jobs (besides the sweep): arq cron in production, bot.app's loop embedded.
PERIODIC = ("kf_poll", "escalation_sla", "archive_poll", "customers_tick", "outages_tick",
            "inbox_prune")
