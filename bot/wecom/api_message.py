"""App messages and media (protocol.md §5)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any, cast

import aiohttp

from bot.protocol.api_results import (
    MediaUploadImgResult,
    MediaUploadResult,
    MessageSendResult,
    drop_none,
)
from bot.protocol.errors import WeComHTTPError
from bot.wecom.endpoints import Endpoints

# Temporary media live 3 days; keep the cached id a little less than that.
MEDIA_TTL = 3 * 24 * 3600 - 3600


class MessageAPI(Endpoints):
    async def message_send(
        self,
        msgtype: str,
        payload: Mapping[str, Any],
        *,
        touser: Sequence[str] | str | None = None,
        toparty: Sequence[str] | str | None = None,
        totag: Sequence[str] | str | None = None,
        agentid: int | None = None,
        safe: int = 0,
        enable_duplicate_check: int | None = None,
        duplicate_check_interval: int | None = None,
        enable_id_trans: int | None = None,
    ) -> MessageSendResult:
        """POST cgi-bin/message/send (docs 90236). Waits for each member's 30/min and
        1000/h allowance first (WeCom silently drops the excess, docs 90454)."""
        users = _split(touser)
        body = drop_none(
            {
                "touser": "|".join(users) if users else None,
                "toparty": "|".join(_split(toparty)) or None,
                "totag": "|".join(_split(totag)) or None,
                "msgtype": msgtype,
                "agentid": agentid if agentid is not None else self.config.agent_id,
                msgtype: dict(payload),
                "safe": safe,
                "enable_duplicate_check": enable_duplicate_check,
                "duplicate_check_interval": duplicate_check_interval,
                "enable_id_trans": enable_id_trans,
            }
        )
        members = [u for u in users if u != "@all"]
        res = await self._call("POST", "message/send", json=body, recipients=members)
        return cast(MessageSendResult, res)

    async def send_text(self, touser: Sequence[str] | str, content: str) -> MessageSendResult:
        """A text app message to members (docs 90236)."""
        return await self.message_send("text", {"content": content}, touser=touser)

    async def media_upload(
        self,
        media_type: str,
        content: bytes,
        filename: str,
        *,
        content_type: str = "application/octet-stream",
        cached: bool = True,
    ) -> MediaUploadResult:
        """POST cgi-bin/media/upload?type= (docs 90253), multipart field ``media``.

        The media_id is cached in the store by content hash for its 3-day life, so the
        same bytes are uploaded once; ``cached=False`` always uploads (a caller that keeps
        and renews media_ids itself, e.g. after WeCom refused one as expired)."""
        digest = hashlib.sha256(content).hexdigest()
        key = f"wecom:media:{self.client.wecom.corp_id}:{self.name}:{media_type}:{digest}"
        if cached:
            hit = await self.client.store.get(key)
            if hit is not None:
                return cast(MediaUploadResult, json.loads(hit))

        def form() -> aiohttp.FormData:
            fd = aiohttp.FormData()
            fd.add_field("media", content, filename=filename, content_type=content_type)
            return fd

        res = await self._call("POST", "media/upload", params={"type": media_type}, data=form)
        result = {k: res[k] for k in ("type", "media_id", "created_at") if k in res}
        await self.client.store.set(key, json.dumps(result), ttl=MEDIA_TTL)
        return cast(MediaUploadResult, {"errcode": 0, "errmsg": "ok", **result})

    async def media_uploadimg(self, content: bytes, filename: str, *,
                              content_type: str = "image/png") -> MediaUploadImgResult:
        """POST cgi-bin/media/uploadimg (docs 90256): a picture as a permanent URL (JPG/PNG,
        5 B to 2 MB; 100 a day per corp), for link cards' ``picurl`` and ``image.pic_url``."""

        def form() -> aiohttp.FormData:
            fd = aiohttp.FormData()
            fd.add_field("media", content, filename=filename, content_type=content_type)
            return fd

        res = await self._call("POST", "media/uploadimg", data=form)
        return cast(MediaUploadImgResult, res)


class Downloads(Endpoints):
    async def download(self, url: str, *, max_bytes: int) -> tuple[bytes, str]:
        """A file WeCom hosts (a 「联系我」 QR picture) by URL: its bytes and content type.
        Not an API call (no token); a failure or a file over ``max_bytes`` is a
        WeComHTTPError that never carries the URL."""
        timeout = aiohttp.ClientTimeout(total=self.client.retry.request_timeout)
        try:
            async with self.client.session.get(url, timeout=timeout) as resp:
                if resp.status != 200:
                    raise WeComHTTPError("download", f"HTTP {resp.status}", resp.status)
                data = await resp.content.read(max_bytes + 1)
                kind = resp.content_type
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise WeComHTTPError("download", type(exc).__name__) from None
        if len(data) > max_bytes:
            raise WeComHTTPError("download", f"larger than {max_bytes} bytes")
        return data, kind


def _split(value: Sequence[str] | str | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in value.split("|") if v]
    return [v for v in value if v]
