"""Configuration: the only reader of the environment and of the config file.

A TOML file (``--config PATH`` or ``WECOM_BOT_CONFIG``); every top-level key can be
overridden by ``WECOM_BOT_<KEY>``. With no file the service runs embedded: SQLite, no
Redis, and the built-in WeCom sandbox.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import secrets
import string
import sys
import tempfile
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from bot.protocol import text_limits as L
from keywords.workdays import WorkingHours

ENV_PREFIX = "WECOM_BOT_"
# WECOM_BOT_* variables that are not settings: the config path, and what the test suite reads.
_OTHER_ENV = frozenset({"CONFIG", "TEST_PG", "TEST_REDIS", "FUZZ_SEED", "SCREENSHOTS",
                        "CHROMIUM"})
ERP_SECRET_MIN = 16
SANDBOX = "sandbox"
_AES_KEY_RE = re.compile(r"^[A-Za-z0-9]{43}$")
# A kefu menu item's click id (ASCII: JSON Schema clients and pydantic must read it alike).
MENU_ID = r"^[A-Za-z0-9_-]{1,64}$"


def _check_template(v: str, names: tuple[str, ...]) -> None:
    """A ``str.format`` template that uses only ``names``: a clear error otherwise."""
    try:
        used = {f for _, f, _, _ in string.Formatter().parse(v) if f is not None}
    except ValueError as exc:
        raise ValueError(f"not a valid template ({exc})") from None
    unknown = used - set(names)
    if unknown:
        raise ValueError(f"unknown variables {sorted(unknown)}; use "
                         + ", ".join(f"{{{n}}}" for n in names))


class ConfigError(Exception):
    """Invalid configuration: one line naming the key, never a secret value."""


class AppConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z0-9_-]{1,32}$")
    kind: Literal["app", "aibot"] = "app"
    agent_id: int | None = None
    secret: SecretStr = SecretStr("")
    token: SecretStr
    encoding_aes_key: SecretStr

    @field_validator("encoding_aes_key")
    @classmethod
    def _aes_key_shape(cls, v: SecretStr) -> SecretStr:
        if not _AES_KEY_RE.match(v.get_secret_value()):
            raise ValueError("must be exactly 43 characters from [A-Za-z0-9]")
        return v

    @field_validator("token")
    @classmethod
    def _token_present(cls, v: SecretStr) -> SecretStr:
        if not v.get_secret_value():
            raise ValueError("must not be empty")
        return v


class WeComConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    corp_id: str = "ww0000000000000000"
    api_base: str = SANDBOX
    apps: tuple[AppConfig, ...] = ()
    # Per corp and API (protocol.md §7.3 publishes 10,000/min; older copies 2,000/min).
    api_calls_per_minute: int = Field(default=2000, ge=1)

    @field_validator("apps")
    @classmethod
    def _unique_names(cls, v: tuple[AppConfig, ...]) -> tuple[AppConfig, ...]:
        names = [a.name for a in v]
        if len(names) != len(set(names)):
            raise ValueError("app names must be unique")
        return v

    @property
    def is_sandbox(self) -> bool:
        return self.api_base == SANDBOX

    def app(self, name: str) -> AppConfig | None:
        # Every callback looks its app up twice: a dict, not a scan of the tuple. Kept
        # beside the model, by the tuple itself (model_copy would carry a cached field
        # over to a copy with other apps).
        apps = self.apps
        index = _APP_INDEX.get(id(apps))
        if index is None or index[0] is not apps:
            if len(_APP_INDEX) >= 64:  # configs a process has seen: tests make many
                _APP_INDEX.clear()
            index = _APP_INDEX[id(apps)] = (apps, {a.name: a for a in apps})
        return index[1].get(name)


_APP_INDEX: dict[int, tuple[tuple[AppConfig, ...], dict[str, AppConfig]]] = {}


# The settings texts that are not kf texts: the welcome menu's head, the contact welcome.
_TEXT_BYTES = {"kf_welcome_text": L.KF_MENU_HEAD_TAIL, "contact_welcome": L.WELCOME_TEXT,
               "app_unmatched_hint": L.APP_TEXT}


class ConversationsConfig(BaseModel):
    """Customer-facing texts and thresholds of auto-replies, welcomes and escalation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fallback_reply: str = "抱歉，我暂时没能理解您的问题。您可以换个说法，或回复“转人工”联系专员。"
    unmatched_escalate_after: int = Field(default=2, ge=1)  # unmatched in a row → escalate
    kf_budget: int = Field(default=5, ge=1, le=5)  # kf/send_msg per customer message (48 h)
    budget_notice: str = "您的问题我已记录，稍后将由专员为您继续服务。"
    kf_backlog_seconds: int = Field(default=600, ge=0)  # first pull skips older messages
    # Production: how long a kf puller stays with its account once it has pulled it clean,
    # woken by the next callback's mark. Under a steady stream the callbacks then find it at
    # work and need no job each (a job costs several Redis round trips). 0: it leaves at once.
    kf_pull_linger_seconds: float = Field(default=0.5, ge=0, le=5)
    # How long a customer message waits for its conversation's previous one (the conversation's
    # lock) before it is handed back to be retried as a job.
    kf_conversation_wait_seconds: float = Field(default=30.0, gt=0)
    kf_welcome_text: str = "您好，欢迎咨询全屋定制客服！请选择您需要的服务："
    kf_welcome_menu: tuple[tuple[str, str], ...] = (
        ("progress", "查询进度"), ("faq", "常见问题"), ("human", "转人工"),
    )
    human_menu_id: str = Field(default="human", pattern=MENU_ID)
    queue_notice: str = "当前咨询人数较多，您已进入排队，专员接入后会第一时间回复您。"
    # The queue notice when the raise deadline falls outside working hours
    # (``business_hours``): {when} is that deadline (e.g. 周一 09:15), {hours} the hours.
    queue_notice_closed: str = ("您已进入排队。专员的工作时间是工作日 {hours}（北京时间），"
                                "{when} 前会有专员联系您。")
    transfer_notice: str = "已为您转接专员{specialist}，请稍候。"
    servicer_cap: int = Field(default=5, ge=1)  # open escalations per servicer
    # Unclaimed escalations: re-sent after this much working time (``business_hours``),
    # raised to the supervisor after that much.
    sla_renotify_minutes: float = Field(default=5.0, gt=0)
    sla_raise_minutes: float = Field(default=15.0, gt=0)
    # kf account (open_kfid) → supervisor userid; "*" is the default for every account.
    # Unclaimed escalations and low satisfaction ratings (≤ 2) are raised to them.
    supervisors: dict[str, str] = Field(default_factory=dict)
    # When a servicer ends a kf session: the 1–5 rating menu with the end code (20 s, once).
    session_survey: bool = True
    # After a kf rating, the customer's next message within this is taken as its sentence.
    survey_comment_minutes: float = Field(default=10.0, ge=0, le=1440)
    contact_welcome: str = "您好{nickname}，我是您的专属顾问，很高兴为您服务！"
    aibot_welcome: str = "你好，我是全屋定制助手。发送“帮助”查看我能做的事。"
    app_unmatched_hint: str = "没有找到相关答案。发送“帮助”查看可用命令。"
    offer_group_chat_ids: tuple[str, ...] = ()  # the service group(s) offered by join-way QR
    offer_group_state: str = Field(default="kf-offer-group", max_length=30)
    offer_group_wording: str = "欢迎加入您的订单服务群"
    load_sample_rules: bool = True  # embedded mode: load the sample rules on first start
    rules_poll_seconds: float = Field(default=1.0, gt=0)

    @field_validator("fallback_reply", "budget_notice", "kf_welcome_text",
                     "transfer_notice", "contact_welcome", "app_unmatched_hint")
    @classmethod
    def _fits(cls, v: str, info: ValidationInfo) -> str:
        # WeCom's limits in bytes for the message each text becomes (bot.protocol.text_limits).
        why = L.too_long(v, _TEXT_BYTES.get(str(info.field_name), L.KF_TEXT))
        if why is not None:
            raise ValueError(why)
        return v

    @field_validator("queue_notice", "queue_notice_closed")
    @classmethod
    def _queue_template(cls, v: str) -> str:
        _check_template(v, ("when", "hours"))
        # Filled with the longest values they take.
        why = L.too_long(v.format(when="12月31日（周四）09:00", hours="09:00–12:00、13:30–18:00"),
                         L.KF_TEXT)
        if why is not None:
            raise ValueError(why)
        return v

    @field_validator("kf_welcome_menu")
    @classmethod
    def _menu(cls, v: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
        # The same limits as the admin API's menu items, so the default is always listable.
        for item_id, content in v:
            if not re.fullmatch(MENU_ID, item_id):
                raise ValueError(f"menu id {item_id!r} must match {MENU_ID}")
            if not 1 <= len(content) <= 100:
                raise ValueError(f"menu item {item_id!r}: content must be 1–100 characters")
            if (why := L.too_long(content, L.KF_MENU_CLICK)) is not None:
                raise ValueError(f"menu item {item_id!r}: {why}")
        if len(v) > 10:
            raise ValueError("at most 10 menu items")
        return v


class CustomersConfig(BaseModel):
    """The customer record, its contact sync and the media library (bot/customers)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # The media library's files. Embedded: a local directory; in production every process
    # (serve and worker, on every host) must see the same files: a shared volume here.
    media_dir: str = "data/media"
    # The contact sync (externalcontact/batch/get_by_user): a full one on the first start,
    # then one a day at this hour, 北京时间.
    sync_on_first_start: bool = True
    sync_hour: int = Field(default=3, ge=0, le=23)


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    listen: str = "127.0.0.1:8080"
    # Where WeCom reaches this service (e.g. https://bot.example.com): the callback URLs are
    # {public_url}/wecom/callback/{app}; `wecom-bot doctor` checks them. Empty: not public yet.
    public_url: str = ""
    database_url: str = "sqlite://data/wecom-bot.sqlite3"
    redis_url: str = ""
    callback_max_age_seconds: int = Field(default=300, ge=0)
    log_format: Literal["json", "console"] = "json"
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    # The processes' event loop (bot.infra.event_loop): uvloop, or the standard library's.
    event_loop: Literal["uvloop", "asyncio"] = "uvloop"
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    # Prometheus metrics: /metrics on serve (and on a worker's --metrics-listen); off, the
    # recording calls do nothing.
    metrics_enabled: bool = True
    # Memory diagnosis (bot.infra.memory_report): N > 0 traces allocations with N frames
    # each, and every SIGUSR2 writes a report of what grew to tracemalloc_dir. Costly.
    tracemalloc: int = Field(default=0, ge=0, le=100)
    tracemalloc_dir: str = Field(default_factory=tempfile.gettempdir)
    # glibc's allocator (bot.infra.native_memory): arenas at most (0: glibc's default of 8
    # per core), and how often free pages go back to the kernel (0: never).
    malloc_arena_max: int = Field(default=2, ge=0, le=64)
    malloc_trim_seconds: float = Field(default=60.0, ge=0)
    # A connection with no request under way (idle, or headers still trickling in) is closed
    # after this; more open connections than the cap close the longest idle first.
    http_idle_timeout_seconds: float = Field(default=15.0, gt=0, le=3600)
    http_max_connections: int = Field(default=2000, ge=10)
    job_timeout_seconds: float = Field(default=30.0, gt=0)
    job_max_tries: int = Field(default=5, ge=1)
    # Embedded runner tasks: jobs mostly wait on the WeCom API and the database, so more than
    # a handful keep many customers' conversations moving at once; past ~8 on SQLite they
    # crowd the callbacks' own writes (bench/callbacks.py embedded fell from 1,546 to ~1,000/s
    # at 16), so 8 serves both benchmarks.
    job_concurrency: int = Field(default=8, ge=1, le=256)
    inbox_sweep_seconds: float = Field(default=30.0, gt=0)
    inbox_stale_seconds: float = Field(default=120.0, gt=0)
    # Settled callbacks (their decrypted text with them) are deleted this long after they
    # came. Not under 4 days: kf/sync_msg hands out the last 3, and an older dedupe key
    # must still refuse anything it hands out again.
    inbox_keep_days: float = Field(default=7.0, ge=4, le=3650)
    # WeCom gives up on a callback after ~3 s of failures: what it sent while callbacks could
    # not be stored, or while no serve answered, is read back from WeCom and reconciled
    # (bot/pipeline/reconcile.py) this long after storage is back, so that the callbacks
    # stored at the outage's end are handled first.
    reconcile_delay_seconds: float = Field(default=15.0, ge=0, le=3600)
    # Each serve start reconciles the time since the newest stored callback (nobody was
    # answering then, or a serve crashed during an outage), at most this far back.
    reconcile_on_start: bool = True
    reconcile_max_hours: float = Field(default=72.0, gt=0, le=24 * 30)
    # Working hours on the mainland business calendar, 北京时间 (weekends and statutory days
    # off closed, 调休 workdays open): escalation SLA timers count only this time and
    # overdue-stage alerts wait for it. "HH:MM-HH:MM", several comma-separated (a lunch
    # break); empty: round the clock (wall-clock time, for a 24/7 team).
    business_hours: str = "09:00-18:00"
    wecom: WeComConfig = WeComConfig()
    conversations: ConversationsConfig = ConversationsConfig()
    customers: CustomersConfig = CustomersConfig()
    # Orders (bot/orders): the order number inside a customer group's name binds the group.
    order_no_pattern: str = r"(?<![A-Za-z0-9])([A-Z]{1,4}-?\d{6,14})(?![0-9])"
    # Milestones of one group within this window share one 群发 task (1 per group per day).
    group_task_delay_seconds: float = Field(default=300.0, ge=0)
    group_task_check_seconds: float = Field(default=600.0, gt=0)  # poll the task's send state
    # The owner is reminded every N s until they send it; WeCom allows 3 reminders per task
    # in 24 h (docs 97610), so a 4th waits until a day after the 1st (bot/orders/grouptasks).
    # The defaults remind at 4, 8 and 12 h, then at 28, 32 and 36 h, and give up at 40 h.
    group_task_remind_seconds: float = Field(
        default=4 * 3600.0, gt=0,
        description="seconds between reminders to a group task's owner; WeCom allows 3 per "
                    "task in 24 h, so a 4th waits until a day after the 1st")
    group_task_max_reminders: int = Field(
        default=6, ge=0, le=30,
        description="reminders before the task counts as failed; past 3 they are spread to "
                    "stay within WeCom's 3 per 24 h")
    orders_kf_account: str = ""  # open_kfid for customer notices when the order names none
    # An appointment's day-before reminder goes out at this hour (北京时间) of that day.
    appointment_remind_hour: int = Field(default=10, ge=0, le=23)
    orders_link_base: str = "http://127.0.0.1:8080/orders"  # text-card links: BASE/ORDER_NO
    # When the order's customer joins its group, the group's next owner-confirmed 群发 task
    # opens with this welcome ({order_no} {customer} {progress_url}); empty: none.
    orders_join_welcome: str = ("欢迎加入订单 {order_no} 的服务群！交付的每一步都会在群里同步，"
                                "进度也可以随时在这里查看：{progress_url}")
    # ERP: per-key signing secrets are derived from this; the database keeps only hashes.
    erp_signing_secret: SecretStr = SecretStr("")
    erp_signature_window_seconds: int = Field(default=300, ge=1)
    # The customer's progress page, GET {public_url}/p/{token}: links are signed with this
    # (HMAC-SHA256). Empty: a secret made on the first start and kept in the database.
    progress_link_secret: SecretStr = SecretStr("")
    progress_link_days: int = Field(default=180, ge=1, le=3650)  # how long a link works
    progress_page_per_minute: int = Field(default=30, ge=1)  # page requests per address
    # Behind a load balancer that appends the client's address to X-Forwarded-For: the
    # per-address limits take the last address it added instead of the balancer's own.
    trust_forwarded_for: bool = False

    @field_validator("erp_signing_secret", "progress_link_secret")
    @classmethod
    def _secret_length(cls, v: SecretStr) -> SecretStr:
        # Every ERP key's secret and every progress link is derived from it: a short one is
        # guessable.
        if v.get_secret_value() and len(v.get_secret_value()) < ERP_SECRET_MIN:
            raise ValueError(f"must be at least {ERP_SECRET_MIN} characters (or empty)")
        return v

    @field_validator("orders_join_welcome")
    @classmethod
    def _join_welcome(cls, v: str) -> str:
        _check_template(v, ("order_no", "customer", "progress_url"))
        why = L.too_long(v, L.GROUPMSG_TEXT)
        if why is not None:
            raise ValueError(why)
        return v

    @field_validator("business_hours")
    @classmethod
    def _business_hours(cls, v: str) -> str:
        hours_of(v)  # a ValueError names what is wrong
        return v.strip()

    @property
    def working_hours(self) -> WorkingHours:
        return hours_of(self.business_hours)

    @field_validator("order_no_pattern")
    @classmethod
    def _order_pattern(cls, v: str) -> str:
        try:
            compiled = re.compile(v)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression ({exc})") from None
        if compiled.groups > 1:
            raise ValueError("at most one capturing group (the order number)")
        return v

    @field_validator("public_url")
    @classmethod
    def _public_url_shape(cls, v: str) -> str:
        if v and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", v):
            raise ValueError("must be empty or an http(s):// URL without query, e.g. "
                             "https://bot.example.com")
        return v.rstrip("/")

    @field_validator("listen")
    @classmethod
    def _listen_shape(cls, v: str) -> str:
        host, sep, port = v.rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError("must be HOST:PORT")
        return v

    @field_validator("database_url")
    @classmethod
    def _db_scheme(cls, v: str) -> str:
        if not v.startswith(("sqlite://", "postgres://", "postgresql://", "asyncpg://")):
            raise ValueError("must start with sqlite:// or postgres://")
        return v

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, v: str) -> str:
        if v and not v.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must be empty or start with redis://")
        return v

    @property
    def embedded(self) -> bool:
        """Embedded mode: no Redis; in-process store and job runner."""
        return not self.redis_url

    @property
    def host(self) -> str:
        return self.listen.rpartition(":")[0]

    @property
    def local_url(self) -> str:
        """How processes on this host reach the service (a wildcard bind on loopback)."""
        host = self.host
        if host in ("0.0.0.0", "::", "[::]", ""):  # noqa: S104 - comparing, not binding
            host = "127.0.0.1"
        return f"http://{host}:{self.port}"

    @property
    def link_base(self) -> str:
        """Where people outside reach the service (links we give out): ``public_url``, else
        this host's own address."""
        return self.public_url or self.local_url

    @property
    def port(self) -> int:
        return int(self.listen.rpartition(":")[2])


@lru_cache(maxsize=8)
def hours_of(text: str) -> WorkingHours:
    return WorkingHours.parse(text)


def random_aes_key() -> str:
    return _random_alnum(43)


def random_callback_token() -> str:
    """A Token as WeCom's console makes them: letters and digits."""
    return _random_alnum(24)


def _random_alnum(n: int) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(n))


def sandbox_apps() -> tuple[AppConfig, ...]:
    """The apps the built-in sandbox corp has when none are configured.

    Fresh credentials every start: the sandbox lives in this process and reads the same
    settings, so nothing needs to persist them.
    """
    return (
        AppConfig(
            name="main",
            kind="app",
            agent_id=1000002,
            secret=SecretStr(secrets.token_urlsafe(24)),
            token=SecretStr(random_callback_token()),
            encoding_aes_key=SecretStr(random_aes_key()),
        ),
        AppConfig(
            name="aibot",
            kind="aibot",
            token=SecretStr(random_callback_token()),
            encoding_aes_key=SecretStr(random_aes_key()),
        ),
    )


def _coerce_env(raw: str, default: Any) -> Any:
    # Structured values (the [wecom] table) come as JSON; scalars as their text.
    if isinstance(default, BaseModel):
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            msg = f"invalid configuration: {ENV_PREFIX}WECOM: not JSON ({exc.msg})"
            raise ConfigError(msg) from None
    return raw


def _describe(err: ValidationError) -> str:
    first = err.errors(include_input=False, include_url=False)[0]
    loc = ".".join(str(p) for p in first["loc"]) or "(top level)"
    return f"invalid configuration: {loc}: {first['msg']}"


_warned_env: set[str] = set()


def _warn_unknown_env(env: dict[str, str]) -> None:
    """A misspelled WECOM_BOT_* variable would be ignored silently: say so, once per name."""
    valid = [name.upper() for name in Settings.model_fields]
    for var in sorted(env):
        if not var.startswith(ENV_PREFIX) or var in _warned_env:
            continue
        key = var[len(ENV_PREFIX):]
        if key in valid or key in _OTHER_ENV:
            continue
        _warned_env.add(var)
        close = difflib.get_close_matches(key, [*valid, "CONFIG"], n=1, cutoff=0.6)
        hint = f"; did you mean {ENV_PREFIX}{close[0]}?" if close else ""
        print(f"wecom-bot: warning: ignoring unknown environment variable {var}{hint}",
              file=sys.stderr)


def load_settings(
    path: str | os.PathLike[str] | None = None, env: dict[str, str] | None = None
) -> Settings:
    """Read the config file (if any) and the environment; raise ConfigError on anything wrong."""
    env = dict(os.environ if env is None else env)
    _warn_unknown_env(env)
    path = path or env.get(f"{ENV_PREFIX}CONFIG") or None
    data: dict[str, Any] = {}
    if path:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"invalid configuration: config file not found: {path}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"invalid configuration: {path}: not valid TOML ({exc})") from None
    defaults = Settings()
    for name in Settings.model_fields:
        raw = env.get(f"{ENV_PREFIX}{name.upper()}")
        if raw is not None:
            data[name] = _coerce_env(raw, getattr(defaults, name))
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc)) from None
    if settings.wecom.is_sandbox and not settings.wecom.apps:
        wecom = settings.wecom.model_copy(update={"apps": sandbox_apps()})
        settings = settings.model_copy(update={"wecom": wecom})
    if not settings.wecom.is_sandbox:
        for app in settings.wecom.apps:
            if app.kind == "app" and not app.secret.get_secret_value():
                raise ConfigError(f"invalid configuration: wecom.apps.{app.name}.secret: required")
    return settings
