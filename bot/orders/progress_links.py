"""Signed links to an order's progress page: ``{link_base}/p/{token}``.

A token names the order, the order's link version and an expiry, and carries an HMAC-SHA256
of them under the server's key (``progress_link_secret``, else one the service made and keeps
in the database), so nobody can make one or change what it names. Revoking an order's link
raises its version: every token given out before stops working, and the next one asked for
is new. The token is 13 bytes of claims and 16 of MAC in unpadded base64url: 39 characters.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import struct
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.expressions import F

from bot.infra.logs import get_logger
from bot.infra.server_secrets import progress_link_key
from bot.models import Order
from bot.settings import Settings

log = get_logger("bot.orders.progress_links")
FORMAT = 1
_CLAIMS = struct.Struct(">BIII")  # format, order id, link version, expiry (unix seconds)
_MAC_BYTES = 16
_TOKEN_BYTES = _CLAIMS.size + _MAC_BYTES
TOKEN_LENGTH = 39  # unpadded base64url of _TOKEN_BYTES
_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{39}")
_CONTEXT = b"wecom-bot progress link\n"  # the key signs nothing else with this prefix
_INT32 = 2**31 - 1  # the order id column
PATH = "/p/"


@dataclass(frozen=True)
class Claims:
    order_id: int
    version: int
    expires_at: datetime


def _mac(key: bytes, claims: bytes) -> bytes:
    return hmac.new(key, _CONTEXT + claims, hashlib.sha256).digest()[:_MAC_BYTES]


def sign(key: bytes, claims: Claims) -> str:
    raw = _CLAIMS.pack(FORMAT, claims.order_id, claims.version,
                       int(claims.expires_at.timestamp()))
    return base64.urlsafe_b64encode(raw + _mac(key, raw)).rstrip(b"=").decode()


def read(key: bytes, token: object, now: datetime) -> Claims | None:
    """The claims of a token this key signed that has not expired; None for anything else,
    whatever its shape (never raises)."""
    if not isinstance(token, str) or not _TOKEN_RE.fullmatch(token):
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=")
    except (binascii.Error, ValueError):
        return None
    # One spelling per token: base64's spare bits could otherwise spell the same bytes
    # several ways.
    if len(raw) != _TOKEN_BYTES or base64.urlsafe_b64encode(raw).rstrip(b"=").decode() != token:
        return None
    claims, mac = raw[:_CLAIMS.size], raw[_CLAIMS.size:]
    if not hmac.compare_digest(mac, _mac(key, claims)):
        return None
    fmt, order_id, version, expires = _CLAIMS.unpack(claims)
    if fmt != FORMAT or not 0 < order_id <= _INT32 or version > _INT32:
        return None
    expires_at = datetime.fromtimestamp(expires, UTC)
    if expires_at <= now:
        return None
    return Claims(order_id, version, expires_at)


def url(settings: Settings, token: str) -> str:
    return f"{settings.link_base}{PATH}{token}"


async def current_token(settings: Settings, order: Order, now: datetime) -> str:
    """The order's link token now: the one given out lately while it has more than half its
    time left, else one with a fresh expiry (saved, so it is the same for a while)."""
    lifetime = timedelta(days=settings.progress_link_days)
    key = await progress_link_key(settings)
    for _ in range(3):
        expires = order.progress_link_expires_at
        if expires is not None and expires - now > lifetime / 2:
            return sign(key, Claims(order.id, order.progress_link_version, expires))
        fresh = (now + lifetime).replace(microsecond=0)
        # Only for the version read: a link revoked meanwhile is not given out again.
        if await Order.filter(id=order.id, progress_link_version=order.progress_link_version
                              ).update(progress_link_expires_at=fresh):
            order.progress_link_expires_at = fresh
            return sign(key, Claims(order.id, order.progress_link_version, fresh))
        order = await Order.get(id=order.id)
    raise RuntimeError("the order's progress link changed three times while being issued")


async def current_url(settings: Settings, order: Order, now: datetime) -> str:
    return url(settings, await current_token(settings, order, now))


async def revoke(order: Order) -> None:
    """Void every link of the order given out so far."""
    await Order.filter(id=order.id).update(
        progress_link_version=F("progress_link_version") + 1, progress_link_expires_at=None)
    log.info("progress_links.revoked", order_id=order.id)


async def order_of(settings: Settings, token: object, now: datetime) -> Order | None:
    """The order a token opens: signed by us, not expired, not revoked; else None."""
    claims = read(await progress_link_key(settings), token, now)
    if claims is None:
        return None
    order = await Order.get_or_none(id=claims.order_id)
    if order is None or order.progress_link_version != claims.version:
        return None
    return order
