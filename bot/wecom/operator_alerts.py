"""What WeCom refuses that only an operator can fix: 60020 (the server's IP is not among the
app's 企业可信IP) and 301002 (the agent_id is not the app whose secret made the token).

Such a refusal is not a lost message: the outbox keeps the row and tries again with backoff.
The alert is kept in the store (so the serve process, every worker and the console see the
same), lasts while WeCom keeps refusing and expires a while after it stops; the log says it
once per interval per process, not once per refused call.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.infra.logs import get_logger
from bot.ports import Store
from bot.protocol import errors as E
from bot.protocol.errors import OperatorError

log = get_logger("bot.wecom.operator_alerts")

# An alert outlives the last refusal by this much: the outbox retries at most every
# MAX_BACKOFF seconds, so a problem still there is seen again before the alert expires.
ALERT_TTL = 30 * 60.0
LOG_INTERVAL = 5 * 60.0
# A trusted IP takes about a minute to take effect in WeCom (docs 90313, 60020).
MIN_BACKOFF, MAX_BACKOFF = 60.0, 600.0
# After a call that went through, the store is checked for a standing 60020 alert of its app
# at most this often (a read per successful call would cost every call a round trip).
CLEAR_CHECK_INTERVAL = 10.0


@dataclass(frozen=True)
class OperatorAlert:
    app: str
    errcode: int
    ip: str | None  # the egress IP WeCom saw (60020)
    since: float  # when WeCom first refused (epoch seconds)
    last: float

    @property
    def title(self) -> str:
        if self.errcode == E.UNTRUSTED_IP:
            return f"应用 {self.app} 的调用被企业微信拒绝：服务器 IP 不在企业可信IP中（60020）"
        return f"应用 {self.app} 的 agent_id 与 secret 不属于同一个应用（301002）"

    @property
    def fix(self) -> str:
        if self.errcode == E.UNTRUSTED_IP:
            ip = self.ip or "企业微信报告的出口 IP"
            return (f"把 IP {ip} 加到应用 {self.app} 的企业可信IP（企业微信管理后台 › "
                    "应用管理 › 该应用 › 企业可信IP），约 1 分钟后生效；待发消息会自动重试。")
        return (f"核对配置中应用 {self.app} 的 agent_id 和 secret：二者须取自管理后台同一个"
                "应用的详情页；改好后重启服务，待发消息会自动重试。")

    def backoff(self, now: float) -> float:
        """How long a refused message waits before its next try: as long as the problem has
        lasted, within [MIN_BACKOFF, MAX_BACKOFF]."""
        return min(MAX_BACKOFF, max(MIN_BACKOFF, now - self.since))


class OperatorAlerts:
    def __init__(self, store: Store, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.clock = clock
        self._logged: dict[tuple[str, int], float] = {}
        self._checked: dict[str, float] = {}

    @staticmethod
    def _key(app: str, errcode: int) -> str:
        return f"wecom:operator_alert:{app}:{errcode}"

    async def report(self, app: str, error: OperatorError) -> OperatorAlert:
        """WeCom refused ``app``'s call with ``error``: keep (or extend) the alert."""
        now = self.clock()
        key = self._key(app, error.errcode)
        earlier = await self.get(app, error.errcode)
        alert = OperatorAlert(app=app, errcode=error.errcode, ip=E.egress_ip(error.errmsg),
                              since=earlier.since if earlier else now, last=now)
        await self.store.set(key, json.dumps(alert.__dict__), ttl=ALERT_TTL)
        self._checked.pop(app, None)  # the next call that goes through checks at once
        logged = self._logged.get((app, error.errcode))
        if logged is None or now - logged >= LOG_INTERVAL:
            self._logged[(app, error.errcode)] = now
            log.warning("wecom.operator_alert", app=app, errcode=error.errcode, ip=alert.ip,
                        api=error.api, hint=error.hint)
        return alert

    async def went_through(self, app: str) -> None:
        """A call of ``app``'s with its access_token was answered: WeCom trusts this
        server's IP again, so a standing 60020 alert is over (readiness returns with it).
        301002 is not cleared here: only message/send checks the agent id; it expires."""
        now = self.clock()
        if now - self._checked.get(app, float("-inf")) < CLEAR_CHECK_INTERVAL:
            return
        self._checked[app] = now
        key = self._key(app, E.UNTRUSTED_IP)
        try:
            if await self.store.get(key) is None:
                return
            await self.store.delete(key)
        except Exception as exc:  # the call went through; the alert expires on its own
            log.info("wecom.operator_alert_check_failed", app=app, error=type(exc).__name__)
            return
        self._logged.pop((app, E.UNTRUSTED_IP), None)
        log.info("wecom.operator_alert_cleared", app=app, errcode=E.UNTRUSTED_IP)

    async def get(self, app: str, errcode: int) -> OperatorAlert | None:
        raw = await self.store.get(self._key(app, errcode))
        if raw is None:
            return None
        try:
            return OperatorAlert(**json.loads(raw))
        except (TypeError, ValueError):
            return None

    async def active(self, apps: Iterable[str]) -> list[OperatorAlert]:
        """The alerts standing now, for these apps."""
        found = []
        for app in apps:
            for code in sorted(E.OPERATOR_CODES):
                alert = await self.get(app, code)
                if alert is not None:
                    found.append(alert)
        return found
