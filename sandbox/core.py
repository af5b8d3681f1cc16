"""Sandbox core: clock, ids, apps and tokens, faults, call log, inboxes, callbacks out."""

from __future__ import annotations

import random
import string
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from bot.protocol import errors as E
from bot.settings import AppConfig, WeComConfig
from sandbox.model import (
    Code,
    Customer,
    Group,
    GroupTask,
    JoinWay,
    KfAccount,
    KfSession,
    SandboxError,
    Staff,
)

if TYPE_CHECKING:
    from sandbox.driver import CallbackDriver, Delivery

Clock = Callable[[], float]
DAY = 24 * 3600.0
CST = 8 * 3600.0  # WeCom's days are natural days in China Standard Time


class SandboxClock:
    """Wall time plus an offset that tests and the playground can move forward."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@dataclass
class Faults:
    """Injected failures for /cgi-bin/ calls, deterministic for a given seed."""

    error_rate: float = 0.0  # share of calls answering errcode -1
    busy_burst: int = 0  # the next N calls answer -1
    rate_limit_burst: int = 0  # the next N calls answer 45009
    http5xx_rate: float = 0.0  # share of calls answering HTTP 503
    http5xx_burst: int = 0  # the next N calls answer HTTP 503
    lost_answer_burst: int = 0  # the next N calls take effect, then answer HTTP 503
    latency: float = 0.0  # seconds added to every call
    paths: tuple[str, ...] = ()  # only these API paths ("kf/send_msg"); empty: all but gettoken
    seed: int = 0


@dataclass
class Limits:
    token_lifetime: float = 7200.0
    api_per_minute: int = 10_000  # per corp and API (docs 90454)
    member_per_minute: int = 30  # app messages per member (excess silently dropped)
    member_per_hour: int = 1000
    kf_token_ttl: float = 600.0  # the kf callback Token: 10 minutes
    kf_tokenless_per_minute: int = 2  # sync_msg without the Token: "strict limits"
    kf_window: float = 48 * 3600.0
    kf_max_sends: int = 5
    kf_history: float = 3 * DAY
    welcome_ttl: float = 20.0
    kf_state_code_ttl: float = 48 * 3600.0
    response_url_ttl: float = 3600.0
    media_ttl: float = 3 * DAY
    group_member_cap: int = 500
    auto_confirm_after: float | None = None  # group tasks confirm themselves after N s
    kf_over_limit: str = "event"  # "event": msg_send_fail fail_type 6; "error": 95001


class SandboxBase:
    def __init__(
        self,
        wecom: WeComConfig,
        *,
        clock: Clock | None = None,
        callback_base_url: str | None = None,
        limits: Limits | None = None,
        seed: int = 0,
    ) -> None:
        self.wecom = wecom
        self.corp_id = wecom.corp_id
        self.clock: Clock = clock or SandboxClock()
        self.limits = limits or Limits()
        self.callback_base_url = callback_base_url
        self.public_base_url = ""  # where the sandbox is reachable (response_url), set on start
        self.apps: dict[str, AppConfig] = {a.name: a for a in wecom.apps}
        self._rng = random.Random(seed)
        self.faults = Faults()
        self._fault_rng = random.Random(0)
        self.staff: dict[str, Staff] = {}
        self.customers: dict[str, Customer] = {}
        self.kf_accounts: dict[str, KfAccount] = {}
        self.kf_sessions: dict[tuple[str, str], KfSession] = {}
        self.kf_messages: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.kf_msgids: set[tuple[str, str]] = set()
        # message/send duplicate check (protocol.md §5.1): content fingerprint → (msgid, until)
        self.app_sent: dict[str, tuple[str, float]] = {}
        self.kf_tokens: dict[str, tuple[str, float]] = {}  # token → (open_kfid, expires)
        self.codes: dict[str, Code] = {}
        self.groups: dict[str, Group] = {}
        self.join_ways: dict[str, JoinWay] = {}
        self.tasks: dict[str, GroupTask] = {}
        self.templates: dict[str, dict[str, Any]] = {}
        self.media: dict[str, tuple[str, float]] = {}  # media_id → (type, created_at)
        self.inboxes: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.dropped: list[dict[str, Any]] = []
        self.calls: list[dict[str, Any]] = []
        self._tokens: dict[str, tuple[str, float]] = {}  # token → (app, expires_at)
        self._counters: dict[str, tuple[int, float]] = {}  # key → (count, window end)
        self._seq = 0
        self.driver: CallbackDriver | None = None

    # -- ids and time ----------------------------------------------------------------------

    def now(self) -> float:
        return self.clock()

    def day(self, at: float | None = None) -> str:
        t = self.now() if at is None else at
        return time.strftime("%Y-%m-%d", time.gmtime(t + CST))

    def new_id(self, prefix: str, n: int = 24) -> str:
        alphabet = string.ascii_letters + string.digits
        return prefix + "".join(self._rng.choice(alphabet) for _ in range(n))

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    # -- apps and tokens -------------------------------------------------------------------

    def app_for_callbacks(self, kind: str = "app") -> AppConfig:
        for app in self.apps.values():
            if app.kind == kind:
                return app
        raise SandboxError(E.INVALID_PARAM, f"no app of kind {kind} to send callbacks to")

    def gettoken(self, corpid: str, secret: str) -> dict[str, Any]:
        if corpid != self.corp_id:
            raise SandboxError(E.INVALID_CORPID, "invalid corpid")
        app = next(
            (
                a
                for a in self.apps.values()
                if a.kind == "app" and secret and a.secret.get_secret_value() == secret
            ),
            None,
        )
        if app is None:
            raise SandboxError(E.INVALID_SECRET, "invalid credential, secret invalid")
        now = self.now()
        for token, (name, expires) in self._tokens.items():
            if name == app.name and expires > now:
                # WeCom returns the same token while it is valid (docs 91039).
                return {"access_token": token, "expires_in": int(expires - now), "_app": app.name}
        token = self.new_id("", 64)
        self._tokens[token] = (app.name, now + self.limits.token_lifetime)
        return {
            "access_token": token,
            "expires_in": int(self.limits.token_lifetime),
            "_app": app.name,
        }

    def check_token(self, token: str | None) -> AppConfig:
        if not token:
            raise SandboxError(E.MISSING_TOKEN, "access_token missing")
        item = self._tokens.get(token)
        if item is None:
            raise SandboxError(E.INVALID_TOKEN, "invalid access_token")
        name, expires = item
        if expires <= self.now():
            raise SandboxError(E.TOKEN_EXPIRED, "access_token expired")
        return self.apps[name]

    def invalidate_tokens(self, app: str | None = None) -> int:
        """Control: WeCom invalidates tokens early; the next call with them gets 40014."""
        gone = [t for t, (name, _) in self._tokens.items() if app is None or name == app]
        for t in gone:
            del self._tokens[t]
        return len(gone)

    # -- limits and faults ----------------------------------------------------------------

    def count(self, key: str, window: float) -> int:
        now = self.now()
        n, end = self._counters.get(key, (0, 0.0))
        if end <= now:
            n, end = 0, now + window
        self._counters[key] = (n + 1, end)
        return n + 1

    def limit_api(self, api: str) -> None:
        """Per corp and API: ``limits.api_per_minute`` (docs 90454), then 45009."""
        if self.count(f"api:{api}", 60.0) > self.limits.api_per_minute:
            raise SandboxError(E.FREQ_LIMIT, "api freq out of limit")

    def set_faults(self, **kw: Any) -> Faults:
        kw = {k: (tuple(v) if k == "paths" else v) for k, v in kw.items()}
        self.faults = Faults(**kw)
        self._fault_rng = random.Random(self.faults.seed)
        return self.faults

    def draw_fault(self, api: str) -> str | None:
        """None, "busy" (-1), "rate" (45009) or "http" (503) for this call."""
        f = self.faults
        if f.paths and api not in f.paths:
            return None
        if not f.paths and api == "gettoken":
            return None
        if f.http5xx_burst > 0:
            f.http5xx_burst -= 1
            return "http"
        if f.rate_limit_burst > 0:
            f.rate_limit_burst -= 1
            return "rate"
        if f.busy_burst > 0:
            f.busy_burst -= 1
            return "busy"
        if f.http5xx_rate and self._fault_rng.random() < f.http5xx_rate:
            return "http"
        if f.error_rate and self._fault_rng.random() < f.error_rate:
            return "busy"
        return None

    def draw_lost_answer(self, api: str) -> bool:
        """Whether this call, already carried out, loses its answer (``lost_answer_burst``)."""
        f = self.faults
        if f.lost_answer_burst <= 0 or (f.paths and api not in f.paths) or api == "gettoken":
            return False
        f.lost_answer_burst -= 1
        return True

    def log_call(self, method: str, api: str, app: str | None, errcode: int, status: int) -> None:
        self.calls.append(
            {
                "at": self.now(),
                "method": method,
                "path": api,
                "app": app,
                "errcode": errcode,
                "http_status": status,
            }
        )

    # -- inboxes and callbacks --------------------------------------------------------------

    def deliver(self, recipient: str, channel: str, sender: str, msgtype: str, **kw: Any) -> None:
        record = {"at": self.now(), "channel": channel, "from": sender, "msgtype": msgtype, **kw}
        self.inboxes[recipient].append(record)

    def inbox(self, recipient: str) -> list[dict[str, Any]]:
        """What a person (userid / external_userid) or a group (chat_id) has received."""
        return list(self.inboxes.get(recipient, []))

    def emit(
        self,
        app: AppConfig,
        plaintext: str,
        fmt: str,
        label: str,
        on_reply: Callable[[str], None] | None = None,
    ) -> Delivery | None:
        if self.driver is None:
            return None
        return self.driver.deliver(app, plaintext, fmt, label, on_reply)

    async def drain(self) -> None:
        """Wait until every callback delivery started so far has finished."""
        if self.driver is not None:
            await self.driver.drain()

    def world(self) -> dict[str, Any]:
        return {
            "corp_id": self.corp_id,
            "apps": [
                {"name": a.name, "kind": a.kind, "agent_id": a.agent_id} for a in self.apps.values()
            ],
            "staff": [asdict(s) for s in self.staff.values()],
            "customers": [
                {"external_userid": c.external_userid, "name": c.name, "follow": list(c.follow)}
                for c in self.customers.values()
            ],
            "kf_accounts": [
                {
                    "open_kfid": k.open_kfid,
                    "name": k.name,
                    "servicers": [asdict(s) for s in k.servicers.values()],
                }
                for k in self.kf_accounts.values()
            ],
            "groups": [
                {"chat_id": g.chat_id, "name": g.name, "owner": g.owner, "members": list(g.members)}
                for g in self.groups.values()
            ],
        }
