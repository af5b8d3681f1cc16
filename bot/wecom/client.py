"""WeCom API client: tokens, retries, rate limits; one method per endpoint.

Usage::

    client = WeComClient(settings.wecom, store, base_url=None)   # real WeCom or api_base
    main = client.app("main")          # an AppClient: per-app access_token
    await main.kf_send_msg(...)        # one method per endpoint (api_*.py)
    await client.aibot_respond(response_url, {...})   # AI bot active reply, no token
    await client.close()

``base_url`` wins over ``wecom.api_base``; with ``api_base = "sandbox"`` pass the URL the
sandbox is mounted at (``http://host:port{prefix}``). Paths are ``{base_url}/cgi-bin/...``.
No URL with ``access_token`` or ``corpsecret`` ever reaches an exception or a log line.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterable, Mapping
from email.utils import parsedate_to_datetime
from typing import Any

import aiohttp

from bot.infra.logs import get_logger
from bot.infra.metrics import NullRecorder, Recorder
from bot.infra.ratelimit import RateLimiter
from bot.ports import Store
from bot.protocol.errors import (
    INVALID_SECRET,
    KNOWN_CODES,
    RATE_LIMIT_CODES,
    SYSTEM_BUSY,
    TOKEN_CODES,
    LimiterBusy,
    OperatorError,
    TokenError,
    WeComAPIError,
    WeComError,
    WeComHTTPError,
    error_for,
)
from bot.settings import AppConfig, WeComConfig
from bot.wecom import unknown_codes
from bot.wecom.access_tokens import TokenManager
from bot.wecom.api_contact import ContactAPI
from bot.wecom.api_customer import CustomerAPI
from bot.wecom.api_kf import KfAPI
from bot.wecom.api_message import Downloads, MessageAPI
from bot.wecom.api_user import UserAPI
from bot.wecom.operator_alerts import OperatorAlerts
from bot.wecom.policy import RateLimits, RetryPolicy

log = get_logger(__name__)

WECOM_BASE = "https://qyapi.weixin.qq.com"
DataFactory = Callable[[], aiohttp.FormData]


# Creates WeCom does not deduplicate: after a failure the call may have reached WeCom through
# (a timeout, a 5xx), repeating it could create a second one, so the client does not; the
# outbox looks for the first before it tries again. A connection never made is safe to retry.
NOT_REPEATABLE = frozenset({"externalcontact/add_msg_template"})
_NEVER_SENT = "ClientConnectorError"


class _Transient(Exception):
    def __init__(self, detail: str, status: int | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.status = status


class WeComClient:
    def __init__(
        self,
        wecom: WeComConfig,
        store: Store,
        *,
        session: aiohttp.ClientSession | None = None,
        base_url: str | None = None,
        retry: RetryPolicy | None = None,
        limits: RateLimits | None = None,
        metrics: Recorder | None = None,
    ) -> None:
        if base_url is None:
            if wecom.is_sandbox:
                raise ValueError("api_base is 'sandbox': pass base_url= of the mounted sandbox")
            base_url = wecom.api_base or WECOM_BASE
        self.wecom = wecom
        self.store = store
        self.base_url = base_url.rstrip("/")
        self.retry = retry or RetryPolicy()
        self.limits = limits or RateLimits()
        self.limiter = RateLimiter(store)
        self.alerts = OperatorAlerts(store)
        self.metrics = metrics or NullRecorder()
        self._session = session
        self._owns_session = session is None
        self._closed = False
        self._apps: dict[str, AppClient] = {}
        # WeCom's clock: the Date header of its last answer, minus our clock halfway through
        # that call (seconds; the header has whole seconds, so ±1 s is noise).
        self.clock_skew: float | None = None
        self._date_seen: tuple[str, float] = ("", 0.0)  # the last Date header, parsed

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._closed:
            # A call after close() (work outliving the shutdown) would open a session nobody
            # closes any more.
            raise RuntimeError("the WeCom client is closed")
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
            self._owns_session = True
        return self._session

    async def close(self) -> None:
        self._closed = True
        if self._owns_session and self._session is not None:
            await self._session.close()

    async def __aenter__(self) -> WeComClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def app(self, name: str) -> AppClient:
        """The client for one configured app (its own access_token)."""
        if name not in self._apps:
            cfg = self.wecom.app(name)
            if cfg is None:
                raise KeyError(f"no WeCom app named {name!r}")
            self._apps[name] = AppClient(self, cfg)
        return self._apps[name]

    # -- AI bot ----------------------------------------------------------------------------

    async def aibot_respond(self, response_url: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """AI-bot active reply: POST plain JSON to the callback's ``response_url``; one use,
        valid 1 hour (docs 101138). No access_token; retried like any call except that a
        rejected URL (used or expired) is never retried."""
        api = "aibot/response"
        return await self._request(api, "POST", response_url, json_body=dict(body), absolute=True)

    # -- core ------------------------------------------------------------------------------

    async def _limit(self, api: str, recipients: Iterable[str]) -> None:
        lim = self.limits
        corp = self.wecom.corp_id
        keys: list[tuple[str, int, float]] = []
        for member in recipients:
            keys.append((f"member:{corp}:h:{member}", lim.member_per_hour, lim.member_hour_window))
            keys.append(
                (f"member:{corp}:m:{member}", lim.member_per_minute, lim.member_minute_window)
            )
        per_api = lim.per_api or self.wecom.api_calls_per_minute
        keys.append((f"api:{corp}:{api}", per_api, lim.window))
        try:
            waited = await self.limiter.acquire_all(keys, max_wait=self.retry.limiter_wait)
        except LimiterBusy:
            self.metrics.ratelimit_gave_up(api)
            raise
        if waited:
            self.metrics.ratelimit_wait(api, waited)
            log.info("wecom.ratelimit.waited", api=api, seconds=round(waited, 3))

    async def _http(
        self,
        method: str,
        url: str,
        params: Mapping[str, str],
        json_body: Any,
        data: DataFactory | None,
    ) -> dict[str, Any]:
        timeout = aiohttp.ClientTimeout(total=self.retry.request_timeout)
        kwargs: dict[str, Any] = {"params": dict(params), "timeout": timeout}
        if data is not None:
            kwargs["data"] = data()
        elif json_body is not None:
            kwargs["data"] = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
            kwargs["headers"] = {"Content-Type": "application/json; charset=utf-8"}
        try:
            sent_at = time.time()
            async with self.session.request(method, url, **kwargs) as resp:
                self._note_clock(resp.headers.get("Date"), sent_at)
                if resp.status >= 500:
                    raise _Transient(f"HTTP {resp.status}", resp.status)
                raw = await resp.read()
                status = resp.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            # str(exc) of aiohttp errors can carry the URL: keep only the type.
            raise _Transient(type(exc).__name__) from None
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise WeComHTTPError(url, f"HTTP {status}: not a JSON object", status)
        return body

    def _note_clock(self, date: str | None, sent_at: float) -> None:
        if not date:
            return
        if date != self._date_seen[0]:
            # Parsed once per second of the server's clock, not for every call.
            try:
                self._date_seen = (date, parsedate_to_datetime(date).timestamp())
            except (TypeError, ValueError):
                return
        self.clock_skew = self._date_seen[1] - (sent_at + time.time()) / 2

    async def _request(
        self,
        api: str,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        data: DataFactory | None = None,
        tokens: TokenManager | None = None,
        recipients: Iterable[str] = (),
        absolute: bool = False,
        app: str | None = None,
    ) -> dict[str, Any]:
        if not absolute:
            url = f"{self.base_url}/cgi-bin/{api}"
        policy = self.retry
        started = time.monotonic()
        busy = transient = 0
        token_retried = unanswered = False
        clean = {k: str(v) for k, v in (params or {}).items() if v is not None}
        attempt = 0
        while True:
            # Every attempt is a call WeCom counts against the per-API limit; the members'
            # allowance is taken once, since a failed call delivered nothing.
            await self._limit(api, recipients if attempt == 0 else ())
            attempt += 1
            query = dict(clean)
            token = None
            if tokens is not None:
                token = await tokens.get()
                query["access_token"] = token
            sent = time.perf_counter()
            try:
                body = await self._http(method, url, query, json_body, data)
            except _Transient as exc:
                self.metrics.wecom_call(api, "http_error", time.perf_counter() - sent)
                pause = policy.delay(transient)
                repeatable = api not in NOT_REPEATABLE or exc.detail == _NEVER_SENT
                if repeatable and transient < policy.transient_retries \
                        and self._in_budget(started, pause):
                    transient += 1
                    unanswered = unanswered or exc.detail != _NEVER_SENT
                    log.warning("wecom.call.retry", api=api, app=app, reason=exc.detail)
                    await asyncio.sleep(pause)
                    continue
                raise WeComHTTPError(api, exc.detail, exc.status) from None
            errcode = _errcode(body)
            self.metrics.wecom_call(api, _code_label(errcode), time.perf_counter() - sent)
            if errcode == 0:
                log.debug("wecom.call", api=api, app=app, errcode=0)
                if token is not None and app is not None:
                    await self.alerts.went_through(app)
                return body
            errmsg = str(body.get("errmsg", ""))
            log.info("wecom.call", api=api, app=app, errcode=errcode)
            unknown_codes.note(errcode, errmsg, api)
            if token is not None and tokens is not None and errcode in TOKEN_CODES:
                if not token_retried:
                    token_retried = True
                    await tokens.invalidate(token)
                    continue
                raise TokenError(errcode, errmsg, api)
            if errcode == SYSTEM_BUSY and busy < policy.busy_retries:
                pause = policy.delay(busy)
                busy += 1
                await asyncio.sleep(pause)
                continue
            if errcode in RATE_LIMIT_CODES:
                pause = policy.delay(transient, rate_limited=True)
                if transient < policy.transient_retries and self._in_budget(started, pause):
                    transient += 1
                    log.warning("wecom.call.retry", api=api, app=app, errcode=errcode)
                    await asyncio.sleep(pause)
                    continue
            error = error_for(errcode, errmsg, api)
            error.after_unanswered = unanswered
            if isinstance(error, OperatorError) and app is not None:
                await self.alerts.report(app, error)
            raise error

    def _in_budget(self, started: float, pause: float) -> bool:
        return time.monotonic() - started + pause <= self.retry.budget_seconds


def _code_label(errcode: int) -> str:
    """A bounded label: codes of our error table as themselves, any other as "unknown"
    (counted by code in wecom_bot_wecom_unknown_errcodes)."""
    return str(errcode) if errcode == 0 or errcode in KNOWN_CODES else "unknown"


def _errcode(body: Mapping[str, Any]) -> int:
    try:
        return int(body.get("errcode", 0) or 0)
    except (TypeError, ValueError):
        return SYSTEM_BUSY


class AppClient(MessageAPI, ContactAPI, CustomerAPI, KfAPI, UserAPI, Downloads):
    """Calls made with one app's access_token. Get it from ``WeComClient.app(name)``."""

    def __init__(self, client: WeComClient, config: AppConfig) -> None:
        self.client = client
        self.config = config
        self.name = config.name
        self.tokens = TokenManager(client.store, client.wecom.corp_id, config.name, self._fetch)

    async def gettoken(self) -> tuple[str, int]:
        """GET cgi-bin/gettoken?corpid=&corpsecret= (docs 91039): ``(access_token,
        expires_in)``. Normally called by the token cache only; 40001 here means the secret
        is wrong (a configuration error, raised as a plain WeComAPIError)."""
        params = {
            "corpid": self.client.wecom.corp_id,
            "corpsecret": self.config.secret.get_secret_value(),
        }
        try:
            body = await self.client._request("gettoken", "GET", "", params=params, app=self.name)
        except TokenError as exc:  # pragma: no cover - gettoken sends no token
            raise WeComAPIError(exc.errcode, exc.errmsg, exc.api) from None
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise WeComAPIError(INVALID_SECRET, "gettoken returned no access_token", "gettoken")
        return token, int(body.get("expires_in", 7200))

    async def _fetch(self) -> tuple[str, int]:
        try:
            got = await self.gettoken()
        except Exception:
            self.client.metrics.token_refresh(self.name, ok=False)
            raise
        self.client.metrics.token_refresh(self.name, ok=True)
        return got

    async def _call(
        self,
        method: str,
        api: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: DataFactory | None = None,
        recipients: Iterable[str] = (),
    ) -> dict[str, Any]:
        return await self.client._request(
            api,
            method,
            "",
            params=params,
            json_body=json,
            data=data,
            tokens=self.tokens,
            recipients=recipients,
            app=self.name,
        )


__all__ = ["AppClient", "RateLimits", "RetryPolicy", "WeComClient", "WeComError"]
