"""Paging, search and totals for the admin list endpoints.

A list endpoint keeps answering a JSON array (what API users already read) and adds the
total as the ``X-Total-Count`` header; ``page``/``page_size`` pick a window and ``q``
searches. Without ``page`` an endpoint answers as it always did (its ``limit``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field

TOTAL_HEADER = "X-Total-Count"


class ListQuery(BaseModel):
    page: int | None = Field(default=None, ge=1, le=100_000,
                             description="1-based page; without it the endpoint's limit applies")
    page_size: int = Field(default=20, ge=1, le=200)
    q: str | None = Field(default=None, max_length=100, description="search text")

    def window(self, limit: int) -> tuple[int, int]:
        """(offset, limit) of the rows to answer."""
        if self.page is None:
            return 0, limit
        return (self.page - 1) * self.page_size, self.page_size

    @property
    def search(self) -> str | None:
        text = (self.q or "").strip()
        return text or None


@dataclass(frozen=True)
class Paged:
    """A handler's answer: one page of items and how many there are in all."""

    items: list[Any]
    total: int


def page_of(items: list[Any], query: ListQuery, limit: int) -> Paged:
    """A window of an in-memory list (lists that are short by nature: rules, tokens)."""
    offset, size = query.window(limit)
    return Paged(items[offset:offset + size], len(items))
