"""WeCom API errors and the error codes the client and the sandbox share (protocol.md §7.2).

Codes marked "sandbox choice" are ones WeCom does not publish for the case; the sandbox uses
them consistently and the client treats them as ordinary, non-retryable errors.
"""

from __future__ import annotations

import re

from bot.protocol.redaction import scrub_text

# Global codes (docs 90455 全局错误码).
SYSTEM_BUSY = -1
INVALID_SECRET = 40001
INVALID_CORPID = 40013
INVALID_TOKEN = 40014
INVALID_AGENTID = 40056
INVALID_PARAM = 40058  # 不合法的参数 (also: the sandbox's choice for unpublished cases)
INVALID_EXTERNAL_USERID = 40096
MISSING_TOKEN = 41001
# Welcome codes (docs 92137/92599): 41050 the code is invalid or past its 20 s; 41051 the
# customer and the member already chatted (a welcome was delivered, by whoever); 41096
# another app is sending with the same code right now (not proof of delivery: may retry).
WELCOME_CODE_INVALID = 41050
WELCOME_CODE_USED = 41051
WELCOME_CONCURRENT = 41096
TOKEN_EXPIRED = 42001
# 企业群发: a look-up right after creation ("being dispatched", try again later); a 4th
# reminder within 24 h (41094 is the likeliest code, protocol-2.md §7.2: inference).
GROUPMSG_DISPATCHING = 41063
GROUPMSG_REMIND_LIMIT = 41094
DATA_FORMAT_ERROR = 47001
FREQ_LIMIT = 45009
CONCURRENCY_LIMIT = 45033
CONTENT_TOO_LARGE = 45002
NO_PERMISSION = 48002
UNTRUSTED_IP = 60020  # 不安全的访问IP: the caller's IP is not in the app's 企业可信IP
NO_APP_PRIVILEGE = 301002  # 无权限操作指定的应用: the agentid is not the token's app
ALL_RECIPIENTS_INVALID = 81013
NO_EXTERNAL_RELATION = 84061
# Directory (读取成员): a member outside the app's visible range, an unknown userid.
NO_CONTACT_PRIVILEGE = 60011
USERID_NOT_FOUND = 60111
INVALID_DEPARTMENT = 60123  # 无效的部门id
INVALID_MEDIA_ID = 40007
INVALID_MEDIA_TYPE = 40004
INVALID_FILE_SIZE = 40006
INVALID_AGENTID = 40056
# Customer groups: unknown chat_id (sandbox choice; WeCom's page lists 40050 for chatid).
INVALID_CHAT_ID = 40050
# 「联系我」 (protocol-2.md §1.8): missing/invalid type and scene, over 100 members, bad
# style, missing/invalid config_id, the corp's 500,000 API-made ways used up, a member who
# never activated WeCom.
CONTACT_WAY_MISSING_TYPE = 41037
CONTACT_WAY_MISSING_SCENE = 41038
CONTACT_WAY_INVALID_TYPE = 41039
CONTACT_WAY_INVALID_SCENE = 41040
CONTACT_WAY_TOO_MANY_USERS = 41041
CONTACT_WAY_INVALID_STYLE = 41042
CONTACT_WAY_MISSING_CONFIG_ID = 41043
CONTACT_WAY_INVALID_CONFIG_ID = 41044
CONTACT_WAY_QUOTA = 41045
USER_NOT_ACTIVE = 41054
# Corp tags (protocol-2.md §2): an invalid tag id; a bad or already used tag name.
INVALID_TAG_ID = 40068
INVALID_TAG_NAME = 40071
# Media (protocol-2.md §4.1): a bad type parameter, image/video sizes out of range.
INVALID_MEDIA_TYPE_PARAM = 40005
INVALID_IMAGE_SIZE = 40009
INVALID_VIDEO_SIZE = 40011
MISSING_MEDIA_ID = 41006
# Attachments of 群发 and welcomes (protocol-2.md §7.1): too many, of a type not accepted.
TOO_MANY_ATTACHMENTS = 41064
INVALID_ATTACHMENT_TYPE = 41065
# 微信客服 (protocol.md §3.5 and issue threads quoting WeCom's errmsg).
KF_INVALID_OPEN_KFID = 95000
KF_OVER_SEND_LIMIT = 95001  # only used when the sandbox runs with kf_over_limit="error"
KF_OPEN_KFID_NOT_FOUND = 95004
KF_INVALID_MSG_TOKEN = 95007  # sandbox choice: sync_msg token unknown, expired or foreign
KF_INVALID_MSG_CODE = 95013  # sandbox choice: send_msg_on_event code unknown/used/expired
KF_SERVICER_INACTIVE = 95014
KF_MENU_TOO_MANY = 95008  # msgmenu with more than 10 items
KF_MENU_BAD_ITEM = 95009  # msgmenu item of an unknown type
KF_BAD_TRANSITION = 95016  # sandbox choice: service_state/trans not allowed
KF_SESSION_STATE_INVALID = 95018  # "send msg session status invalid" (send_msg outside 0/1)
KF_UPGRADE_NOT_CONFIGURED = 95021
KF_API_DISABLED = 95017  # 基础应用权限下，api开关处于关闭状态

# Every code named above: an answer outside it is logged and counted (bot.wecom.unknown_codes).
KNOWN_CODES = frozenset(v for k, v in dict(globals()).items()
                        if k.isupper() and isinstance(v, int) and not isinstance(v, bool))

TOKEN_CODES = frozenset({INVALID_TOKEN, TOKEN_EXPIRED, INVALID_SECRET})
# Refusals only an operator can fix (the app's settings in WeCom's admin console, or ours):
# a message refused for one of these is not lost, it waits until the fix.
OPERATOR_CODES = frozenset({UNTRUSTED_IP, NO_APP_PRIVILEGE})
RATE_LIMIT_CODES = frozenset({FREQ_LIMIT, CONCURRENCY_LIMIT})


class WeComError(Exception):
    """Base of everything the client raises."""


class WeComAPIError(WeComError):
    """WeCom answered with a non-zero errcode. ``api`` is the path, never with a query."""

    def __init__(self, errcode: int, errmsg: str, api: str) -> None:
        self.errcode = errcode
        self.errmsg = scrub_text(errmsg or "")
        self.api = api.split("?", 1)[0]
        # The client retried after a try WeCom never answered (a timeout, a 5xx): that try
        # may have landed, so "already used / duplicate" answers may mean it did.
        self.after_unanswered = False
        super().__init__(f"{self.api}: errcode {errcode}: {self.errmsg}")


class OperatorError(WeComAPIError):
    """A refusal only an operator can fix (``OPERATOR_CODES``); ``hint`` says what to do."""

    @property
    def hint(self) -> str:
        return operator_hint(self.errcode, egress_ip(self.errmsg))


def operator_hint(errcode: int, ip: str | None) -> str:
    """What the operator must do about one of ``OPERATOR_CODES`` (English, for logs)."""
    if errcode == UNTRUSTED_IP:
        return (f"add IP {ip or '(the egress IP WeCom reports)'} to the app's trusted IPs "
                "(企业可信IP)")
    return ("the agent_id does not belong to the app whose secret made the token: check "
            "that the app's agent_id and secret are the same app's")


_FROM_IP = re.compile(r"from ip: ?([0-9A-Fa-f.:]+)")


def egress_ip(errmsg: str) -> str | None:
    """The caller's IP as WeCom saw it: errmsg ends ``…, from ip: 1.2.3.4, more info at …``."""
    m = _FROM_IP.search(errmsg)
    return m.group(1).rstrip(".,:") if m else None


class TokenError(WeComAPIError):
    """The access_token was rejected (40014/42001, or 40001 read as a token problem)."""


class RateLimitError(WeComAPIError):
    """Frequency or concurrency limit (45009/45033), still failing after the retry budget."""


class LimiterBusy(WeComError):
    """Our own rate limiter would make this call wait longer than the caller allows; nothing
    was sent. ``retry_after`` is when a slot frees up (seconds)."""

    def __init__(self, api: str, retry_after: float) -> None:
        super().__init__(f"{api}: rate limit window full, retry in {retry_after:.1f}s")
        self.api = api
        self.retry_after = retry_after


class WeComHTTPError(WeComError):
    """Transport failure (timeout, connection, HTTP 5xx or a non-JSON answer) after retries."""

    def __init__(self, api: str, detail: str, status: int | None = None) -> None:
        self.api = api.split("?", 1)[0]
        self.status = status
        self.detail = scrub_text(detail)
        super().__init__(f"{self.api}: {self.detail}")


def error_for(errcode: int, errmsg: str, api: str) -> WeComAPIError:
    if errcode in (INVALID_TOKEN, TOKEN_EXPIRED):
        return TokenError(errcode, errmsg, api)
    if errcode in RATE_LIMIT_CODES:
        return RateLimitError(errcode, errmsg, api)
    if errcode in OPERATOR_CODES:
        return OperatorError(errcode, errmsg, api)
    return WeComAPIError(errcode, errmsg, api)
# Staff login (auth/getuserinfo, protocol-2.md §5.3): the code is missing, unknown, used or
# past its 5 minutes, or the redirect's domain is not the app's trusted domain.
MISSING_OAUTH_CODE = 41008
INVALID_OAUTH_CODE = 40029
UNTRUSTED_REDIRECT_DOMAIN = 50001
