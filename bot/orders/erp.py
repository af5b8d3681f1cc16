"""ERP integration: API keys and signed requests.

A key is ``key_id`` (public) plus a secret. The secret is derived from the server's
``erp_signing_secret`` and the key id (HMAC-SHA256), so the database holds only the key id
and a SHA-256 of the secret: a leaked database signs nothing. Each request carries

    X-Api-Key: <key_id>
    X-Timestamp: <unix seconds>
    X-Signature: hex(HMAC-SHA256(secret, "<METHOD>\\n<path?query>\\n<timestamp>\\n" + body))

The signature covers the method and the path with its query as sent, so a body signed for
one order cannot be replayed on another, nor an empty-body signature on any GET.

and is accepted only within ``erp_signature_window_seconds`` (300) of the server's clock,
with a constant-time comparison, and only once: a seen signature is kept for twice the
window and a replay is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError

from bot.models import ApiKey
from bot.ports import Store
from bot.settings import Settings

HEADER_KEY, HEADER_TS, HEADER_SIG = "X-Api-Key", "X-Timestamp", "X-Signature"


class SignatureError(Exception):
    """The request carries ERP credentials, but they are wrong (always a 401)."""


class KeyNameTaken(Exception):
    pass


def _master(settings: Settings) -> bytes:
    master = settings.erp_signing_secret.get_secret_value()
    if len(master) < 16:
        raise SignatureError("未配置 ERP 签名密钥（erp_signing_secret，至少 16 个字符）")
    return master.encode()


def derive_secret(settings: Settings, key_id: str) -> str:
    return hmac.new(_master(settings), key_id.encode(), hashlib.sha256).hexdigest()


def sign(secret: str, method: str, path_qs: str, timestamp: str, body: bytes) -> str:
    """What the ERP computes (and what tests and the README's curl example do)."""
    head = f"{method.upper()}\n{path_qs}\n{timestamp}\n".encode()
    return hmac.new(secret.encode(), head + body, hashlib.sha256).hexdigest()


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def create_key(settings: Settings, name: str) -> tuple[str, str]:
    """A new key for ``name``: (key_id, secret); the secret is shown once."""
    key_id = "erp_" + secrets.token_hex(8)
    secret = derive_secret(settings, key_id)
    try:
        await ApiKey.create(name=name, key_id=key_id, secret_hash=_hash(secret))
    except IntegrityError:
        raise KeyNameTaken(name) from None
    return key_id, secret


async def revoke_key(name: str) -> bool:
    return bool(await ApiKey.filter(name=name, revoked_at=None).update(
        revoked_at=datetime.now(UTC)))


async def verify(settings: Settings, store: Store, headers: dict[str, str], method: str,
                 path_qs: str, body: bytes, now: float | None = None) -> ApiKey | None:
    """The key that signed this request; None when it carries no ERP headers at all."""
    key_id, ts, sig = (headers.get(h, "") for h in (HEADER_KEY, HEADER_TS, HEADER_SIG))
    if not (key_id or ts or sig):
        return None
    if not (key_id and ts and sig):
        raise SignatureError(f"{HEADER_KEY}、{HEADER_TS} 和 {HEADER_SIG} 都必须提供")
    if not (ts.isascii() and ts.isdigit()) or len(ts) > 12:
        raise SignatureError(f"{HEADER_TS} 应为 Unix 秒数")
    window = settings.erp_signature_window_seconds
    if abs((time.time() if now is None else now) - int(ts)) > window:
        raise SignatureError(f"{HEADER_TS} 超出 {window} 秒的时间窗口")
    row = await ApiKey.get_or_none(key_id=key_id[:40], revoked_at=None)
    if row is None:
        raise SignatureError("API key 不存在或已吊销")
    secret = derive_secret(settings, row.key_id)
    if not hmac.compare_digest(_hash(secret), row.secret_hash):
        raise SignatureError("这个 API key 早于当前签名密钥（predates），请重新签发")
    if not hmac.compare_digest(sign(secret, method, path_qs, ts, body), sig.lower()):
        raise SignatureError("签名不对")
    if not await store.set_if_absent(f"erp:seen:{sig.lower()}", "1", ttl=2 * window):
        raise SignatureError("这个签名请求已经用过（replay，重放）")
    await ApiKey.filter(id=row.id).update(last_used_at=datetime.now(UTC))
    return row
