"""The simulated corp's shared state: apps and tokens, staff, customers, one-use codes, the
clock, limits and faults, the call log, what people received, and callbacks out.

Every part of the sandbox (kf, contacts, groups, 群发, app messages) holds this object.
"""

from __future__ import annotations

import json
import random
import string
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.protocol import errors as E
from bot.protocol.safexml import build_xml
from sandbox.config import AppSpec, CorpSpec
from sandbox.driver import CallbackDriver, Delivery
from sandbox.faults import Faults
from sandbox.media import Media
from sandbox.model import AppAdmin, Code, Customer, SandboxError, Staff

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

    def set(self, at: float) -> None:
        """Read ``at`` (a Unix time) now and run on from there: tests put the corp on a
        given day (a Friday evening, a holiday). Set it before the day's events."""
        self.offset = at - time.time()


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
    # The end of a session's msg_code (结束语/满意度评价): one message within 20 s
    # (protocol-2.md §6.3).
    kf_end_code_ttl: float = 20.0
    response_url_ttl: float = 3600.0
    media_ttl: float = 3 * DAY
    # media/uploadimg: 100 pictures a day per corp (SDK copies of docs 90256; the current
    # page's quota is unconfirmed: protocol-2.md §10). Past it: 45009, the sandbox's choice.
    uploadimg_per_day: int = 100
    group_member_cap: int = 500
    auto_confirm_after: float | None = None  # group tasks confirm themselves after N s
    # A new 群发 is "being dispatched" for a while: its look-ups answer 41063 (docs 90313;
    # how long WeCom takes is not published).
    groupmsg_dispatch_seconds: float = 2.0
    kf_over_limit: str = "event"  # "event": msg_send_fail fail_type 6; "error": 95001
    # WeCom returns the same access_token while it is valid (docs 91039); False issues a new
    # one each time (the old stays valid), so tests can show the service never relies on it.
    reuse_tokens: bool = True
    # The answer to a repeated kf msgid is not published (protocol-2.md §10): 40058, WeCom's
    # code for a bad msgid, unless a test asks for another.
    kf_duplicate_msgid_errcode: int = 40058


class Corp:
    def __init__(
        self,
        spec: CorpSpec,
        *,
        clock: Clock | None = None,
        callback_base_url: str | None = None,
        callback_base_urls: Sequence[str] = (),
        limits: Limits | None = None,
        seed: int = 0,
        callback_retry_delay: float = 1.0,
        callback_timeout: float = 5.0,
    ) -> None:
        self.corp_id = spec.corp_id
        self.clock: Clock = clock or SandboxClock()
        self.limits = limits or Limits()
        # The service's callback base URL. With several serve processes behind one URL (a
        # load balancer's, as WeCom knows one callback URL per app) ``callback_base_urls``
        # lists each process's, taken in turn per POST; the first is then the URL.
        self.callback_base_urls: tuple[str, ...] = tuple(callback_base_urls)
        self.callback_base_url = callback_base_url or next(iter(self.callback_base_urls), None)
        self.public_base_url = ""  # where the sandbox is reachable (response_url), set on start
        self.apps: dict[str, AppSpec] = {a.name: a for a in spec.apps}
        self.admin: dict[str, AppAdmin] = {a.name: AppAdmin() for a in spec.apps}
        # The address WeCom sees calls come from (the caller's NAT egress); None: the peer's.
        self.egress_ip: str | None = None
        self.rng = random.Random(seed)
        self.faults = Faults()
        self.staff: dict[str, Staff] = {}
        self.customers: dict[str, Customer] = {}
        self.codes: dict[str, Code] = {}
        # Temporary and permanent media, corp-wide (a media_id is shared by the corp's apps).
        self.media = Media(self)
        self.inboxes: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.calls: list[dict[str, Any]] = []
        self._tokens: dict[str, tuple[str, float]] = {}  # token → (app, expires_at)
        self._counters: dict[str, tuple[int, float]] = {}  # key → (count, window end)
        self._seq = 0
        self.driver = CallbackDriver(
            self.corp_id,
            self.callback_targets,
            timeout=callback_timeout,
            retry_delay=callback_retry_delay,
            answer_lost=lambda: self.faults.draw_callback_lost(),
        )

    def callback_targets(self) -> tuple[str, ...]:
        """Where callbacks go: each of ``callback_base_urls`` in turn, else the one URL."""
        if self.callback_base_urls:
            return self.callback_base_urls
        return (self.callback_base_url,) if self.callback_base_url else ()

    # -- ids and time ----------------------------------------------------------------------

    def now(self) -> float:
        return self.clock()

    def day(self, at: float | None = None) -> str:
        t = self.now() if at is None else at
        return time.strftime("%Y-%m-%d", time.gmtime(t + CST))

    def new_id(self, prefix: str, n: int = 24) -> str:
        alphabet = string.ascii_letters + string.digits
        return prefix + "".join(self.rng.choice(alphabet) for _ in range(n))

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    # -- people and one-use codes -------------------------------------------------------------

    def require_staff(self, userid: Any) -> Staff:
        s = self.staff.get(userid) if isinstance(userid, str) else None
        if s is None:
            raise SandboxError(E.INVALID_PARAM, "invalid userid")
        return s

    def set_direct_leader(self, userid: str, leader: str) -> None:
        """The admin sets a member's 直属上级 in the console ("" clears it)."""
        staff = self.require_staff(userid)
        if leader:
            self.require_staff(leader)
        staff.leader = leader

    def require_customer(self, external_userid: Any) -> Customer:
        c = self.customers.get(external_userid) if isinstance(external_userid, str) else None
        if c is None:
            raise SandboxError(E.INVALID_EXTERNAL_USERID, "invalid external_userid")
        return c

    def ensure_customer(self, external_userid: str) -> Customer:
        c = self.customers.get(external_userid)
        if c is None:
            c = Customer(external_userid, f"微信用户{len(self.customers) + 1}")
            self.customers[external_userid] = c
        return c

    def issue_code(self, kind: str, ttl: float, **target: Any) -> str:
        code = self.new_id("", 43)
        self.codes[code] = Code(code, kind, self.now(), ttl, dict(target))
        return code

    def take_code(self, code: Any, kinds: set[str], errcode: int, *,
                  used_errcode: int | None = None) -> Code:
        """A valid code of these kinds, else ``errcode`` (``used_errcode`` for one already
        used, where WeCom tells the two apart)."""
        c = self.codes.get(code) if isinstance(code, str) else None
        if c is not None and c.kind in kinds and c.used and used_errcode is not None:
            raise SandboxError(used_errcode, "code already used")
        # "Within N s" read strictly: at N s the code is gone (never more lenient than WeCom).
        if c is None or c.kind not in kinds or c.used or self.now() - c.issued_at >= c.ttl:
            raise SandboxError(errcode, "invalid, used or expired code")
        return c

    # -- apps and tokens -------------------------------------------------------------------

    def app_for_callbacks(self, kind: str = "app") -> AppSpec:
        for app in self.apps.values():
            if app.kind == kind:
                return app
        raise SandboxError(E.INVALID_PARAM, f"no app of kind {kind} to send callbacks to")

    def gettoken(self, corpid: str, secret: str) -> dict[str, Any]:
        if corpid != self.corp_id:
            raise SandboxError(E.INVALID_CORPID, "invalid corpid")
        app = next(
            (a for a in self.apps.values() if a.kind == "app" and secret
             and self.secret_of(a) == secret),
            None,
        )
        if app is None:
            raise SandboxError(E.INVALID_SECRET, "invalid credential, secret invalid")
        now = self.now()
        for token, (name, expires) in self._tokens.items():
            if self.limits.reuse_tokens and name == app.name and expires > now:
                # WeCom returns the same token while it is valid (docs 91039).
                return {"access_token": token, "expires_in": int(expires - now), "_app": app.name}
        token = self.new_id("", 64)
        self._tokens[token] = (app.name, now + self.limits.token_lifetime)
        return {
            "access_token": token,
            "expires_in": int(self.limits.token_lifetime),
            "_app": app.name,
        }

    def secret_of(self, app: AppSpec) -> str:
        reset = self.admin[app.name].secret
        return reset if reset is not None else app.secret.get_secret_value()

    def visible(self, app: str, userid: str) -> bool:
        """Whether a member is in the app's visible range (可见范围)."""
        users = self.admin[app].visible_users
        return users is None or userid in users

    def check_access(self, app: str, api: str, ip: str) -> None:
        """The console's settings for the app, as WeCom applies them to a call with its token:
        the trusted IPs (60020, with the IP WeCom saw in errmsg), then the API permissions
        of 客户联系 and 微信客服 (48002)."""
        admin = self.admin[app]
        if admin.trusted_ips is not None and ip not in admin.trusted_ips:
            raise SandboxError(E.UNTRUSTED_IP, self.errmsg("not allow to access from your ip",
                                                           E.UNTRUSTED_IP, ip))
        if (api.startswith("externalcontact/") and not admin.contact_api) or (
                api.startswith("kf/") and not admin.kf_api):
            raise SandboxError(E.NO_PERMISSION, self.errmsg("api forbidden", E.NO_PERMISSION,
                                                            ip))

    def errmsg(self, text: str, errcode: int, ip: str) -> str:
        """errmsg as WeCom words it (protocol-2.md, cross-cutting facts)."""
        hint = f"{int(self.now())}_{self.rng.randrange(10, 99)}_{self.new_id('', 16).lower()}"
        return (f"{text}, hint: [{hint}], from ip: {ip}, more info at "
                f"https://open.work.weixin.qq.com/devtool/query?e={errcode}")

    def check_token(self, token: str | None) -> AppSpec:
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

    # -- limits, faults and the call log --------------------------------------------------------

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
        self.faults = Faults(**kw)
        return self.faults

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

    def event_fields(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        """A contact/group event's fields with the header every event carries."""
        base: dict[str, Any] = {
            "ToUserName": self.corp_id,
            "FromUserName": "sys",
            "CreateTime": int(self.now()),
            "MsgType": "event",
        }
        return {**base, **fields}

    def emit_app(
        self,
        app: AppSpec,
        fields: Mapping[str, Any],
        label: str,
        on_reply: Callable[[str], None] | None = None,
    ) -> Delivery:
        """Call back a self-built app in the format its admin chose (接收消息格式,
        protocol-2.md §9): XML, or JSON with the element names as keys and numbers as JSON
        numbers, as in the official JSON sample. Lists (``MemChangeList.Item``) stay lists;
        how WeCom writes them in JSON is not published."""
        if self.admin[app.name].callback_format == "json":
            return self.emit(app, json.dumps(fields, ensure_ascii=False), "json", label,
                             on_reply)
        return self.emit(app, build_xml(fields), "xml", label, on_reply)

    def emit(
        self,
        app: AppSpec,
        plaintext: str,
        fmt: str,
        label: str,
        on_reply: Callable[[str], None] | None = None,
    ) -> Delivery:
        return self.driver.deliver(app, plaintext, fmt, label, on_reply)
