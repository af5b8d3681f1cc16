"""Counting the SQL statements the service runs: what a path costs, as a number that does
not depend on how loaded the machine is (a regression guard for the hot paths)."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

_METHODS = ("execute_query", "execute_query_dict", "execute_insert", "execute_many",
            "execute_script")


@contextmanager
def counting_statements(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """Every statement run on either database while the block runs, by its text (BEGIN,
    COMMIT and ROLLBACK of transactions included)."""
    from tortoise.backends.asyncpg.client import AsyncpgDBClient
    from tortoise.backends.asyncpg.client import TransactionWrapper as PgTransaction
    from tortoise.backends.sqlite.client import SqliteClient, SqliteTransactionWrapper

    seen: Counter[str] = Counter()

    def wrap(cls: type, name: str, label: str | None) -> None:
        original = cls.__dict__[name]

        @functools.wraps(original)
        async def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
            seen[label or " ".join(str(args[0]).split())] += 1
            return await original(self, *args, **kwargs)

        monkeypatch.setattr(cls, name, counted)

    for cls in (AsyncpgDBClient, PgTransaction, SqliteClient, SqliteTransactionWrapper):
        for name in _METHODS:
            if name in cls.__dict__:
                wrap(cls, name, None)
        if cls in (PgTransaction, SqliteTransactionWrapper):
            for name in ("begin", "commit", "rollback"):
                if name in cls.__dict__:
                    wrap(cls, name, name.upper())
    yield seen
