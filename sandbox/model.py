"""The sandbox's world: plain dataclasses, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class SandboxError(Exception):
    """An API answer with a non-zero errcode (the sandbox's equivalent of WeCom refusing)."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"{errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


@dataclass
class AppAdmin:
    """What an administrator set for one app in WeCom's admin console."""

    visible_users: set[str] | None = None  # 可见范围; None: the whole corp (department 1)
    trusted_ips: set[str] | None = None  # 企业可信IP; None: not enforced
    contact_api: bool = True  # listed under 客户联系 → 可调用接口的应用
    kf_api: bool = True  # listed under 微信客服 → 可调用接口的应用
    secret: str | None = None  # after 重置 Secret in the console; None: the configured one
    callback_format: str = "xml"  # 接收消息格式: "xml" or "json" (protocol-2.md §9)
    # 网页授权及JS-SDK 可信域名 (host[:port]); None: the host of the callback URL, as an
    # admin sets it for the service that receives the app's callbacks.
    trusted_domain: str | None = None


@dataclass
class Staff:
    userid: str
    name: str
    role: str = ""
    active: bool = True
    console_welcome: bool = False  # a console welcome → no WelcomeCode (docs 92277)
    leader: str = ""  # 直属上级 (user/get's direct_leader), set in the admin console


@dataclass
class Customer:
    external_userid: str
    name: str
    unionid: str = ""
    gender: int = 0
    avatar: str = ""
    # staff userid → {"createtime", "state", "remark"}
    follow: dict[str, dict[str, Any]] = field(default_factory=dict)
    last_task_day: str = ""  # the natural day (UTC+8) it last received a 群发


@dataclass
class Servicer:
    userid: str
    status: int = 0  # 0 接待中, 1 停止接待
    stop_type: int = 0


@dataclass
class KfAccount:
    open_kfid: str
    name: str
    manage_privilege: bool = True  # the app may manage it by API (管理权限)
    servicers: dict[str, Servicer] = field(default_factory=dict)
    # 升级服务 targets configured in the console; None: any existing member/group.
    upgrade_members: set[str] | None = None
    upgrade_groups: set[str] | None = None
    # A welcome set in the console: WeCom sends it itself and (in the older wording of the
    # docs, the strictest) issues no welcome_code (protocol.md §3.1).
    console_welcome: bool = False


@dataclass
class KfSession:
    open_kfid: str
    external_userid: str
    state: int = 4  # 4 已结束/未开始 until the customer writes
    servicer_userid: str = ""
    last_customer_msg_at: float | None = None
    sent_since_customer: int = 0
    last_welcome_at: float | None = None
    last_sent_at: float | None = None  # anything the customer received from the account


@dataclass
class Code:
    """A one-use code: contact WelcomeCode, kf welcome_code / msg_code, response_code."""

    code: str
    kind: str  # contact_welcome | kf_welcome | kf_state | aibot_response
    issued_at: float
    ttl: float
    target: dict[str, Any] = field(default_factory=dict)
    used: bool = False
    # Another app is sending with this code until then (41096 meanwhile); whether its
    # welcome reaches the customer when it is done.
    held_until: float = 0.0
    holder_delivers: bool = False


@dataclass
class GroupMember:
    userid: str
    type: int  # 1 member, 2 external
    join_time: float
    join_scene: int  # groupchat/get: 1 direct, 2 link, 3 QR
    invitor: str = ""
    state: str = ""


@dataclass
class Group:
    chat_id: str
    name: str
    owner: str
    create_time: float
    notice: str = ""
    status: int = 0
    members: dict[str, GroupMember] = field(default_factory=dict)
    admins: list[str] = field(default_factory=list)
    version: int = 0
    last_task_day: str = ""  # the natural day (UTC+8) it last received a 群发


@dataclass
class JoinWay:
    config_id: str
    scene: int
    chat_id_list: list[str]
    remark: str = ""
    auto_create_room: int = 1
    room_base_name: str = ""
    room_base_id: int = 0
    state: str = ""
    qr_code: str = ""


@dataclass
class GroupTask:
    msgid: str
    chat_type: str  # single | group
    content: dict[str, Any]
    created_at: float
    assign: dict[str, str]  # target (chat_id or external_userid) → sender userid
    senders: dict[str, int] = field(default_factory=dict)  # userid → 0 未发送 / 2 已发送
    send_time: dict[str, float] = field(default_factory=dict)  # userid → when confirmed
    results: dict[str, int] = field(default_factory=dict)  # target → 0/1/2/3
    reminders: int = 0
    reminded_at: list[float] = field(default_factory=list)
