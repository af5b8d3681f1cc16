"""The go-live checklist (``wecom-bot doctor``) from the console: the same checks, run by the
service with its own WeCom client, database and store."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from bot.doctor import diagnose
from bot.infra.db import ping_db
from bot.pipeline.outage_queries import summary as outage_summary
from bot.web.admin.framework import Api, ApiRequest

api = Api()


class DoctorCheck(BaseModel):
    id: str
    title: str
    status: Literal["ok", "warn", "fail", "skip"]
    message: str
    fix: str


class DoctorReport(BaseModel):
    ok: bool
    checks: list[DoctorCheck]


@api.route("GET", "/doctor", roles=("admin",), response=DoctorReport, tag="doctor")
async def run_doctor(req: ApiRequest) -> DoctorReport:
    """Check the configuration against the corp: secrets, trusted IP, visible range,
    permissions, kf accounts, callback URLs, clock, database and store, and what recent
    storage outages cost."""
    services = req.services
    settings = services.settings
    main = services.ports.main_app.name
    report = await diagnose(settings, services.wecom, main_app=main, database=ping_db,
                            redis=services.store.ping, outages=outage_summary)
    return DoctorReport(ok=report.ok, checks=[
        DoctorCheck(id=c.id, title=c.title, status=c.status, message=c.message, fix=c.fix)
        for c in report.checks])
