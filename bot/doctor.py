"""``wecom-bot doctor``: check a configuration against the real corp before go-live.

Each check returns a ``Check``: an id (``secret:main``), ok / warn / fail / skip, a message
and, for what is not ok, the fix, both in Chinese for the operator. The CLI and the admin
API only render them. WeCom is reached through ``bot.wecom`` (the client, and the URL check
WeCom itself makes when the callback URL is saved); the database and Redis through probes
the caller passes, so the same checks run in a CLI process and in a running service.

Clock skew: WeCom's ``Date`` header against our clock. Callbacks whose timestamp is further
off than ``callback_max_age_seconds`` (default 300 s) are refused, and WeCom retries only a
few times within seconds, so a skew of half that window already leaves little margin: that
fails. Past ``CLOCK_WARN_SECONDS`` (the header has whole seconds; a synchronised clock is
well inside it) it warns: the clock is not synchronised and will drift further.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

from bot.infra.logs import get_logger
from bot.protocol import errors as E
from bot.protocol.errors import WeComAPIError, WeComError, WeComHTTPError, egress_ip
from bot.settings import AppConfig, Settings
from bot.wecom.callback_probe import verify_callback_url
from bot.wecom.client import AppClient, WeComClient

if TYPE_CHECKING:
    from bot.pipeline.outage_queries import Summary

log = get_logger(__name__)

Status = Literal["ok", "warn", "fail", "skip"]
Probe = Callable[[], Awaitable[Any]]
CLOCK_WARN_SECONDS = 5.0
PROBE_SECONDS = 5.0
# The console's Token field: letters and digits, at most 32 (UNCONFIRMED lower bound: 3).
_TOKEN_RE = re.compile(r"^[A-Za-z0-9]{3,32}$")
_CONSOLE = "企业微信管理后台（work.weixin.qq.com）"


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    status: Status
    message: str
    fix: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class Report:
    checks: tuple[Check, ...]

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.status == "fail")

    @property
    def ok(self) -> bool:
        return not self.failed


async def diagnose(
    settings: Settings,
    client: WeComClient,
    *,
    main_app: str,
    database: Probe | None = None,
    redis: Probe | None = None,
    outages: Callable[[], Awaitable[Summary]] | None = None,
) -> Report:
    """Every check, in the order an operator fixes them; last, what recent outages cost
    (``outages``: bot.pipeline.outage_queries.summary, when the database is reachable)."""
    checks: list[Check] = []
    for app in settings.wecom.apps:
        checks.extend(_callback_config(app))
        if app.kind == "app":
            checks.extend(await _app_checks(settings, client.app(app.name), app,
                                            main=app.name == main_app))
    for app in settings.wecom.apps:
        checks.append(await _callback_url(settings, app))
    checks.append(_clock(settings, client.clock_skew))
    checks.append(await _store_check("database", "数据库", database, settings.database_url,
                                     "database_url"))
    if settings.redis_url:
        checks.append(await _store_check("redis", "Redis", redis, settings.redis_url,
                                         "redis_url"))
    else:
        checks.append(Check("redis", "Redis", "ok", "未配置 redis_url：嵌入模式，不使用 Redis"))
    if outages is not None:
        checks.append(await _outages(outages))
    report = Report(tuple(checks))
    log.info("doctor.done", failed=[c.id for c in report.failed],
             warned=[c.id for c in report.checks if c.status == "warn"])
    return report


# -- per app ---------------------------------------------------------------------------------


def _callback_config(app: AppConfig) -> list[Check]:
    where = f"应用 {app.name} 的「接收消息」"
    token = app.token.get_secret_value()
    if _TOKEN_RE.match(token):
        return [Check(f"callback_config:{app.name}", f"{where} Token / EncodingAESKey", "ok",
                      "Token 为 3–32 位英文或数字，EncodingAESKey 为 43 位")]
    return [Check(
        f"callback_config:{app.name}", f"{where} Token / EncodingAESKey", "fail",
        f"wecom.apps.{app.name}.token 的格式企业微信后台不接受（须为 3–32 位英文或数字）",
        f"在{_CONSOLE} → 应用管理 → 应用 → 接收消息 → 设置API接收，点「随机获取」生成 Token，"
        f"保存后填到 wecom.apps.{app.name}.token",
    )]


async def _app_checks(settings: Settings, api: AppClient, app: AppConfig, *, main: bool
                      ) -> list[Check]:
    name = app.name
    secret = await _secret(settings, api, app)
    later = [f"trusted_ip:{name}", f"visible:{name}"]
    if main:
        later += [f"contact:{name}", f"kf:{name}", f"kf_accounts:{name}"]
    if secret.status != "ok":
        return [secret, *(Check(i, _TITLES[i.split(":")[0]].format(app=name), "skip",
                                "未检查：先修好 Secret") for i in later)]
    checks = [secret]
    agent: Mapping[str, Any] | None = None
    error: WeComError | None = None
    try:
        if app.agent_id is not None:
            agent = await api.agent_get(app.agent_id)
        else:  # any call with the token tells whether WeCom trusts our IP
            await api.get_follow_user_list()
    except WeComError as exc:
        error = exc
    if isinstance(error, WeComAPIError) and error.errcode == E.UNTRUSTED_IP:
        ip = egress_ip(error.errmsg)
        checks.append(_untrusted(name, ip))
        return checks + [Check(i, _TITLES[i.split(":")[0]].format(app=name), "skip",
                               "未检查：先把服务器 IP 加到企业可信IP") for i in later[1:]]
    if isinstance(error, WeComHTTPError):
        return checks + [_api_error(i, _TITLES[i.split(":")[0]].format(app=name), error)
                         for i in later]
    checks.append(Check(f"trusted_ip:{name}", _TITLES["trusted_ip"].format(app=name), "ok",
                        "服务器出口 IP 在应用的企业可信IP 内"))
    checks.append(_visible(app, agent, error))
    if main:
        checks.append(await _contact(api, name))
        checks.extend(await _kf(settings, api, name))
    return checks


_TITLES = {
    "secret": "应用 {app} 的 Secret",
    "trusted_ip": "应用 {app} 的企业可信IP",
    "visible": "应用 {app} 的可见范围",
    "contact": "应用 {app} 的客户联系权限",
    "kf": "应用 {app} 的微信客服权限",
    "kf_accounts": "应用 {app} 管理的客服账号",
}


def _untrusted(app: str, ip: str | None) -> Check:
    shown = ip or "（企业微信未给出 IP）"
    return Check(
        f"trusted_ip:{app}", _TITLES["trusted_ip"].format(app=app), "fail",
        f"企业微信拒绝了来自 {shown} 的调用（60020 不安全的访问IP）",
        f"把 IP {shown} 加到应用的企业可信IP：{_CONSOLE} → 应用管理 → {app} → "
        "开发者接口 → 企业可信IP（约 1 分钟后生效）",
    )


async def _secret(settings: Settings, api: AppClient, app: AppConfig) -> Check:
    title = _TITLES["secret"].format(app=app.name)
    cid = f"secret:{app.name}"
    try:
        await api.gettoken()
    except WeComAPIError as exc:
        if exc.errcode == E.INVALID_SECRET:
            return Check(cid, title, "fail",
                         f"wecom.apps.{app.name}.secret 不正确（40001 不合法的secret参数）",
                         f"在{_CONSOLE} → 应用管理 → 自建应用 {app.name}（AgentId "
                         f"{app.agent_id}）→ Secret「查看」，把它填到 wecom.apps.{app.name}"
                         ".secret。每个应用的 Secret 各不相同，客户联系、通讯录的 Secret 不能代替")
        if exc.errcode == E.INVALID_CORPID:
            return Check(cid, title, "fail",
                         f"企业ID wecom.corp_id = {settings.wecom.corp_id} 不正确（40013）",
                         f"在{_CONSOLE} → 我的企业 → 企业信息 → 企业ID，复制到 wecom.corp_id")
        if exc.errcode == E.UNTRUSTED_IP:
            return _untrusted(app.name, egress_ip(exc.errmsg))
        return _api_error(cid, title, exc)
    except WeComError as exc:
        return _unreachable(cid, title, settings, exc)
    return Check(cid, title, "ok", "Secret 正确，已取得 access_token")


def _visible(app: AppConfig, agent: Mapping[str, Any] | None, error: WeComError | None
             ) -> Check:
    cid, title = f"visible:{app.name}", _TITLES["visible"].format(app=app.name)
    if app.agent_id is None:
        return Check(cid, title, "fail", f"未配置 wecom.apps.{app.name}.agent_id",
                     f"在{_CONSOLE} → 应用管理 → {app.name} 的详情页找到 AgentId，填到 "
                     f"wecom.apps.{app.name}.agent_id")
    if isinstance(error, WeComAPIError) and error.errcode == E.NO_APP_PRIVILEGE:
        return Check(cid, title, "fail",
                     f"agent_id {app.agent_id} 与 Secret 不属于同一个应用（301002）",
                     f"在应用 {app.name} 的详情页核对 AgentId 和 Secret 来自同一个应用，"
                     f"修改 wecom.apps.{app.name}.agent_id 或 .secret")
    if error is not None or agent is None:
        return _api_error(cid, title, error)
    users = [u.get("userid") for u in (agent.get("allow_userinfos") or {}).get("user", [])]
    parties = (agent.get("allow_partys") or {}).get("partyid", [])
    tags = (agent.get("allow_tags") or {}).get("tagid", [])
    fix_range = (f"{_CONSOLE} → 应用管理 → {app.name} → 可见范围，添加使用应用的成员或部门"
                 "（专员、主管、设计师等）")
    if agent.get("close"):
        return Check(cid, title, "fail", "应用已停用",
                     f"在{_CONSOLE} → 应用管理 → {app.name} 启用应用")
    if not (users or parties or tags):
        return Check(cid, title, "fail", "可见范围为空：没有成员能收到应用消息或使用应用",
                     fix_range)
    parts = [f"{len(users)} 名成员"] if users else []
    parts += [f"{len(parties)} 个部门"] if parties else []
    parts += [f"{len(tags)} 个标签"] if tags else []
    return Check(cid, title, "ok", "可见范围：" + "、".join(parts))


async def _contact(api: AppClient, app: str) -> Check:
    cid, title = f"contact:{app}", _TITLES["contact"].format(app=app)
    try:
        res = await api.get_follow_user_list()
    except WeComAPIError as exc:
        if exc.errcode == E.NO_PERMISSION:
            return Check(cid, title, "fail", "应用没有客户联系 API 权限（48002 API接口无权限调用）",
                         f"在{_CONSOLE} → 客户与上下游 → 客户联系 → 客户 → API → "
                         f"可调用接口的应用，添加应用 {app}")
        return _api_error(cid, title, exc)
    except WeComError as exc:
        return _api_error(cid, title, exc)
    follow = res.get("follow_user") or []
    if not follow:
        return Check(cid, title, "warn", "有权限，但可见范围内没有配置了客户联系功能的成员",
                     f"在{_CONSOLE} → 客户联系 → 权限配置 给专员开通客户联系，"
                     "并把他们加到应用的可见范围")
    return Check(cid, title, "ok", f"有权限；可见范围内 {len(follow)} 名成员配置了客户联系")


async def _kf(settings: Settings, api: AppClient, app: str) -> list[Check]:
    cid, title = f"kf:{app}", _TITLES["kf"].format(app=app)
    accounts: list[Mapping[str, Any]] = []
    try:
        while True:
            page = (await api.kf_account_list(offset=len(accounts), limit=100)).get(
                "account_list") or []
            accounts.extend(page)
            if len(page) < 100:
                break
    except WeComAPIError as exc:
        if exc.errcode in (E.NO_PERMISSION, 95017):
            return [Check(cid, title, "fail", f"应用没有微信客服 API 权限（{exc.errcode}）",
                          f"在{_CONSOLE} → 应用管理 → 微信客服 → API → 可调用接口的应用，选择应用 "
                          f"{app}"),
                    Check(f"kf_accounts:{app}", _TITLES["kf_accounts"].format(app=app), "skip",
                          "未检查：先开通微信客服 API 权限")]
        return [_api_error(cid, title, exc)]
    except WeComError as exc:
        return [_api_error(cid, title, exc)]
    checks = [Check(cid, title, "ok", "有权限")]
    checks.append(_kf_accounts(settings, app, accounts))
    return checks


def _named_kf_accounts(settings: Settings) -> dict[str, str]:
    """Every kf account the settings name → the key that names it."""
    named = {k: f"conversations.supervisors.{k}" for k in settings.conversations.supervisors
             if k != "*"}
    if settings.orders_kf_account:
        named[settings.orders_kf_account] = "orders_kf_account"
    return named


def _kf_accounts(settings: Settings, app: str, accounts: list[Mapping[str, Any]]) -> Check:
    cid, title = f"kf_accounts:{app}", _TITLES["kf_accounts"].format(app=app)
    fix = (f"在{_CONSOLE} → 应用管理 → 微信客服 → API → 通过API管理微信客服账号，"
           f"把客服账号交给应用 {app} 管理")
    managed = {str(a.get("open_kfid")): a for a in accounts if a.get("manage_privilege")}
    if not accounts:
        return Check(cid, title, "fail", "应用管理的客服账号为空：客户的咨询收不到，也无法回复",
                     fix)
    if not managed:
        return Check(cid, title, "fail", f"{len(accounts)} 个客服账号，应用都没有管理权限", fix)
    missing = [f"{key} = {kfid}" for kfid, key in sorted(_named_kf_accounts(settings).items())
               if kfid not in managed]
    if missing:
        return Check(cid, title, "fail",
                     "配置里的客服账号不存在或应用无权管理：" + "；".join(missing),
                     "改正配置中的 open_kfid（微信客服 → 客服账号 的账号ID），或" + fix[1:])
    names = "、".join(str(a.get("name") or kfid) for kfid, a in managed.items())
    return Check(cid, title, "ok", f"管理 {len(managed)} 个客服账号：{names}")


# -- callback URL, clock, storage -----------------------------------------------------------------


async def _callback_url(settings: Settings, app: AppConfig) -> Check:
    cid, title = f"callback_url:{app.name}", f"应用 {app.name} 的回调 URL"
    if not settings.public_url:
        return Check(cid, title, "warn", "未配置 public_url，没有检查回调 URL 能否从外部访问",
                     "在配置中设置 public_url（企业微信访问本服务的地址，如 "
                     "https://bot.example.com），启动服务后再运行 doctor")
    url = f"{settings.public_url}/wecom/callback/{app.name}"
    receive_id = settings.wecom.corp_id if app.kind == "app" else ""
    result = await verify_callback_url(url, app.token.get_secret_value(),
                                       app.encoding_aes_key.get_secret_value(), receive_id,
                                       wait=PROBE_SECONDS)
    if not result.ok:
        log.info("doctor.callback_url.failed", app=app.name, detail=result.detail)
        return Check(cid, title, "fail",
                     f"{url} 没有通过企业微信的 URL 验证：{_probe_reason(result.detail)}",
                     "确认服务已启动（wecom-bot serve），public_url 从公网可达、"
                     "反向代理转发到本服务，"
                     f"且 wecom.apps.{app.name} 的 Token、EncodingAESKey 与后台「设置API接收」一致")
    if url.startswith("http://"):
        return Check(cid, title, "warn", f"{url} 可以验证通过，但使用的是 HTTP",
                     "用 HTTPS（反向代理加证书），回调内容虽已加密，HTTPS 还保护 URL 与元数据")
    return Check(cid, title, "ok", f"{url} 通过了 URL 验证（{result.seconds * 1000:.0f} 毫秒）")


def _probe_reason(detail: str) -> str:
    if detail.startswith("unreachable"):
        return "无法连接" + detail[len("unreachable"):]
    if detail.startswith("HTTP 403"):
        return "HTTP 403：签名或解密失败，Token / EncodingAESKey 与服务不一致"
    if detail.startswith("HTTP 404"):
        return "HTTP 404：服务里没有这个应用，或路径被反向代理改写"
    if "without the decrypted" in detail:
        return "返回 200 但内容不是解密后的 echostr（不是本服务在应答？）"
    if detail.startswith("answered in"):
        return "应答超过 1 秒（企业微信只等 1 秒）"
    return detail


def clock_limits(settings: Settings) -> tuple[float, float]:
    window = settings.callback_max_age_seconds or settings.erp_signature_window_seconds
    return CLOCK_WARN_SECONDS, window / 2


def _clock(settings: Settings, skew: float | None) -> Check:
    title = "服务器时钟"
    if skew is None:
        return Check("clock", title, "warn", "没有取得企业微信的时间（它的应答没有 Date 头）",
                     "确认服务器时间已用 NTP 同步（timedatectl status）")
    warn_at, fail_at = clock_limits(settings)
    ahead = "慢" if skew > 0 else "快"
    text = f"本机时钟比企业微信{ahead} {abs(skew):.0f} 秒"
    fix = "开启 NTP 时间同步（如 timedatectl set-ntp true 或 chrony），再运行 doctor"
    if abs(skew) >= fail_at:
        return Check("clock", title, "fail",
                     f"{text}：回调时间戳相差超过 {fail_at:.0f} 秒就接近拒收阈值"
                     f"（callback_max_age_seconds），企业微信的回调会被拒绝", fix)
    if abs(skew) > warn_at:
        return Check("clock", title, "warn", f"{text}：时间没有同步，会继续漂移", fix)
    return Check("clock", title, "ok", f"与企业微信相差不到 {warn_at:.0f} 秒")


async def _store_check(cid: str, title: str, probe: Probe | None, url: str, key: str) -> Check:
    if probe is None:
        return Check(cid, title, "skip", "未检查")
    where = _where(url)
    try:
        async with asyncio.timeout(PROBE_SECONDS):
            await probe()
    except Exception as exc:
        return Check(cid, title, "fail", f"{where} 无法连接（{type(exc).__name__}）",
                     f"确认 {title} 已启动、地址和账号正确、本机可以访问，或修改配置 {key}")
    return Check(cid, title, "ok", f"{where} 可以连接")


async def _outages(read: Callable[[], Awaitable[Summary]]) -> Check:
    """Callbacks lost to outages: WeCom gives up after ~3 s, so an outage costs what it sent
    meanwhile; reconciliation reads back what it can. Warns while a recorded outage has
    waited long for it (no worker running, or WeCom refusing the reads)."""
    cid, title = "outages", "存储中断与补录"
    try:
        async with asyncio.timeout(PROBE_SECONDS):
            s = await read()
    except Exception as exc:
        return Check(cid, title, "skip", f"无法读取（{type(exc).__name__}）")
    text = (f"近 {s.days} 天存储中断 {s.outages} 次，被拒回调 {s.refused} 条（企业微信放弃 "
            f"{s.lost} 条），补录 {s.missed} 项")
    if s.stale:
        return Check(cid, title, "warn", f"{text}；{s.stale} 次中断已记录超过 10 分钟仍未补录",
                     "确认 wecom-bot worker 在运行；在控制台「停机补录」页（或 GET "
                     "/api/v1/outages?open=true）查看未补录的中断和备注")
    if s.open:
        return Check(cid, title, "ok", f"{text}；{s.open} 次中断正在补录")
    return Check(cid, title, "ok", text if s.outages else f"近 {s.days} 天没有存储中断")


def _where(url: str) -> str:
    """The URL without credentials: scheme, host, port and path only, and the socket
    directory of a PostgreSQL reached through its Unix socket (``?host=/run/...``)."""
    scheme, _, rest = url.partition("://")
    place, _, query = rest.rpartition("@")[2].partition("?")
    hosts = [v for k, _, v in (p.partition("=") for p in query.split("&"))
             if k == "host" and v.startswith("/")]
    return f"{scheme}://{place}" + (f"（{hosts[0]}）" if hosts else "")


# -- generic errors -------------------------------------------------------------------------------


def _api_error(cid: str, title: str, exc: WeComError | None) -> Check:
    if isinstance(exc, WeComAPIError):
        return Check(cid, title, "fail", f"企业微信返回错误 {exc.errcode}：{exc.errmsg}",
                     f"按 https://open.work.weixin.qq.com/devtool/query?e={exc.errcode} 的说明处理")
    if isinstance(exc, WeComHTTPError):
        return Check(cid, title, "fail", f"调用企业微信失败：{exc.detail}",
                     "检查本机到企业微信 API 的网络（代理、防火墙、DNS）")
    return Check(cid, title, "fail", "调用企业微信失败", "检查本机到企业微信 API 的网络")


def _unreachable(cid: str, title: str, settings: Settings, exc: WeComError) -> Check:
    detail = exc.detail if isinstance(exc, WeComHTTPError) else str(exc)
    return Check(cid, title, "fail", f"无法连接企业微信 API（{settings.wecom.api_base}）：{detail}",
                 "检查本机到 qyapi.weixin.qq.com 的网络（代理、防火墙、DNS）和配置 wecom.api_base")


def render_text(report: Report) -> str:
    """The checklist as the CLI prints it."""
    marks = {"ok": "✔ 通过", "warn": "! 注意", "fail": "✘ 失败", "skip": "- 跳过"}
    lines = ["wecom-bot doctor：上线前检查", ""]
    for c in report.checks:
        lines.append(f"{marks[c.status]}  {c.title}：{c.message}")
        if c.fix and c.status in ("fail", "warn"):
            lines.append(f"        怎么修：{c.fix}")
    n = {s: sum(1 for c in report.checks if c.status == s) for s in marks}
    lines += ["", f"{n['ok']} 项通过，{n['warn']} 项注意，{n['fail']} 项失败，{n['skip']} 项跳过"]
    lines.append("可以上线。" if report.ok
                 else "有检查失败：按上面的「怎么修」处理后再运行 wecom-bot doctor。")
    return "\n".join(lines)
