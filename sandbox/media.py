"""Media in the sandbox (protocol-2.md §4): media/upload (temporary media_ids that die after
3 days), media/uploadimg (permanent picture URLs), and the checks every send applies to the
media it names (40007 for an unknown, expired or wrong-type media_id; §4.5 for what each
API's attachments may be)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.protocol import errors as E
from sandbox.model import SandboxError

if TYPE_CHECKING:
    from sandbox.corp import Corp

MIN_BYTES = 6  # every file larger than 5 bytes
CAPS = {"image": 10 * 1024 * 1024, "voice": 2 * 1024 * 1024, "video": 10 * 1024 * 1024,
        "file": 20 * 1024 * 1024}
UPLOADIMG_CAP = 2 * 1024 * 1024
MAX_ATTACHMENTS = 9
# Attachment types of send_welcome_msg and add_msg_template (41065 for any other).
ATTACHMENT_TYPES = ("image", "link", "miniprogram", "video", "file")


def sniff(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"#!AMR"):
        return "amr"
    if data[4:8] == b"ftyp":
        return "mp4"
    return None


class Media:
    def __init__(self, corp: Corp) -> None:
        self.corp = corp
        self.items: dict[str, tuple[str, float]] = {}  # media_id → (type, created_at)
        self.images: dict[str, bytes] = {}  # uploadimg URL → picture
        self.uploads: list[tuple[str, str]] = []  # (type, media_id) of each media/upload

    def api_upload(self, kind: str, data: bytes | None) -> dict[str, Any]:
        """media/upload: image JPG/PNG ≤10 MB, voice AMR ≤2 MB, video MP4 ≤10 MB, file
        ≤20 MB; every file over 5 bytes."""
        if kind not in CAPS:
            raise SandboxError(E.INVALID_MEDIA_TYPE_PARAM, "invalid media type")
        if not data or len(data) < MIN_BYTES:
            raise SandboxError(E.INVALID_FILE_SIZE, "invalid file size")
        if len(data) > CAPS[kind]:
            code = {"image": E.INVALID_IMAGE_SIZE, "video": E.INVALID_VIDEO_SIZE}.get(
                kind, E.INVALID_FILE_SIZE)
            raise SandboxError(code, "invalid file size")
        fmt = sniff(data)
        wanted = {"image": ("jpg", "png"), "voice": ("amr",), "video": ("mp4",)}.get(kind)
        if wanted is not None and fmt not in wanted:
            raise SandboxError(E.INVALID_MEDIA_TYPE, "invalid media file type")
        media_id = self.corp.new_id("3", 60)
        self.items[media_id] = (kind, self.corp.now())
        self.uploads.append((kind, media_id))
        return {"type": kind, "media_id": media_id, "created_at": str(int(self.corp.now()))}

    def api_uploadimg(self, data: bytes | None) -> dict[str, Any]:
        """media/uploadimg: a JPG/PNG of 5 B to 2 MB as a permanent URL."""
        if not data or len(data) < MIN_BYTES or len(data) > UPLOADIMG_CAP:
            raise SandboxError(E.INVALID_IMAGE_SIZE, "invalid image size")
        if sniff(data) not in ("jpg", "png"):
            raise SandboxError(E.INVALID_MEDIA_TYPE, "invalid media file type")
        if self.corp.count(f"uploadimg:{self.corp.day()}", 86400.0) \
                > self.corp.limits.uploadimg_per_day:
            raise SandboxError(E.FREQ_LIMIT, "uploadimg count exceed daily limit")
        base = self.corp.public_base_url or "http://sandbox.invalid"
        url = f"{base}/sandbox/img/{self.corp.new_id('', 32)}.png"
        self.images[url] = data
        return {"url": url}

    def expire(self, media_id: str | None = None) -> int:
        """Control: these media_ids (all when None) die now, as after their 3 days."""
        gone = [m for m in self.items if media_id in (None, m)]
        for m in gone:
            kind, _ = self.items[m]
            self.items[m] = (kind, self.corp.now() - self.corp.limits.media_ttl - 1)
        return len(gone)

    # -- what sends check -----------------------------------------------------------------------

    def check(self, media_id: Any, *kinds: str) -> None:
        """40007 unless ``media_id`` is a live temporary media of one of ``kinds``."""
        item = self.items.get(media_id) if isinstance(media_id, str) else None
        if item is None or self.corp.now() - item[1] > self.corp.limits.media_ttl \
                or (kinds and item[0] not in kinds):
            raise SandboxError(E.INVALID_MEDIA_ID, "invalid media_id")

    def check_attachments(self, attachments: Any) -> None:
        """send_welcome_msg / add_msg_template attachments (protocol-2.md §4.5)."""
        if not isinstance(attachments, list):
            raise SandboxError(E.INVALID_PARAM, "attachments must be a list")
        if len(attachments) > MAX_ATTACHMENTS:
            raise SandboxError(E.TOO_MANY_ATTACHMENTS, "attachments count exceed limit")
        for a in attachments:
            kind = a.get("msgtype") if isinstance(a, dict) else None
            if kind not in ATTACHMENT_TYPES or not isinstance(a.get(kind), dict):
                raise SandboxError(E.INVALID_ATTACHMENT_TYPE, "invalid attachment type")
            self.check_part(kind, a[kind])

    def check_part(self, kind: str, body: dict[str, Any]) -> None:
        """One image/link/miniprogram/video/file part (welcome, 群发, group template)."""
        if kind == "image":
            if body.get("pic_url"):
                return
            self.check(body.get("media_id"), "image")
        elif kind in ("video", "file"):
            self.check(body.get("media_id"), kind)
        elif kind == "link":
            title, url = body.get("title"), body.get("url")
            if not title or not url or len(str(title).encode()) > 128 \
                    or len(str(body.get("desc", "")).encode()) > 512:
                raise SandboxError(E.INVALID_PARAM, "invalid link")
        elif kind == "miniprogram":
            if not all(body.get(k) for k in ("title", "appid", "page")) \
                    or len(str(body["title"]).encode()) > 64:
                raise SandboxError(E.INVALID_PARAM, "invalid miniprogram")
            self.check(body.get("pic_media_id"), "image")

    def check_kf(self, msgtype: str, payload: dict[str, Any]) -> None:
        """kf/send_msg's media: image/voice/video/file media_id, link and mini-program
        thumb_media_id (an image)."""
        if msgtype in ("image", "voice", "video", "file"):
            self.check(payload.get("media_id"), msgtype)
        elif msgtype == "miniprogram":
            self.check(payload.get("thumb_media_id"), "image")
        elif msgtype == "link" and payload.get("thumb_media_id") is not None:
            self.check(payload.get("thumb_media_id"), "image")
