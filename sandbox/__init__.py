"""The WeCom sandbox: a simulated corp behind WeCom's own API, plus a callback driver.

    sandbox = Sandbox(settings.wecom, callback_base_url="http://127.0.0.1:8080")
    app.add_subapp("/sandbox-wecom", build_sandbox_app(sandbox))   # or run_sandbox(...)
    client = WeComClient(settings.wecom, store, base_url="http://127.0.0.1:8080/sandbox-wecom")
    await sandbox.customer_says(SEED_KF, customer_id, "你好")      # → kf_msg_or_event callback

Everything is in memory; ``clock`` is injectable (``SandboxClock().advance(s)``) so the
20 s / 48 h / daily rules can be exercised without sleeping. The sandbox depends on
``bot.protocol`` only; its configuration is anything shaped like ``config.CorpSpec``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import structlog
from aiohttp import web

from sandbox.aibot import AiBot
from sandbox.app_messages import AppMessages
from sandbox.config import AppSpec, CorpSpec
from sandbox.contact_listing import ContactListing
from sandbox.contact_ways import ContactWays
from sandbox.corp import Clock, Corp, Limits, SandboxClock
from sandbox.corp_tags import CorpTags
from sandbox.customer_groups import CustomerGroups
from sandbox.external_contacts import ExternalContacts
from sandbox.faults import Faults
from sandbox.group_owner import GroupOwner
from sandbox.http import build_sandbox_app
from sandbox.kf_endpoints import KfEndpoints
from sandbox.kf_sessions import KfSessions
from sandbox.mass_messaging import MassMessaging
from sandbox.model import SandboxError
from sandbox.seed import SEED_CUSTOMERS, SEED_KF, SEED_STAFF, seed
from sandbox.staff_login import StaffLogin

log = structlog.get_logger("sandbox")


class Sandbox:
    """The shared corp state (``corp``) and one part per area, each holding ``corp``.

    What people do (a customer writes, a member adds a customer, an owner confirms a 群发)
    is bound here from the parts, since tests, the playground and the demos script the
    world through it; state and the WeCom API handlers are reached on the parts.
    """

    def __init__(
        self,
        wecom: CorpSpec,
        *,
        clock: Clock | None = None,
        callback_base_url: str | None = None,
        callback_base_urls: Sequence[str] = (),
        limits: Limits | None = None,
        seed_world: bool = True,
        seed: int = 0,
        callback_retry_delay: float = 1.0,
        callback_timeout: float = 5.0,
    ) -> None:
        self.corp: Corp = Corp(
            wecom,
            clock=clock,
            callback_base_url=callback_base_url,
            callback_base_urls=callback_base_urls,
            limits=limits,
            seed=seed,
            callback_retry_delay=callback_retry_delay,
            callback_timeout=callback_timeout,
        )
        self.kf: KfSessions = KfSessions(self.corp)
        self.customer_groups: CustomerGroups = CustomerGroups(self.corp)
        self.group_owner: GroupOwner = GroupOwner(self.corp, self.customer_groups)
        self.kf_endpoints: KfEndpoints = KfEndpoints(self.corp, self.kf, self.customer_groups)
        self.contacts: ExternalContacts = ExternalContacts(self.corp)
        self.contact_ways: ContactWays = ContactWays(self.corp, self.contacts)
        self.corp_tags: CorpTags = CorpTags(self.corp)
        self.contacts.describe_tags = self.corp_tags.follow_tags
        self.contact_listing: ContactListing = ContactListing(self.corp,
                                                              self.corp_tags.follow_tags)
        self.mass_messaging: MassMessaging = MassMessaging(self.corp, self.customer_groups)
        self.app_messages: AppMessages = AppMessages(self.corp)
        self.aibot: AiBot = AiBot(self.corp)
        self.staff_login: StaffLogin = StaffLogin(self.corp)

        self.customer_says = self.kf.customer_says
        self.customer_clicks = self.kf.customer_clicks
        self.customer_enters = self.kf.customer_enters
        self.set_servicer_status = self.kf.set_servicer_status
        self.servicer_says = self.kf.servicer_says
        self.servicer_ends_session = self.kf.servicer_ends_session
        self.staff_adds_customer = self.contacts.staff_adds_customer
        self.customer_deletes_staff = self.contacts.customer_deletes_staff
        self.staff_deletes_customer = self.contacts.staff_deletes_customer
        self.staff_creates_group = self.customer_groups.staff_creates_group
        self.customer_joins_group = self.customer_groups.customer_joins_group
        self.customer_leaves_group = self.customer_groups.customer_leaves_group
        self.owner_renames_group = self.group_owner.owner_renames_group
        self.owner_edits_notice = self.group_owner.owner_edits_notice
        self.owner_hands_over = self.group_owner.owner_hands_over
        self.owner_dismisses_group = self.group_owner.owner_dismisses_group
        self.staff_edits_customer = self.contacts.staff_edits_customer
        self.customer_adds_unverified = self.contacts.customer_adds_unverified
        self.transfer_fails = self.contacts.transfer_fails
        self.customer_scans_code = self.contact_ways.customer_scans
        self.admin_edits_tags = self.corp_tags.admin_edits_tags
        self.staff_tags_customer = self.corp_tags.staff_tags_customer
        self.owner_confirms_task = self.mass_messaging.owner_confirms_task
        self.staff_says = self.app_messages.staff_says
        self.staff_clicks_card = self.app_messages.staff_clicks_card
        self.staff_mentions_aibot = self.aibot.staff_mentions_aibot
        # What people received, the API calls made, and the faults to inject into them.
        self.inbox = self.corp.inbox
        self.set_faults = self.corp.set_faults
        if seed_world:
            _seed(self.corp, self.kf)

    @property
    def calls(self) -> list[dict[str, Any]]:
        return self.corp.calls

    async def drain(self) -> None:
        """Wait until every callback delivery started so far has finished."""
        await self.corp.driver.drain()

    async def close(self) -> None:
        await self.corp.driver.close()

    def world(self) -> dict[str, Any]:
        corp = self.corp
        return {
            "corp_id": corp.corp_id,
            "apps": [
                {"name": a.name, "kind": a.kind, "agent_id": a.agent_id,
                 "callback_format": corp.admin[a.name].callback_format}
                for a in corp.apps.values()
            ],
            "staff": [asdict(s) for s in corp.staff.values()],
            "customers": [
                {"external_userid": c.external_userid, "name": c.name, "follow": list(c.follow)}
                for c in corp.customers.values()
            ],
            "kf_accounts": [
                {
                    "open_kfid": k.open_kfid,
                    "name": k.name,
                    "servicers": [asdict(s) for s in k.servicers.values()],
                }
                for k in self.kf.accounts.values()
            ],
            "groups": [
                {"chat_id": g.chat_id, "name": g.name, "owner": g.owner, "members": list(g.members)}
                for g in self.customer_groups.groups.values()
            ],
        }


_seed = seed

DEFAULT_PREFIX = "/_wecom_sandbox"


def mount_sandbox(
    parent: web.Application,
    sandbox: Sandbox,
    prefix: str = DEFAULT_PREFIX,
    *,
    listen_url: str | None = None,
) -> str:
    """Mount the sandbox in the service's own app (``api_base = "sandbox"``) and return the
    client's base_url. With ``listen_url`` (``http://{listen}``) the sandbox also knows its
    public address (for AI-bot response_urls) before the first request; set
    ``sandbox.corp.callback_base_url`` to the same URL so callbacks reach the service."""
    parent.add_subapp(prefix, build_sandbox_app(sandbox))
    if listen_url:
        sandbox.corp.public_base_url = listen_url.rstrip("/") + prefix
    return (listen_url or "").rstrip("/") + prefix


async def run_sandbox(
    host: str,
    port: int,
    wecom_config: CorpSpec,
    callback_base_url: str | None,
    **kw: Any,
) -> None:
    """``wecom-bot sandbox``: serve the sandbox on its own port until cancelled. Several serve
    processes: ``callback_base_urls=[...]`` in ``kw`` (see ``Corp.callback_base_urls``)."""
    sandbox = Sandbox(wecom_config, callback_base_url=callback_base_url, **kw)
    sandbox.corp.public_base_url = f"http://{host}:{port}"
    runner = web.AppRunner(build_sandbox_app(sandbox))
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    log.info("sandbox.started", host=host, port=port, corp_id=wecom_config.corp_id)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


__all__ = [
    "DEFAULT_PREFIX",
    "SEED_CUSTOMERS",
    "SEED_KF",
    "SEED_STAFF",
    "AppSpec",
    "CorpSpec",
    "Faults",
    "Limits",
    "Sandbox",
    "SandboxClock",
    "SandboxError",
    "build_sandbox_app",
    "mount_sandbox",
    "run_sandbox",
]
