"""Media for rich messages (``bot.ports.MediaStore``): an image URL becomes a temporary
media_id, downloaded and uploaded once and cached for two days (temporary media live three)."""

from __future__ import annotations

import hashlib

from bot.ports import Store
from bot.wecom.client import AppClient, WeComClient

MEDIA_URL_TTL = 2 * 24 * 3600
IMAGE_MAX_BYTES = 2 * 1024 * 1024  # a QR picture is tens of KB; anything this big is not one


class MediaUploads:
    def __init__(self, store: Store, client: WeComClient, app: AppClient) -> None:
        self.store = store
        self.client = client
        self.app = app

    async def media_id_for_url(self, url: str) -> str:
        key = "media:url:" + hashlib.sha256(url.encode()).hexdigest()
        cached = await self.store.get(key)
        if cached:
            return str(cached)
        # The client's session: its timeouts and connection pool, not a second one.
        async with self.client.session.get(url) as resp:
            resp.raise_for_status()
            content = await resp.read()
        name = url.rsplit("/", 1)[-1] or "image.png"
        res = await self.app.media_upload("image", content, name)
        media_id = str(res["media_id"])
        await self.store.set(key, media_id, ttl=MEDIA_URL_TTL)
        return media_id

    async def image(self, url: str) -> tuple[bytes, str]:
        async with self.client.session.get(url) as resp:
            resp.raise_for_status()
            kind = resp.content_type
            if not kind.startswith("image/"):
                raise ValueError(f"not a picture: {kind}")
            content = await resp.content.read(IMAGE_MAX_BYTES + 1)
        if len(content) > IMAGE_MAX_BYTES:
            raise ValueError("picture too large")
        return content, kind
