"""Domain errors: each says what is wrong in one sentence; the doors map them to 4xx."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

CST = timedelta(hours=8)  # WeCom's natural days (the 群发 quota) are China Standard Time


class OrderError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(OrderError):
    status = 404
    code = "not_found"


class Conflict(OrderError):
    status = 409
    code = "conflict"


class Forbidden(OrderError):
    status = 403
    code = "forbidden"


def utcnow() -> datetime:
    return datetime.now(UTC)


def cst_day(at: datetime) -> str:
    return (at.astimezone(UTC) + CST).strftime("%Y-%m-%d")


def next_cst_midnight(at: datetime) -> datetime:
    """The first instant of the CST day after ``at``'s, in UTC."""
    local = at.astimezone(UTC) + CST
    start = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return start - CST
