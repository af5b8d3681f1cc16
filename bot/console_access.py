"""Console sign-in that lasts: server-side sessions (the browser holds a random value in an
HttpOnly cookie; only its hash is stored) and the roles admins give WeCom members.

A session started with an API token lives while the token does and has its role; one
started through WeCom login has the role assigned to the member's userid, looked up on
every request, so taking the role away signs them out. Sessions end on sign-out, after
``IDLE`` without use, and ``ABSOLUTE`` after sign-in whatever the use.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.models import ApiToken, ConsoleSession, Role, StaffRole

IDLE = timedelta(days=7)
ABSOLUTE = timedelta(days=30)
# last_seen_at is written at most this often (every request would be a write).
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class SessionRecord:
    kind: str  # token | wecom
    name: str  # the token's name, or the member's userid
    role: str
    expires_at: datetime


@dataclass(frozen=True)
class StaffRoleRecord:
    userid: str
    role: str
    assigned_by: str
    updated_at: datetime


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


async def start_session(kind: str, name: str, now: datetime | None = None) -> str:
    """A new session for ``name``; returns the value for the cookie (never stored)."""
    now = now or datetime.now(UTC)
    value = secrets.token_urlsafe(32)
    await ConsoleSession.create(session_hash=_hash(value), kind=kind, name=name,
                                last_seen_at=now, expires_at=now + IDLE)
    return value


async def role_now(kind: str, name: str) -> str | None:
    """The role a session's holder has now: the live token's, or the member's assigned one."""
    if kind == "token":
        token = await ApiToken.get_or_none(name=name, revoked_at=None)
        return Role(token.role).value if token else None
    staff = await StaffRole.get_or_none(userid=name)
    return Role(staff.role).value if staff else None


async def session_of(value: str, now: datetime | None = None) -> SessionRecord | None:
    """The live session behind a cookie value, kept alive by the use; None when there is
    none (unknown, signed out, expired, or its holder no longer has a role)."""
    if not value or len(value) > 128:
        return None
    now = now or datetime.now(UTC)
    row = await ConsoleSession.get_or_none(session_hash=_hash(value), revoked_at=None)
    if row is None or row.expires_at <= now:
        return None
    role = await role_now(row.kind, row.name)
    if role is None:
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.expires_at = min(row.created_at + ABSOLUTE, now + IDLE)
        row.last_seen_at = now
        await ConsoleSession.filter(id=row.id).update(last_seen_at=now,
                                                      expires_at=row.expires_at)
    return SessionRecord(kind=row.kind, name=row.name, role=role, expires_at=row.expires_at)


async def end_session(value: str) -> None:
    if value:
        await ConsoleSession.filter(session_hash=_hash(value), revoked_at=None).update(
            revoked_at=datetime.now(UTC))


async def staff_roles() -> list[StaffRoleRecord]:
    return [StaffRoleRecord(r.userid, Role(r.role).value, r.assigned_by, r.updated_at)
            for r in await StaffRole.all().order_by("userid")]


async def assign_role(userid: str, role: str, by: str) -> StaffRoleRecord:
    row, _ = await StaffRole.update_or_create(defaults={"role": Role(role), "assigned_by": by},
                                              userid=userid)
    return StaffRoleRecord(row.userid, Role(row.role).value, row.assigned_by, row.updated_at)


async def remove_role(userid: str) -> bool:
    """Take a member's role away; their sessions stop working at once."""
    return bool(await StaffRole.filter(userid=userid).delete())


async def staff_role(userid: str) -> str | None:
    return await role_now("wecom", userid)
