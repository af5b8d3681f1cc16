"""The customer's progress page, ``GET /p/{token}`` (what it shows: ``bot.orders.progress``).

Plain HTML for WeChat's and WeCom's in-app browsers: no script, no framework, nothing loaded
from elsewhere (its CSP admits its own stylesheet only), every value escaped. Never indexed
(``noindex`` in the page and in ``X-Robots-Tag``), never cached, no referrer (the link is
the key). A token that opens nothing — wrong, expired, revoked, any shape at all — gets the
same plain Chinese 404 page; requests are limited per address on the store (Redis in
production, in process embedded).
"""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, date, datetime
from html import escape

from aiohttp import web

from bot.infra.clock import CST
from bot.infra.logs import get_logger
from bot.infra.ratelimit import RateLimiter
from bot.orders import eta, progress
from bot.orders.order_surveys import RATE_PATH
from bot.runtime import Services
from bot.settings import Settings
from bot.web.appkeys import SERVICES

log = get_logger("bot.web.progress_page")
WINDOW = 60.0

CSS = """
*{box-sizing:border-box}
body{margin:0;background:#f4f5f7;color:#1f2329;font:16px/1.6 -apple-system,"PingFang SC",
"Hiragino Sans GB","Microsoft YaHei",sans-serif}
main{max-width:560px;margin:0 auto;padding:16px}
h1{font-size:20px;margin:4px 0}
h2{font-size:16px;margin:0 0 8px}
.sub{color:#646a73;font-size:14px;margin:0}
.card{background:#fff;border-radius:12px;padding:16px;margin:12px 0}
.now .stage{font-size:24px;font-weight:600;margin:2px 0}
.muted{color:#646a73;font-size:14px}
.late{color:#b26a00;font-size:14px}
ol{list-style:none;margin:0;padding:0}
li.step{position:relative;padding:0 0 14px 28px}
li.step:before{content:"";position:absolute;left:6px;top:6px;width:12px;height:12px;
border-radius:50%;background:#c9cdd4}
li.step:after{content:"";position:absolute;left:11px;top:20px;bottom:0;width:2px;
background:#e5e6eb}
li.step:last-child:after{display:none}
li.done:before{background:#00b42a}
li.current:before{background:#3370ff;box-shadow:0 0 0 4px #d6e4ff}
.name{font-weight:600}
.date{display:block;color:#646a73;font-size:14px}
li.current .date{color:#3370ff}
ul.team{list-style:none;margin:0;padding:0}
ul.team li{display:flex;justify-content:space-between;padding:6px 0;
border-bottom:1px solid #f0f1f2}
ul.team li:last-child{border-bottom:0}
.role{color:#646a73}
footer{color:#8f959e;font-size:12px;text-align:center;margin:16px 0}
a.button,button{display:block;width:100%;border:0;border-radius:8px;background:#3370ff;
color:#fff;font-size:16px;padding:10px;text-align:center;text-decoration:none}
fieldset{border:0;margin:0;padding:0}
legend{font-weight:600;margin-bottom:8px}
label.score{display:block;padding:8px 0;border-bottom:1px solid #f0f1f2}
label.score input{margin-right:8px}
textarea{width:100%;font:inherit;border:1px solid #c9cdd4;border-radius:8px;padding:8px;
margin:8px 0 12px}
.error{color:#d83931;font-size:14px}
"""
_CSS_HASH = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
CSP = (f"default-src 'none'; style-src 'sha256-{_CSS_HASH}'; img-src 'none'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


def document(title: str, body: str, referrer: str = "no-referrer") -> str:
    return ("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<meta name=\"robots\" content=\"noindex, nofollow\">"
            f"<meta name=\"referrer\" content=\"{referrer}\">"
            f"<title>{escape(title)}</title><style>{CSS}</style></head>"
            f"<body><main>{body}</main></body></html>")


def _html(status: int, title: str, body: str, **extra: str) -> web.Response:
    return web.Response(status=status, text=document(title, body), content_type="text/html",
                        charset="utf-8", headers={**HEADERS, **extra})


def not_found() -> web.Response:
    return _html(404, "链接无效", "<div class=\"card\"><h1>链接无效或已过期</h1>"
                 "<p class=\"muted\">这个进度链接打不开了。请在微信客服中回复“进度”，"
                 "或联系您的专员获取新的链接。</p></div>")


def too_many(wait: float) -> web.Response:
    return _html(429, "访问太频繁", "<div class=\"card\"><h1>访问太频繁</h1>"
                 "<p class=\"muted\">请稍等一分钟后再打开这个页面。</p></div>",
                 **{"Retry-After": str(max(1, round(wait)))})


def _step(s: eta.StagePlan, day: date) -> str:
    if s.state == "done":
        when = "已完成" + (f" · {eta.day_text(s.reached_on, day)}" if s.reached_on else "")
    elif s.state == "current":
        when = "进行中" + (f" · {eta.day_text(s.reached_on, day)}起" if s.reached_on else "")
    else:
        when = f"预计 {eta.day_text(s.expected_on, day)}" if s.expected_on else "待安排"
    return (f"<li class=\"step {s.state}\" data-stage=\"{escape(s.name)}\" "
            f"data-state=\"{s.state}\"><span class=\"name\">{escape(s.name)}</span>"
            f"<span class=\"date\">{escape(when)}</span></li>")


def _rating(view: progress.PageView, rate_path: str) -> str:
    if view.rating is None:
        return ""
    if view.rating.score is not None:
        return (f"<section class=\"card\" id=\"rating\" data-score=\"{view.rating.score}\">"
                f"<h2>服务评价</h2><p class=\"muted\">您已评价 {view.rating.score} 分，"
                "感谢您的反馈！</p></section>")
    return ("<section class=\"card\" id=\"rating\"><h2>服务评价</h2>"
            "<p class=\"muted\">交付已完成，请为我们的服务打个分，也可以留一句话。</p>"
            f"<a class=\"button\" id=\"rate-link\" href=\"{escape(rate_path)}\">去评价</a>"
            "</section>")


def render(view: progress.PageView, now: datetime, rate_path: str = "") -> str:
    local = now.astimezone(UTC) + CST
    day = view.today
    plan = view.plan
    cur, nxt = plan.current, plan.next
    if cur is None:
        now_html = ("<p class=\"muted\">当前阶段</p><p class=\"stage\">尚未开始</p>")
    else:
        since = f"{eta.day_text(cur.reached_on, day)}起" if cur.reached_on else ""
        now_html = (f"<p class=\"muted\">当前阶段</p><p class=\"stage\" id=\"current\">"
                    f"{escape(cur.name)}</p><p class=\"muted\">{escape(since)}</p>")
    if nxt is None and cur is not None:
        now_html += "<p id=\"next\">全部节点已完成，感谢您的信任！</p>"
    elif nxt is not None:
        date_text = eta.day_text(nxt.expected_on, day, missing="待安排")
        now_html += (f"<p id=\"next\">下一步：<b>{escape(nxt.name)}</b>，预计 "
                     f"<b>{escape(date_text)}</b></p>")
    if plan.late:
        now_html += ("<p class=\"late\">当前阶段比原计划晚了一些，我们正在加紧处理，"
                     "后续日期已按最新情况更新。</p>")
    steps = "".join(_step(s, day) for s in plan.stages)
    team = "".join(f"<li><span class=\"role\">{escape(m.role)}</span>"
                   f"<span>{escape(m.name)}</span></li>" for m in view.team)
    body = (f"<h1>订单进度</h1><p class=\"sub\">订单号 {escape(view.order_no)} · "
            f"{escape(view.customer)}</p>"
            f"<section class=\"card now\">{now_html}</section>"
            f"<section class=\"card\"><h2>交付节点</h2><ol id=\"stages\">{steps}</ol></section>"
            + (f"<section class=\"card\"><h2>服务团队</h2><ul class=\"team\" id=\"team\">"
               f"{team}</ul></section>" if team else "")
            + _rating(view, rate_path)
            + f"<footer>更新于 {local.month}月{local.day}日 {local:%H:%M}（北京时间）· "
            "日期按工作日估算，如有疑问请在微信客服中联系您的专员</footer>")
    return document(f"订单进度 · {view.order_no}", body)


def client_address(request: web.Request, settings: Settings) -> str:
    """Who is asking: the peer, or behind a trusted load balancer the address it added
    last to X-Forwarded-For."""
    if settings.trust_forwarded_for:
        forwarded = request.headers.get("X-Forwarded-For", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last[:64]
    return request.remote or "unknown"


async def progress_page(request: web.Request) -> web.Response:
    services: Services = request.app[SERVICES]
    refused = await limited(request, services)
    if refused is not None:
        return refused
    view = await progress.page(services.ports, request.match_info.get("token", ""))
    if view is None:
        return not_found()
    # Relative to /p/{token}: the form's path without repeating the token.
    rate_path = request.match_info.get("token", "") + RATE_PATH
    return web.Response(text=render(view, services.ports.clock.now(), rate_path),
                        content_type="text/html", charset="utf-8", headers=HEADERS)


async def limited(request: web.Request, services: Services) -> web.Response | None:
    """The per-address limit every page under /p/ shares: the 429 page, or None."""
    address = client_address(request, services.settings)
    wait = await RateLimiter(services.store, prefix="progress:rl:").try_acquire(
        address, services.settings.progress_page_per_minute, WINDOW)
    if wait is None:
        return None
    log.info("progress_page.limited")
    return too_many(wait)


def add_routes(app: web.Application) -> None:
    # Every path under /p/ is a token to check: a shape no token has gets the same 404 page.
    app.router.add_get("/p/{token:.*}", progress_page)
