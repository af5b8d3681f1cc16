"""The media library (素材库): files admins upload, checked against WeCom's type and size
limits, kept in the MediaStore, and turned into what each send needs at the moment it goes
out (``bot.ports.MessageMedia``).

A temporary media_id (media/upload) lives 3 days: it is uploaded on first use, kept with its
end, and uploaded again once less than ``RENEW_BEFORE`` is left, so no send ever carries one
about to die; should WeCom refuse one anyway (40007), the sender calls ``forget`` and tries
once more with a fresh one. Pictures for link cards go through media/uploadimg once: its URL
is permanent.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.customers import customer_store as db
from bot.customers.customer_errors import Conflict, Invalid, NotFound
from bot.customers.media_refs import media_ids
from bot.infra.logs import get_logger
from bot.ports import Clock, MediaStore, Store, WeComApi

log = get_logger("bot.customers.media")
MEDIA_LIFE = timedelta(days=3)
RENEW_BEFORE = timedelta(hours=6)
MIN_BYTES = 6  # WeCom: every file larger than 5 bytes
# media/upload (protocol-2.md §4.1): size caps and the formats each type takes.
LIMITS = {"image": 10 * 1024 * 1024, "video": 10 * 1024 * 1024, "voice": 2 * 1024 * 1024,
          "file": 20 * 1024 * 1024}
MAX_UPLOAD = max(LIMITS.values())
FORMATS = {"image": ("jpg", "png"), "video": ("mp4",), "voice": ("amr",)}
KIND_NAMES = {"image": "图片", "video": "视频", "voice": "语音", "file": "文件"}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif",
                 "mp4": "video/mp4", "amr": "audio/amr", "webp": "image/webp",
                 "bmp": "image/bmp"}


def sniff(data: bytes) -> str | None:
    """The format the bytes are in, by their signature (not by the name they came with)."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"BM"):
        return "bmp"
    if data.startswith(b"#!AMR"):
        return "amr"
    if data[4:8] == b"ftyp":
        return "mp4"
    return None


def check_upload(kind: str | None, filename: str, data: bytes) -> tuple[str, str]:
    """(kind, content type) of an upload WeCom will take, else Invalid in Chinese."""
    fmt = sniff(data)
    if kind is None:
        kind = next((k for k, f in FORMATS.items() if fmt in f), "file")
    if kind not in LIMITS:
        raise Invalid(f"不支持的素材类型 {kind!r}（可用：图片 image、视频 video、语音 voice、"
                      "文件 file）", "kind")
    if len(data) < MIN_BYTES:
        raise Invalid("文件太小：企业微信要求大于 5 个字节", "file")
    cap = LIMITS[kind]
    if len(data) > cap:
        raise Invalid(f"{KIND_NAMES[kind]}最大 {cap // (1024 * 1024)} MB，这个文件 "
                      f"{len(data) / 1024 / 1024:.1f} MB", "file")
    allowed = FORMATS.get(kind)
    if allowed is not None and fmt not in allowed:
        got = (fmt or "未知格式").upper()
        raise Invalid(f"{KIND_NAMES[kind]}只支持 {'、'.join(a.upper() for a in allowed)} 格式，"
                      f"这个文件是 {got}", "file")
    return kind, CONTENT_TYPES.get(fmt or "", "application/octet-stream")


@dataclass(frozen=True)
class MediaRecord:
    id: int
    kind: str
    filename: str
    content_type: str
    size: int
    sha256: str
    uploads: int  # media/upload calls made for it so far
    media_expires_at: datetime | None
    has_image_url: bool
    created_by: str
    created_at: datetime


def record(a: Any) -> MediaRecord:
    return MediaRecord(a.id, a.kind, a.filename, a.content_type, a.size, a.sha256, a.uploads,
                       a.media_expires_at, bool(a.image_url), a.created_by, a.created_at)


async def add(files: MediaStore, *, kind: str | None, filename: str, data: bytes, actor: str
              ) -> MediaRecord:
    """A checked upload: its bytes stored first, then its row (a failed write leaves no row
    pointing at nothing)."""
    kind, content_type = check_upload(kind, filename, data)
    digest = hashlib.sha256(data).hexdigest()
    key = f"{digest[:2]}/{digest[2:18]}{secrets.token_hex(8)}"
    await files.save(key, data)
    try:
        asset = await db.create_media(kind=kind, filename=filename[:128] or kind,
                                      content_type=content_type, size=len(data), sha256=digest,
                                      storage_key=key, created_by=actor)
    except BaseException:
        await files.delete(key)
        raise
    log.info("media.added", media=asset.id, kind=kind, size=len(data))
    return record(asset)


async def listing(*, kind: str | None, q: str | None, page: int, page_size: int
                  ) -> tuple[list[MediaRecord], int]:
    rows, total = await db.list_media(kind=kind, q=q, offset=(page - 1) * page_size,
                                      limit=page_size)
    return [record(r) for r in rows], total


async def get(media_key: int) -> MediaRecord:
    asset = await db.media(media_key)
    if asset is None:
        raise NotFound("没有这个素材")
    return record(asset)


async def content(files: MediaStore, media_key: int) -> tuple[bytes, str, str]:
    asset = await db.media(media_key)
    if asset is None:
        raise NotFound("没有这个素材")
    return await files.load(asset.storage_key), asset.content_type, asset.filename


async def delete(files: MediaStore, media_key: int) -> None:
    asset = await db.media(media_key)
    if asset is None:
        raise NotFound("没有这个素材")
    uses = await db.media_uses(media_key)
    if uses:
        raise Conflict(f"素材还在使用中：{'、'.join(uses[:5])}")
    await db.delete_media(media_key)
    await files.delete(asset.storage_key)


# -- turning references into what WeCom takes ------------------------------------------------

# Per API and message type: (reference, WeCom field, what it becomes: a temporary media_id
# or a permanent picture URL).
_TEMP, _URL = "media_id", "url"
_ATTACHMENT = {"image": [("media", "media_id", _TEMP)],
               "video": [("media", "media_id", _TEMP)],
               "file": [("media", "media_id", _TEMP)],
               "link": [("pic_media", "picurl", _URL)],
               "miniprogram": [("pic_media", "pic_media_id", _TEMP)]}
_KF = {"image": [("media", "media_id", _TEMP)], "video": [("media", "media_id", _TEMP)],
       "file": [("media", "media_id", _TEMP)], "voice": [("media", "media_id", _TEMP)],
       "link": [("pic_media", "thumb_media_id", _TEMP)],
       "miniprogram": [("pic_media", "thumb_media_id", _TEMP)]}
# Templates live in WeCom for good: their pictures as permanent URLs.
_TEMPLATE = {**_ATTACHMENT, "image": [("media", "pic_url", _URL)]}


class MediaLibrary:
    """``bot.ports.MessageMedia``: references resolved at each send."""

    def __init__(self, wecom: WeComApi, files: MediaStore, store: Store,
                 clock: Callable[[], Clock], by_url: Callable[[str], Awaitable[str]]) -> None:
        self.wecom = wecom
        self.files = files
        self.store = store
        self.clock = clock  # read at each use: tests move the service's clock
        self.by_url = by_url

    async def media_id_for_url(self, url: str) -> str:
        return await self.by_url(url)

    async def resolve(self, api: str, args: Mapping[str, Any]) -> dict[str, Any]:
        if not media_ids(args):
            return dict(args)
        out = dict(args)
        if api in ("send_welcome_msg", "add_msg_template"):
            out["attachments"] = [await self._part(_ATTACHMENT, a.get("msgtype", ""), a)
                                  for a in args.get("attachments") or []]
        elif api in ("kf_send_msg", "message_send"):
            kind = str(args.get("msgtype", ""))
            out["payload"] = (await self._part(_KF, kind, {kind: args.get("payload") or {}}))[
                kind]
        elif api == "group_welcome_template":
            for kind, body in args.items():
                out[kind] = (await self._part(_TEMPLATE, kind, {kind: body}))[kind]
        return out

    async def forget(self, api: str, args: Mapping[str, Any]) -> bool:
        ids = media_ids(args)
        if ids:
            await db.forget_media_ids(ids)
            log.info("media.forgotten", count=len(ids), api=api)
        return bool(ids)

    async def _part(self, table: dict[str, list[tuple[str, str, str]]], kind: str,
                    item: Mapping[str, Any]) -> dict[str, Any]:
        body = dict(item.get(kind) or {})
        for ref, target, what in table.get(kind, []):
            value = body.pop(ref, None)
            if isinstance(value, int) and not isinstance(value, bool):
                body[target] = await (self.media_id(value) if what == _TEMP
                                      else self.image_url(value))
        return {**item, kind: body}

    async def media_id(self, media_key: int) -> str:
        """A temporary media_id with at least ``RENEW_BEFORE`` of its life left."""
        async with self.store.lock(f"media:{media_key}", wait=60):
            asset = await db.media(media_key)
            if asset is None:
                raise ValueError(f"media {media_key} is no longer in the library")
            now = self.clock().now()
            if asset.media_id and asset.media_expires_at \
                    and asset.media_expires_at - now > RENEW_BEFORE:
                return str(asset.media_id)
            data = await self.files.load(asset.storage_key)
            res = await self.wecom.media_upload(asset.kind, data, asset.filename,
                                                content_type=asset.content_type, cached=False)
            media_id = str(res["media_id"])
            await db.save_media_id(media_key, media_id, now + MEDIA_LIFE)
            log.info("media.uploaded", media=media_key, kind=asset.kind,
                     renewed=bool(asset.media_id))
            return media_id

    async def image_url(self, media_key: int) -> str:
        """A permanent picture URL (media/uploadimg), made once per picture."""
        async with self.store.lock(f"media:{media_key}", wait=60):
            asset = await db.media(media_key)
            if asset is None:
                raise ValueError(f"media {media_key} is no longer in the library")
            if asset.image_url:
                return str(asset.image_url)
            data = await self.files.load(asset.storage_key)
            res = await self.wecom.media_uploadimg(data, asset.filename,
                                                   content_type=asset.content_type)
            url = str(res["url"])
            await db.save_image_url(media_key, url)
            return url
