"""Admin API: the media library (素材库). Uploads are multipart (field ``file``, optional
``kind``: image, video, voice or file; by default told from the bytes), checked against
WeCom's type and size limits with a Chinese message; every message that can carry media
refers to them by id."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from urllib.parse import quote

from aiohttp import BodyPartReader, web
from aiohttp.http_exceptions import HttpProcessingError
from pydantic import BaseModel, Field

from bot.customers import media_library
from bot.customers.media_library import CONTENT_TYPES, MAX_UPLOAD, MediaRecord
from bot.web.admin.customers_http import READ, WRITE, PageInfo, PageQuery, as_dict, domain, path_id
from bot.web.admin.framework import Api, ApiError, ApiRequest

api = Api()
TAG = "media"
MEDIA_ID = "{media_id:[0-9]{1,9}}"
Kind = Literal["image", "video", "voice", "file"]
CHUNK = 256 * 1024
DRAIN_MAX = 64 * 1024 * 1024  # read past the limit, so the client hears the answer


class MediaOut(BaseModel):
    id: int
    kind: str
    filename: str
    content_type: str
    size: int
    sha256: str
    uploads: int = Field(description="media/upload calls made for it so far")
    media_expires_at: datetime | None = Field(description="when its media_id dies in WeCom")
    has_image_url: bool
    created_by: str
    created_at: datetime


class MediaPage(PageInfo):
    items: list[MediaOut]


class MediaQuery(PageQuery):
    kind: Kind | None = None
    q: str | None = Field(default=None, max_length=64)


def out(r: MediaRecord) -> MediaOut:
    return MediaOut(**as_dict(r))


async def _read_upload(request: web.Request) -> tuple[str | None, str, bytes]:
    """(kind, file name, bytes) of the multipart body, refused past the largest size WeCom
    takes without holding more than that in memory."""
    if not request.content_type.startswith("multipart/"):
        raise ApiError(400, "invalid", "请用 multipart/form-data 上传，文件放在 file 字段",
                       "file")
    try:
        reader = await request.multipart()
        kind: str | None = request.query.get("kind") or None
        name, data, too_big = "", b"", False
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader):
                continue
            if part.name == "kind":
                # A short field: its first KiB is all a kind can be (a chunk must be longer
                # than the boundary).
                head = await part.read_chunk(1024)
                await part.release()
                kind = head.decode("utf-8", "replace").strip()[:16] or None
            elif part.name == "file":
                name = part.filename or ""
                chunks, size = [], 0
                while chunk := await part.read_chunk(CHUNK):
                    size += len(chunk)
                    if size > MAX_UPLOAD:
                        too_big = True
                        if size > DRAIN_MAX:
                            break
                        continue
                    chunks.append(chunk)
                data = b"".join(chunks)
                if too_big:
                    raise ApiError(400, "invalid", f"文件超过企业微信的上限 "
                                   f"{MAX_UPLOAD // (1024 * 1024)} MB（普通文件最大 20 MB，"
                                   "图片和视频 10 MB，语音 2 MB）", "file")
            else:
                await part.release()
    except (ValueError, AssertionError, HttpProcessingError):  # a malformed part or header
        raise ApiError(400, "invalid", "上传内容不是有效的 multipart/form-data", "file") from None
    if not name and not data:
        raise ApiError(400, "invalid", "请选择要上传的文件（file 字段）", "file")
    return kind, name, data


@api.route("POST", "/media", roles=WRITE, response=MediaOut, status=201, tag=TAG, upload=True)
async def upload_media(req: ApiRequest) -> MediaOut:
    """Add a file to the media library (it goes to WeCom when a message first uses it)."""
    kind, name, data = await _read_upload(req.request)
    actor = req.principal.name if req.principal else ""
    return out(await domain(media_library.add(req.services.ports.media_files, kind=kind,
                                              filename=name, data=data, actor=actor)))


@api.route("GET", "/media", roles=READ, query=MediaQuery, response=MediaPage, tag=TAG)
async def list_media(req: ApiRequest) -> MediaPage:
    """The library, newest first; by kind, by file name."""
    q = req.query
    rows, total = await media_library.listing(kind=q.kind, q=q.q, page=q.page,
                                              page_size=q.page_size)
    return MediaPage(items=[out(r) for r in rows], total=total, page=q.page,
                     page_size=q.page_size)


@api.route("GET", "/media/" + MEDIA_ID, roles=READ, response=MediaOut, tag=TAG)
async def get_media(req: ApiRequest) -> MediaOut:
    """One file of the library."""
    return out(await domain(media_library.get(path_id(req.params, "media_id", "素材"))))


@api.route("GET", "/media/" + MEDIA_ID + "/content", roles=READ, tag=TAG,
           media=("application/octet-stream", *sorted(set(CONTENT_TYPES.values()))))
async def media_content(req: ApiRequest) -> web.Response:
    """The file itself (to preview or download)."""
    data, kind, name = await domain(media_library.content(
        req.services.ports.media_files, path_id(req.params, "media_id", "素材")))
    return web.Response(body=data, content_type=kind, headers={
        "Content-Disposition": f"attachment; filename=\"media\"; "
                               f"filename*=UTF-8''{quote(name, safe='')}",
        "X-Content-Type-Options": "nosniff"})


@api.route("DELETE", "/media/" + MEDIA_ID, roles=WRITE, status=204, tag=TAG)
async def delete_media(req: ApiRequest) -> None:
    """Delete a file no message uses any more (409 naming where it is still used)."""
    await domain(media_library.delete(req.services.ports.media_files,
                                      path_id(req.params, "media_id", "素材")))
