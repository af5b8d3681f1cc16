"""What WeCom refuses that only an operator can fix (trusted IP, agent_id), for the console's
banner on every page: what happened, since when, and what to do."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel

from bot.web.admin.framework import Api, ApiRequest

api = Api()


class Alert(BaseModel):
    app: str
    errcode: int
    ip: str | None
    since: datetime
    title: str
    fix: str


class AlertsOut(BaseModel):
    alerts: list[Alert]


@api.route("GET", "/alerts", roles=("admin", "specialist", "viewer"), response=AlertsOut,
           tag="alerts")
async def list_alerts(req: ApiRequest) -> AlertsOut:
    """WeCom's refusals that wait for an operator (60020 untrusted IP, 301002 agent_id and
    secret of different apps); messages they hold back go out once fixed."""
    services = req.services
    found = await services.wecom.alerts.active(a.name for a in services.settings.wecom.apps)
    return AlertsOut(alerts=[
        Alert(app=a.app, errcode=a.errcode, ip=a.ip, since=datetime.fromtimestamp(a.since, UTC),
              title=a.title, fix=a.fix) for a in found])
