"""Domain errors: each says what is wrong in one sentence; the doors map them to 4xx."""

from __future__ import annotations


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
