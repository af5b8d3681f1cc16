"""Which part of the sandbox answers each WeCom API path and each control action.

``http.py`` serves these tables; they take the ``Sandbox`` and parsed arguments only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from bot.protocol import errors as E
from sandbox.model import SandboxError

if TYPE_CHECKING:
    from sandbox import Sandbox

Q = dict[str, Any]
ApiFn = Callable[["Sandbox", str, Q, Q], Q]
Control = Callable[["Sandbox", Q], Awaitable[Any]]

_EC = "externalcontact/"
_GROUPCHAT = "externalcontact/groupchat/"
_TEMPLATE = "externalcontact/group_welcome_template/"

# path → (needs access_token, handler(sandbox, app_name, query, body)); gettoken and
# media/upload (a multipart body) are served by http.py itself.
API: dict[str, tuple[bool, ApiFn]] = {
    "message/send": (True, lambda s, a, q, b: s.app_messages.api_message_send(a, b)),
    "aibot/response": (
        False,
        lambda s, a, q, b: s.aibot.api_aibot_response(q.get("response_code"), b),
    ),
    "user/get": (True, lambda s, a, q, b: s.contacts.api_user_get(a, q)),
    "user/simplelist": (True, lambda s, a, q, b: s.contacts.api_user_simplelist(a, q)),
    "agent/get": (True, lambda s, a, q, b: s.contacts.api_agent_get(a, q)),
    "auth/getuserinfo": (True, lambda s, a, q, b: s.staff_login.api_getuserinfo(a, q)),
    "externalcontact/get_follow_user_list": (
        True,
        lambda s, a, q, b: s.contacts.api_get_follow_user_list(a),
    ),
    "externalcontact/get": (True, lambda s, a, q, b: s.contacts.api_externalcontact_get(q)),
    "externalcontact/send_welcome_msg": (
        True,
        lambda s, a, q, b: s.contacts.api_send_welcome_msg(b),
    ),
    _EC + "add_contact_way": (True, lambda s, a, q, b: s.contact_ways.api_add_contact_way(a, b)),
    _EC + "get_contact_way": (True, lambda s, a, q, b: s.contact_ways.api_get_contact_way(b)),
    _EC + "list_contact_way": (True, lambda s, a, q, b: s.contact_ways.api_list_contact_way(b)),
    _EC + "update_contact_way": (
        True,
        lambda s, a, q, b: s.contact_ways.api_update_contact_way(a, b),
    ),
    _EC + "del_contact_way": (True, lambda s, a, q, b: s.contact_ways.api_del_contact_way(b)),
    _EC + "list": (True, lambda s, a, q, b: s.contact_listing.api_list(a, q)),
    _EC + "batch/get_by_user": (
        True,
        lambda s, a, q, b: s.contact_listing.api_batch_get_by_user(a, b),
    ),
    _EC + "get_corp_tag_list": (True, lambda s, a, q, b: s.corp_tags.api_get_corp_tag_list(b)),
    _EC + "add_corp_tag": (True, lambda s, a, q, b: s.corp_tags.api_add_corp_tag(b)),
    _EC + "edit_corp_tag": (True, lambda s, a, q, b: s.corp_tags.api_edit_corp_tag(b)),
    _EC + "del_corp_tag": (True, lambda s, a, q, b: s.corp_tags.api_del_corp_tag(b)),
    _EC + "mark_tag": (True, lambda s, a, q, b: s.corp_tags.api_mark_tag(a, b)),
    _EC + "remark": (True, lambda s, a, q, b: s.contacts.api_remark(b)),
    _GROUPCHAT + "list": (True, lambda s, a, q, b: s.customer_groups.api_groupchat_list(b)),
    _GROUPCHAT + "get": (True, lambda s, a, q, b: s.customer_groups.api_groupchat_get(b)),
    _GROUPCHAT + "add_join_way": (True, lambda s, a, q, b: s.customer_groups.api_add_join_way(b)),
    _GROUPCHAT + "get_join_way": (True, lambda s, a, q, b: s.customer_groups.api_get_join_way(b)),
    _GROUPCHAT + "del_join_way": (True, lambda s, a, q, b: s.customer_groups.api_del_join_way(b)),
    "externalcontact/add_msg_template": (
        True,
        lambda s, a, q, b: s.mass_messaging.api_add_msg_template(b),
    ),
    "externalcontact/get_groupmsg_task": (
        True,
        lambda s, a, q, b: s.mass_messaging.api_get_groupmsg_task(b),
    ),
    "externalcontact/get_groupmsg_list_v2": (
        True,
        lambda s, a, q, b: s.mass_messaging.api_get_groupmsg_list_v2(b),
    ),
    "externalcontact/get_groupmsg_send_result": (
        True,
        lambda s, a, q, b: s.mass_messaging.api_get_groupmsg_send_result(b),
    ),
    "externalcontact/remind_groupmsg_send": (
        True,
        lambda s, a, q, b: s.mass_messaging.api_remind_groupmsg_send(b),
    ),
    _TEMPLATE + "add": (True, lambda s, a, q, b: s.mass_messaging.api_template_add(b)),
    _TEMPLATE + "edit": (True, lambda s, a, q, b: s.mass_messaging.api_template_edit(b)),
    _TEMPLATE + "get": (True, lambda s, a, q, b: s.mass_messaging.api_template_get(b)),
    _TEMPLATE + "del": (True, lambda s, a, q, b: s.mass_messaging.api_template_del(b)),
    "kf/account/list": (True, lambda s, a, q, b: s.kf_endpoints.account_list(b)),
    "kf/servicer/list": (True, lambda s, a, q, b: s.kf_endpoints.servicer_list(q)),
    "kf/sync_msg": (True, lambda s, a, q, b: s.kf_endpoints.sync_msg(b)),
    "kf/send_msg": (True, lambda s, a, q, b: s.kf_endpoints.send_msg(b)),
    "kf/send_msg_on_event": (True, lambda s, a, q, b: s.kf_endpoints.send_msg_on_event(b)),
    "kf/service_state/get": (True, lambda s, a, q, b: s.kf_endpoints.service_state_get(b)),
    "kf/service_state/trans": (True, lambda s, a, q, b: s.kf_endpoints.service_state_trans(b)),
    "kf/customer/batchget": (True, lambda s, a, q, b: s.kf_endpoints.customer_batchget(b)),
    "kf/customer/upgrade_service": (True, lambda s, a, q, b: s.kf_endpoints.upgrade_service(b)),
}


async def _faults(sb: Sandbox, b: Q) -> Any:
    f = sb.corp.set_faults(**b)
    return {"faults": {**f.as_dict(), "paths": list(f.paths)}}


async def _advance(sb: Sandbox, b: Q) -> Any:
    advance = getattr(sb.corp.clock, "advance", None)
    if advance is None:
        raise SandboxError(E.INVALID_PARAM, "this sandbox's clock cannot be moved")
    advance(float(b["seconds"]))
    return {"now": sb.corp.now()}


async def _invalidate_tokens(sb: Sandbox, b: Q) -> Any:
    return {"invalidated": sb.corp.invalidate_tokens(b.get("app"))}


async def _admin_app(sb: Sandbox, b: Q) -> Any:
    """What an administrator sets for an app in WeCom's console: 可见范围 (``visible_users``,
    null: the whole corp), 企业可信IP (``trusted_ips``, null: not enforced), the 客户联系 and
    微信客服 API permissions (``contact_api``, ``kf_api``), a reset ``secret``, the
    接收消息格式 of a self-built app's callbacks (``callback_format``: xml or json), the
    可信域名 of 网页授权 and 扫码登录 (``trusted_domain``: host[:port]; null: the callback's)."""
    admin = sb.corp.admin.get(b["app"])
    if admin is None:
        raise SandboxError(E.INVALID_PARAM, "no such app")
    for name in ("visible_users", "trusted_ips"):
        if name in b:
            setattr(admin, name, None if b[name] is None else {str(x) for x in b[name]})
    for name in ("contact_api", "kf_api"):
        if name in b:
            setattr(admin, name, bool(b[name]))
    if "secret" in b:
        admin.secret = str(b["secret"])
    if "trusted_domain" in b:
        admin.trusted_domain = None if b["trusted_domain"] is None else str(b["trusted_domain"])
    if "callback_format" in b:
        if b["callback_format"] not in ("xml", "json") or sb.corp.apps[b["app"]].kind != "app":
            raise SandboxError(E.INVALID_PARAM, "callback_format is xml or json, for an app")
        admin.callback_format = b["callback_format"]
    return {"app": b["app"]}


async def _egress_ip(sb: Sandbox, b: Q) -> Any:
    sb.corp.egress_ip = b.get("ip") or None
    return {"ip": sb.corp.egress_ip}


async def _kf_account(sb: Sandbox, b: Q) -> Any:
    """The console: delete a kf account, give/take the app's 管理权限 over it, or set a
    console welcome (``console_welcome``: then WeCom issues no welcome_code)."""
    kf = sb.kf.account(b["open_kfid"])
    if b.get("delete"):
        del sb.kf.accounts[kf.open_kfid]
    elif "manage_privilege" in b:
        kf.manage_privilege = bool(b["manage_privilege"])
    if "console_welcome" in b:
        kf.console_welcome = bool(b["console_welcome"])
    return {"open_kfid": kf.open_kfid}


async def _expire_media(sb: Sandbox, b: Q) -> Any:
    """Temporary media die now, as after their 3 days (one ``media_id``, or all)."""
    return {"expired": sb.corp.media.expire(b.get("media_id"))}


async def _populate(sb: Sandbox, b: Q) -> Any:
    """Many members and customers at once, no callbacks (a sync's or a bench's world)."""
    return sb.contact_listing.populate(staff=int(b["staff"]), customers=int(b["customers"]),
                                       follows_per_customer=int(b.get("follows", 1)))


CONTROL: dict[str, Control] = {
    "kf/customer_says": lambda s, b: s.kf.customer_says(
        b["open_kfid"], b["external_userid"], b.get("text", ""), menu_id=b.get("menu_id")
    ),
    "kf/customer_enters": lambda s, b: s.kf.customer_enters(
        b["open_kfid"],
        b["external_userid"],
        scene=b.get("scene", ""),
        scene_param=b.get("scene_param", ""),
    ),
    "kf/servicer_status": lambda s, b: s.kf.set_servicer_status(
        b["open_kfid"], b["userid"], bool(b["receiving"])
    ),
    "kf/servicer_says": lambda s, b: s.kf.servicer_says(
        b["open_kfid"], b["external_userid"], b["userid"], b["text"]
    ),
    "kf/servicer_ends": lambda s, b: s.kf.servicer_ends_session(
        b["open_kfid"], b["external_userid"]
    ),
    "contact/add": lambda s, b: s.contacts.staff_adds_customer(
        b["userid"], b.get("external_userid"), name=b.get("name"), state=b.get("state", "")
    ),
    "contact_way/scan": lambda s, b: s.contact_ways.customer_scans(
        b["config_id"], b.get("external_userid"), name=b.get("name"), userid=b.get("userid")
    ),
    "tags/admin_edits": lambda s, b: s.corp_tags.admin_edits_tags(
        b["change"], group_name=b.get("group_name", ""), name=b.get("name", ""),
        tag_id=b.get("tag_id", "")
    ),
    "tags/staff_tags": lambda s, b: s.corp_tags.staff_tags_customer(
        b["userid"], b["external_userid"], add=b.get("add", []), remove=b.get("remove", [])
    ),
    "contact/customer_deletes": lambda s, b: s.contacts.customer_deletes_staff(
        b["external_userid"], b["userid"]
    ),
    "contact/staff_deletes": lambda s, b: s.contacts.staff_deletes_customer(
        b["userid"], b["external_userid"], by_transfer=bool(b.get("by_transfer"))
    ),
    "groups/create": lambda s, b: s.customer_groups.staff_creates_group(
        b["owner"], b["name"], b.get("members", [])
    ),
    "groups/join": lambda s, b: s.customer_groups.customer_joins_group(
        b["external_userid"],
        chat_id=b.get("chat_id"),
        config_id=b.get("config_id"),
        join_scene=int(b.get("join_scene", 3)),
        invitor=b.get("invitor", ""),
    ),
    "groups/leave": lambda s, b: s.customer_groups.customer_leaves_group(
        b["chat_id"], b["external_userid"], quit_scene=int(b.get("quit_scene", 0))
    ),
    "groups/rename": lambda s, b: s.group_owner.owner_renames_group(b["chat_id"], b["name"]),
    "groups/notice": lambda s, b: s.group_owner.owner_edits_notice(b["chat_id"], b["notice"]),
    "groups/hand_over": lambda s, b: s.group_owner.owner_hands_over(b["chat_id"], b["owner"]),
    "groups/dismiss": lambda s, b: s.group_owner.owner_dismisses_group(b["chat_id"]),
    "contact/edit": lambda s, b: s.contacts.staff_edits_customer(
        b["userid"], b["external_userid"], remark=b.get("remark")
    ),
    "contact/add_unverified": lambda s, b: s.contacts.customer_adds_unverified(
        b["userid"], b.get("external_userid"), state=b.get("state", "")
    ),
    "contact/transfer_fail": lambda s, b: s.contacts.transfer_fails(
        b["userid"], b["external_userid"], b.get("reason", "customer_refused")
    ),
    "tasks/confirm": lambda s, b: s.mass_messaging.owner_confirms_task(
        b["msgid"], b.get("userid")
    ),
    "app/staff_says": lambda s, b: s.app_messages.staff_says(
        b["userid"], b["text"], app=b.get("app")
    ),
    "aibot/mention": lambda s, b: s.aibot.staff_mentions_aibot(
        b["userid"], b["text"], chatid=b.get("chatid"), app=b.get("app")
    ),
    "tokens/invalidate": _invalidate_tokens,
    "admin/app": _admin_app,
    "admin/egress_ip": _egress_ip,
    "kf/account": _kf_account,
    "faults": _faults,
    "contact/populate": _populate,
    "media/expire": _expire_media,
    "clock/advance": _advance,
}
