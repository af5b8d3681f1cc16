"""Rich message parts as admins save them, checked against what each WeCom API accepts
(protocol-2.md §4.5), before anything is saved.

Media are referenced from the media library, never by a raw media_id (it dies in 3 days):
``{"media": id}`` is the message's own file (image, video, file), ``"pic_media": id`` a
card's picture (a link's ``picurl``, a mini-program's cover). ``media_library.resolve``
turns them into what the API takes at each send.

Attachments of ``send_welcome_msg`` and ``add_msg_template``:
``[{"msgtype": "image", "image": {"media": 3}}, {"msgtype": "link", "link": {"title": …,
"url": …, "desc": …, "pic_media": 4}}, {"msgtype": "miniprogram", "miniprogram": {"title",
"pic_media", "appid", "page"}}, {"msgtype": "video", "video": {"media": 5}},
{"msgtype": "file", "file": {"media": 6}}]`` — at most 9.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.customers import customer_store as db
from bot.customers.customer_errors import Invalid
from bot.protocol import text_limits as L

MAX_ATTACHMENTS = 9  # send_welcome_msg and add_msg_template (41064 past it)
UPLOADIMG_MAX = 2 * 1024 * 1024  # media/uploadimg: a link card's picture
URL_MAX = 2048
MINIPROGRAM_TITLE = 64
_API_NAMES = {"send_welcome_msg": "新客户欢迎语", "add_msg_template": "群发",
              "group_welcome_template": "入群欢迎语", "kf_send_msg": "客服消息"}
# The types each API takes besides text.
ACCEPTS = {
    "send_welcome_msg": ("image", "link", "miniprogram", "video", "file"),
    "add_msg_template": ("image", "link", "miniprogram", "video", "file"),
    "group_welcome_template": ("image", "link", "miniprogram", "video", "file"),
}
_KIND_NAMES = {"image": "图片", "video": "视频", "file": "文件", "voice": "语音"}


async def check_attachments(api: str, items: Any, field: str = "attachments"
                            ) -> list[dict[str, Any]]:
    """The attachments as they will be stored, or Invalid naming the first bad one."""
    if items is None:
        return []
    if not isinstance(items, list):
        raise Invalid("附件应为列表", field)
    if len(items) > MAX_ATTACHMENTS:
        raise Invalid(f"{_API_NAMES[api]}最多 {MAX_ATTACHMENTS} 个附件（当前 {len(items)} 个）",
                      field)
    out = []
    for i, item in enumerate(items):
        at = f"{field}[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("msgtype"), str):
            raise Invalid("每个附件需要 msgtype 及对应内容", at)
        kind = item["msgtype"]
        if kind not in ACCEPTS[api] or not isinstance(item.get(kind), dict):
            raise Invalid(f"{_API_NAMES[api]}不支持附件类型 {kind!r}"
                          f"（可用：{'、'.join(ACCEPTS[api])}）", f"{at}.msgtype")
        out.append({"msgtype": kind, kind: await check_part(api, kind, item[kind],
                                                            f"{at}.{kind}")})
    return out


async def check_template_attachment(attachment: Any, field: str = "attachment"
                                    ) -> dict[str, Any] | None:
    """A group welcome template's one attachment: ``{"image": {...}}`` or another type."""
    if attachment is None or attachment == {}:
        return None
    if not isinstance(attachment, dict) or len(attachment) != 1:
        raise Invalid("入群欢迎语只能带一个附件（图片、链接、小程序、视频或文件之一）", field)
    ((kind, body),) = attachment.items()
    if kind not in ACCEPTS["group_welcome_template"] or not isinstance(body, dict):
        raise Invalid(f"入群欢迎语不支持附件类型 {kind!r}", field)
    return {kind: await check_part("group_welcome_template", kind, body, f"{field}.{kind}")}


async def check_part(api: str, kind: str, body: Mapping[str, Any], at: str) -> dict[str, Any]:
    if "media_id" in body or "pic_media_id" in body or "thumb_media_id" in body:
        raise Invalid("media_id 只有 3 天有效：请先上传到素材库，再用 media / pic_media 引用",
                      at)
    if kind in ("image", "video", "file"):
        if kind == "image" and "pic_url" in body and "media" not in body:
            return {"pic_url": _url(body.get("pic_url"), f"{at}.pic_url")}
        await media_ref(body.get("media"), kind, f"{at}.media")
        return {"media": body["media"]}
    if kind == "link":
        out = {"title": _text(body.get("title"), L.LINK_TITLE, f"{at}.title", "链接标题"),
               "url": _url(body.get("url"), f"{at}.url")}
        if body.get("desc"):
            out["desc"] = _text(body["desc"], L.LINK_DESC, f"{at}.desc", "链接描述")
        if body.get("pic_media") is not None:
            await media_ref(body["pic_media"], "image", f"{at}.pic_media",
                            max_size=UPLOADIMG_MAX)
            out["pic_media"] = body["pic_media"]
        elif body.get("picurl"):
            out["picurl"] = _url(body["picurl"], f"{at}.picurl")
        return out
    # miniprogram: every field required; the cover is a temporary media (520×416).
    out = {"title": _text(body.get("title"), MINIPROGRAM_TITLE, f"{at}.title", "小程序标题"),
           "appid": _plain(body.get("appid"), f"{at}.appid", "小程序 appid"),
           "page": _plain(body.get("page"), f"{at}.page", "小程序页面路径")}
    await media_ref(body.get("pic_media"), "image", f"{at}.pic_media")
    out["pic_media"] = body["pic_media"]
    return out


async def media_ref(value: Any, kind: str, at: str, *, max_size: int | None = None) -> None:
    """Invalid unless ``value`` names a library file of ``kind`` (within ``max_size``)."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise Invalid(f"请选择素材库中的{_KIND_NAMES[kind]}（素材编号）", at)
    found = await db.media_facts([value])
    facts = found.get(value)
    if facts is None:
        raise Invalid(f"素材 {value} 不存在", at)
    got, size = facts
    if got != kind:
        raise Invalid(f"素材 {value} 是{_KIND_NAMES.get(got, got)}，这里需要{_KIND_NAMES[kind]}",
                      at)
    if max_size is not None and size > max_size:
        raise Invalid(f"链接卡片的图片最大 {max_size // (1024 * 1024)} MB（素材 {value} 为 "
                      f"{size / 1024 / 1024:.1f} MB）", at)


def _text(value: Any, limit: int, at: str, label: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"请填写{label}", at)
    why = L.too_long(value, limit)
    if why is not None:
        raise Invalid(f"{label}{why}", at)
    return value


def _plain(value: Any, at: str, label: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 1024:
        raise Invalid(f"请填写{label}", at)
    return value


def _url(value: Any, at: str) -> str:
    if not isinstance(value, str) or not value.startswith(("https://", "http://")):
        raise Invalid("链接需以 http:// 或 https:// 开头", at)
    if len(value.encode()) > URL_MAX:
        raise Invalid(f"链接超过 {URL_MAX} 字节", at)
    return value
