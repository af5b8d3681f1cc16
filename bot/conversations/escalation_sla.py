"""Escalation SLA timers on the business calendar: unclaimed cases are re-sent after
``sla_renotify_minutes`` and raised to the supervisor after ``sla_raise_minutes``, both
counted in working time (``business_hours``, keywords.workdays.WorkingHours)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.conversations.escalation import notify, supervisor
from bot.infra.logs import get_logger
from bot.models import Escalation, EscalationStatus
from bot.ports import Ports
from bot.settings import Settings
from keywords.workdays import WorkingHours

log = get_logger("bot.escalation")


async def _due(since: str, after: timedelta, hours: WorkingHours, at: datetime,
               **where: Any) -> list[Escalation]:
    """Open escalations whose ``since`` lies ``after`` of working time back. Working time
    never runs faster than the wall clock, so the query takes the wall-clock candidates."""
    rows = await Escalation.filter(status=EscalationStatus.OPEN, **where,
                                   **{f"{since}__lte": at - after}).order_by("id")
    return [e for e in rows if hours.add(getattr(e, since), after) <= at]


async def unclaimed_past_raise(settings: Settings, at: datetime) -> int:
    """How many open escalations are past their raise deadline (working time)."""
    after = timedelta(minutes=settings.conversations.sla_raise_minutes)
    hours = settings.working_hours
    created: list[datetime] = await Escalation.filter(  # type: ignore[assignment]
        status=EscalationStatus.OPEN, created_at__lte=at - after,
    ).values_list("created_at", flat=True)
    return sum(1 for c in created if hours.add(c, after) <= at)


async def check_sla(ports: Ports) -> tuple[int, int]:
    """Re-send unclaimed escalations after ``sla_renotify_minutes``, raise them to the
    account's supervisor after ``sla_raise_minutes``, both counted in working time
    (``business_hours``): nobody is paged outside it, and a case opened on a Friday evening
    is re-sent on Monday morning. Returns (renotified, raised)."""
    cfg = ports.settings.conversations
    hours = ports.settings.working_hours
    at = ports.clock.now()
    renotified = raised = 0
    if not hours.is_open(at):
        return renotified, raised  # what falls due now waits for the opening
    stale = await _due("notified_at", timedelta(minutes=cfg.sla_renotify_minutes), hours, at,
                       renotified_at=None)
    for esc in stale:
        try:
            await notify(ports, esc, attempt=1)
        except Exception as exc:  # e.g. its kf account is gone: the others still go out
            log.warning("escalation.sla_failed", escalation=esc.id, error=type(exc).__name__)
            continue
        esc.renotified_at = at
        await esc.save(update_fields=["renotified_at"])
        renotified += 1
    overdue = await _due("created_at", timedelta(minutes=cfg.sla_raise_minutes), hours, at,
                         raised_at=None)
    for esc in overdue:
        sup = supervisor(ports, esc.open_kfid)
        if sup:
            try:
                await notify(ports, esc, attempt=2, to=[sup])
            except Exception as exc:
                log.warning("escalation.sla_failed", escalation=esc.id,
                            error=type(exc).__name__)
                continue
        esc.raised_to, esc.raised_at = sup, at
        await esc.save(update_fields=["raised_to", "raised_at"])
        raised += 1
    ports.metrics.escalation_step("renotified", renotified)
    ports.metrics.escalation_step("raised", raised)
    if renotified or raised:
        log.info("escalation.sla", renotified=renotified, raised=raised)
    return renotified, raised
