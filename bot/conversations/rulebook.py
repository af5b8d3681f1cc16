"""The compiled matcher every process answers with, swapped in whole when rules change.

A change publishes the new revision on the store (Redis pub/sub in production, in process in
embedded mode); every process also polls the database revision each ``rules_poll_seconds``,
so a lost pub/sub message or a change made by the CLI in another process is picked up within
a second. Compiling happens beside the live matcher and the swap is one assignment, so no
message is ever matched against a half-built rule set.
"""

from __future__ import annotations

import asyncio
import contextlib
from importlib import resources

from bot.conversations import rules_store
from bot.infra.logs import get_logger
from bot.models import RuleChange, RuleRow
from bot.ports import LocalPorts, Store
from keywords import Matcher, RuleError, load_rules

log = get_logger("bot.rules")
CHANNEL = "rules:changed"
SAMPLE_ACTOR = "sample"


class RuleBook:
    def __init__(self) -> None:
        self.matcher = Matcher(())
        self.revision = -1
        self._lock = asyncio.Lock()

    async def load(self) -> None:
        async with self._lock:
            rev = await rules_store.revision()
            if rev == self.revision:
                return
            rows = await RuleRow.all().order_by("rule_id")
            try:
                rules = load_rules([r.body for r in rows])
            except RuleError as exc:  # cannot happen through the API; keep serving the old set
                log.error("rules.invalid_in_db", problems=len(exc.problems))
                return
            matcher = await asyncio.to_thread(Matcher, rules)
            self.matcher, self.revision = matcher, rev
            log.info("rules.loaded", revision=rev, rules=len(rules), version=matcher.version)

    async def safe_load(self) -> None:
        try:
            await self.load()
        except Exception as exc:
            log.warning("rules.reload_failed", error=type(exc).__name__)


async def watch_rules(book: RuleBook, store: Store, interval: float) -> None:
    """Reload on every published change, and poll in case one was missed."""
    async def listen() -> None:
        async for _ in store.subscribe(CHANNEL):
            await book.safe_load()

    listener = asyncio.create_task(listen())
    try:
        while True:
            await asyncio.sleep(interval)
            await book.safe_load()
    finally:
        listener.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await listener


async def changed(ports: LocalPorts) -> None:
    """After a committed change: this process reloads now, the others on the message."""
    await ports.rules.load()
    await ports.store.publish(CHANNEL, str(ports.rules.revision))


def sample_rules_text() -> str:
    return (resources.files("bot.conversations") / "sample_rules.yaml").read_text("utf-8")


async def load_sample_if_first_start() -> bool:
    """Embedded default: the sample rule set, once, when no rule was ever written."""
    if await RuleChange.exists():
        return False
    await rules_store.import_rules(sample_rules_text(), mode="merge", actor=SAMPLE_ACTOR)
    log.info("rules.sample_loaded")
    return True
