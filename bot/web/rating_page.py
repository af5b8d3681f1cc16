"""The customer's rating form, ``GET``/``POST /p/{token}/rate``: the order's satisfaction
survey (``bot.orders.order_surveys``) rated 1–5 with an optional sentence.

The progress link's signed token is the key here too: a wrong, expired or revoked one gets
the progress page's plain 404, and the per-address limit is the progress page's. No script:
a plain HTML form. Against cross-site posts: each form carries a token signed for this
survey and this link, good for ``FORM_TTL``; a post from another site's page (its
``Origin``, or ``Sec-Fetch-Site: cross-site``) is refused; the page may only submit to
itself (CSP ``form-action 'self'``) and may not be framed. A rating is taken once; the post
answers 303 back to the form, which then thanks (so a reload never posts again).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from html import escape
from urllib.parse import parse_qs, urlsplit

from aiohttp import web

from bot.conversations import surveys
from bot.infra.logs import get_logger
from bot.infra.server_secrets import progress_link_key
from bot.orders import order_surveys
from bot.runtime import Services
from bot.web.appkeys import SERVICES
from bot.web.progress_page import CSP, HEADERS, document, limited, not_found

log = get_logger("bot.web.rating_page")
FORM_TTL = 2 * 3600  # seconds a form stays good for posting
MAX_BODY = 4096  # a score and 200 characters, form-encoded, fit many times over
COMMENT_MAX = surveys.COMMENT_MAX
_CONTEXT = b"wecom-bot rating form\n"  # the key signs nothing else with this prefix
# The form may post to itself only; and it sends its own origin with the post (browsers
# send "Origin: null" under no-referrer, which cannot be told from a sandboxed frame's).
FORM_HEADERS = {**HEADERS, "Referrer-Policy": "same-origin",
                "Content-Security-Policy": CSP.replace("form-action 'none'",
                                                       "form-action 'self'")}


def form_token(key: bytes, survey_id: int, link_token: str, issued: int) -> str:
    msg = _CONTEXT + f"{survey_id}\n{link_token}\n{issued}".encode()
    return f"{issued}.{hmac.new(key, msg, hashlib.sha256).hexdigest()[:32]}"


def form_token_ok(key: bytes, survey_id: int, link_token: str, value: str, now: float) -> bool:
    issued, _, _ = value.partition(".")
    if not issued.isdigit() or len(issued) > 12:
        return False
    age = now - int(issued)
    if not -60 <= age <= FORM_TTL:  # a little of the future: clocks of several processes
        return False
    return hmac.compare_digest(form_token(key, survey_id, link_token, int(issued)), value)


def _page(status: int, title: str, body: str, headers: dict[str, str] = HEADERS
          ) -> web.Response:
    text = document(title, body, referrer=headers["Referrer-Policy"])
    return web.Response(status=status, text=text, content_type="text/html", charset="utf-8",
                        headers=headers)


def _thanks(order_no: str, score: int) -> web.Response:
    return _page(200, "感谢您的评价", (
        f"<section class=\"card\" id=\"thanks\" data-score=\"{score}\"><h1>感谢您的评价</h1>"
        f"<p class=\"muted\">订单 {escape(order_no)}：您给了 {score} 分。"
        "您的意见会转达给服务团队。</p><p><a href=\"../\">返回订单进度</a></p></section>"))


def _form(order_no: str, csrf: str, *, score: str = "", comment: str = "",
          error: str = "", status: int = 200) -> web.Response:
    options = "".join(
        f"<label class=\"score\"><input type=\"radio\" name=\"score\" value=\"{s}\" required"
        f"{' checked' if str(s) == score else ''}>{escape(label)}</label>"
        for s, label in surveys.SCORES)
    problem = f"<p class=\"error\" id=\"rate-error\">{escape(error)}</p>" if error else ""
    body = (f"<h1>服务评价</h1><p class=\"sub\">订单号 {escape(order_no)}</p>"
            "<form class=\"card\" id=\"rate-form\" method=\"post\" action=\"\">"
            f"<input type=\"hidden\" name=\"csrf\" value=\"{escape(csrf)}\">{problem}"
            f"<fieldset><legend>请为我们的服务打分</legend>{options}</fieldset>"
            f"<p><label for=\"comment\">想对我们说的话（选填，{COMMENT_MAX} 字以内）</label>"
            f"<textarea id=\"comment\" name=\"comment\" rows=\"3\" maxlength=\"{COMMENT_MAX}\">"
            f"{escape(comment)}</textarea></p>"
            "<button type=\"submit\" id=\"rate-submit\">提交评价</button></form>")
    return _page(status, "服务评价", body, FORM_HEADERS)


def _cross_site(request: web.Request) -> bool:
    """A post made by another site's page: its browser says so (Origin naming another host
    or "null", as a sandboxed frame's; or Sec-Fetch-Site). A post without either (an old
    browser) relies on the form's token alone."""
    if request.headers.get("Sec-Fetch-Site", "") == "cross-site":
        return True
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    return origin == "null" or urlsplit(origin).netloc.lower() != request.host.lower()


async def rate_page(request: web.Request) -> web.Response:
    services: Services = request.app[SERVICES]
    refused = await limited(request, services)
    if refused is not None:
        return refused
    token = request.match_info.get("token", "")
    now = services.ports.clock.now()
    found = await order_surveys.for_token(services.settings, token, now)
    if found is None:
        return not_found()
    order, survey = found
    if survey is None:  # no survey asked yet: nothing to rate here
        return not_found()
    if survey.score is not None:
        return _thanks(order.order_no, survey.score)
    key = await progress_link_key(services.settings)
    if request.method == "GET":
        return _form(order.order_no, form_token(key, survey.id, token, int(now.timestamp())))
    return await _post(request, services, key, order.order_no, survey.id, token, now)


async def _post(request: web.Request, services: Services, key: bytes, order_no: str,
                survey_id: int, token: str, now: datetime) -> web.Response:
    fresh = form_token(key, survey_id, token, int(now.timestamp()))
    if _cross_site(request):
        log.info("rating_page.cross_site")
        return _page(403, "无法提交", "<div class=\"card\"><h1>无法提交</h1><p class=\"muted\">"
                     "请在订单进度页中打开评价后提交。</p></div>")
    if request.content_type != "application/x-www-form-urlencoded":
        return _form(order_no, fresh, error="提交的格式不对，请重新填写。", status=400)
    if (request.content_length or 0) > MAX_BODY:
        return _form(order_no, fresh, error="内容太长了，请精简后再提交。", status=413)
    raw = await request.content.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        return _form(order_no, fresh, error="内容太长了，请精简后再提交。", status=413)
    try:
        fields = parse_qs(raw.decode("utf-8"), max_num_fields=10)
    except (UnicodeDecodeError, ValueError):
        return _form(order_no, fresh, error="提交的内容无法识别，请重新填写。", status=400)
    score = (fields.get("score") or [""])[0]
    comment = (fields.get("comment") or [""])[0]
    csrf = (fields.get("csrf") or [""])[0]
    if not form_token_ok(key, survey_id, token, csrf, now.timestamp()):
        return _form(order_no, fresh, score=score, comment=comment[:COMMENT_MAX],
                     error="页面已过期，请重新提交。", status=403)
    if score not in {str(s) for s, _ in surveys.SCORES}:
        return _form(order_no, fresh, comment=comment[:COMMENT_MAX],
                     error="请选择 1 到 5 分。", status=400)
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        return _form(order_no, fresh, score=score, comment=comment[:COMMENT_MAX],
                     error=f"留言最多 {COMMENT_MAX} 字。", status=400)
    # Taken once: a second post (another tab) finds it rated and gets the thanks.
    await surveys.rate_on_page(services.ports, survey_id, int(score), comment or None, now)
    raise web.HTTPSeeOther(location=request.path, headers=HEADERS)


def add_routes(app: web.Application) -> None:
    path = "/p/{token:[A-Za-z0-9_-]{1,64}}" + order_surveys.RATE_PATH
    app.router.add_get(path, rate_page)
    app.router.add_post(path, rate_page)
