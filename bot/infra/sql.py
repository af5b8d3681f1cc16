"""Helpers for hand-written SQL, the same on PostgreSQL and SQLite.

Hot paths write SQL by hand where tortoise's query building costs more than the query. The
pieces every such store needs live here: which dialect a connection speaks, its parameter
markers, quoting, a model's columns and values as the database takes them, multi-row INSERT
(plain, insert-ignore, add-to-counters upsert), sets of rows and value lists whose SQL text
does not depend on their size on PostgreSQL (array parameters) and a cached single-row
SELECT. Only identifiers from the models and parameter markers go into SQL text; every
value is a parameter. The statements themselves live in one store module per domain or pipeline
(``bot.conversations.kefu_store``, ``bot.pipeline.inbox_store``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, TypeVar

from tortoise import BaseDBAsyncClient
from tortoise.models import Model

M = TypeVar("M", bound=Model)
POSTGRES = "postgres"
SQLITE = "sqlite"


def dialect_of(conn: BaseDBAsyncClient) -> str:
    """``"postgres"`` or ``"sqlite"``: the dialect a connection speaks."""
    return str(conn.capabilities.dialect)


def is_postgres(conn: BaseDBAsyncClient) -> bool:
    return dialect_of(conn) == POSTGRES


def param_markers(dialect: str, count: int) -> list[str]:
    """Parameter markers: ``$1, $2…`` on PostgreSQL, ``?`` on SQLite."""
    if dialect == POSTGRES:
        return [f"${i + 1}" for i in range(count)]
    return ["?"] * count


class Params:
    """A statement's parameters and their markers, collected as the statement is built:
    ``$1, $2…`` numbered across the whole statement on PostgreSQL, ``?`` on SQLite."""

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        self.values: list[Any] = []

    def add(self, values: Sequence[Any]) -> list[str]:
        """Markers for ``values``, which are appended to the statement's parameters."""
        start = len(self.values)
        self.values += values
        if self.dialect != POSTGRES:
            return ["?"] * len(values)
        return [f"${start + i + 1}" for i in range(len(values))]


def quote(identifier: str) -> str:
    return f'"{identifier}"'


def table(model: type[Model]) -> str:
    return quote(model._meta.db_table)


_INSERT_FIELDS: dict[type[Model], tuple[str, ...]] = {}


def insert_fields(model: type[Model]) -> tuple[str, ...]:
    """The fields an INSERT of ``model`` sets (all but a generated primary key); worked out
    once per model (it is asked for every row a hot path writes)."""
    fields = _INSERT_FIELDS.get(model)
    if fields is None:
        meta = model._meta
        fields = _INSERT_FIELDS[model] = tuple(
            f for f, c in meta.fields_db_projection.items() if c not in meta.generated_db_fields)
    return fields


def columns(model: type[Model], fields: Sequence[str]) -> list[str]:
    """The database columns of ``fields``."""
    projection = model._meta.fields_db_projection
    return [projection[f] for f in fields]


def db_values(instance: Model, fields: Sequence[str]) -> list[Any]:
    """The values of ``fields`` as the database takes them (auto_now stamps set as tortoise
    does), for hand-written SQL."""
    meta = instance._meta
    return [meta.fields_map[f].to_db_value(getattr(instance, f), instance) for f in fields]


def to_db(model: type[Model], field: str, value: Any) -> Any:
    """One value as the database takes it for ``model.field``."""
    return model._meta.fields_map[field].to_db_value(value, model)


def any_of(p: Params, model: type[Model], field: str, values: Sequence[Any], *,
           column: str | None = None) -> str:
    """The condition "``model.field`` is one of ``values``" (plain values, as the database
    takes them; ``column``: the column as the statement names it, if not plainly). On
    PostgreSQL one array parameter, so the statement's text is the same for any number of
    values (see ``unnest`` for why that matters); on SQLite an ``IN`` list."""
    column = column or quote(columns(model, [field])[0])
    if p.dialect == POSTGRES:
        (mark,) = p.add([list(values)])
        return f"{column} = ANY({mark}::{array_type(model, field)})"
    return f"{column} IN ({', '.join(p.add(list(values)))})"


def insert_sql(
    table_name: str,
    cols: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    conflict: Sequence[str] = (),
    add: Sequence[str] = (),
    returning: Sequence[str] = (),
) -> str:
    """``INSERT INTO table_name (cols) VALUES (row), (row)…``; ``rows`` hold each row's
    markers (or SQL naming a value). With ``conflict`` (the columns of a unique key): a row
    whose key exists is skipped (insert-ignore) or, when ``add`` names counter columns,
    those are added to the existing row's (an upsert). ``returning``: the columns the
    statement returns (of the rows it inserted)."""
    values = ", ".join("(" + ", ".join(r) + ")" for r in rows)
    sql = (f"INSERT INTO {table_name} ({', '.join(quote(c) for c in cols)}) "  # noqa: S608
           f"VALUES {values}")
    if conflict:
        sql += f" ON CONFLICT ({', '.join(quote(c) for c in conflict)}) "
        if add:
            sql += "DO UPDATE SET " + ", ".join(
                f"{quote(c)} = {table_name}.{quote(c)} + excluded.{quote(c)}" for c in add)
        else:
            sql += "DO NOTHING"
    if returning:
        sql += f" RETURNING {', '.join(quote(c) for c in returning)}"
    return sql


_ARRAY_TYPES: dict[tuple[type[Model], str], str] = {}


def array_type(model: type[Model], field: str) -> str:
    """PostgreSQL: the array type of ``model.field``'s column, without a length limit (a cast
    to ``varchar(n)`` would cut a longer value silently; the insert's own check refuses it).
    Kept once worked out: a column's type is fixed, and every batch asks for it."""
    known = _ARRAY_TYPES.get((model, field))
    if known is None:
        sql_type = model._meta.fields_map[field].get_for_dialect(POSTGRES, "SQL_TYPE")
        known = _ARRAY_TYPES[(model, field)] = re.sub(r"\(.*\)", "", str(sql_type)) + "[]"
    return known


def unnest(p: Params, types: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """PostgreSQL: ``unnest($a::type[], $b::type[], …)``, a set of ``rows`` passed as one
    array parameter per column (``types``: each column's array type).

    Its SQL text is the same whatever the number of rows. asyncpg prepares and keeps one
    statement per text on each pooled connection, with codecs for its every marker (50 KB
    for a VALUES list of 100 inbox rows): multi-row VALUES of varying length filled every
    connection's cache with one statement per length seen, and the processes' memory crept.
    """
    marks = [p.add([[row[i] for row in rows]])[0] for i in range(len(types))]
    return f"unnest({', '.join(f'{m}::{t}' for m, t in zip(marks, types, strict=True))})"


def values_rows(p: Params, names: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """SQLite: ``rows`` as a subquery whose columns are called ``names`` (quoted as given),
    for an ``UPDATE … FROM`` that gives each row its own values (PostgreSQL: ``unnest``)."""
    picked = ", ".join(f"column{i + 1} AS {name}" for i, name in enumerate(names))
    values = ", ".join("(" + ", ".join(p.add(list(row))) + ")" for row in rows)
    return f"(SELECT {picked} FROM (VALUES {values}))"  # noqa: S608


def insert_rows_sql(p: Params, model: type[Model], fields: Sequence[str],
                    rows: Sequence[Sequence[Any]], *, conflict: Sequence[str] = (),
                    returning: Sequence[str] = ()) -> str:
    """An INSERT of ``rows`` (values as the database takes them, in ``fields`` order) of
    ``model``; ``conflict`` and ``returning`` as in ``insert_sql`` (insert-ignore). On
    PostgreSQL from ``unnest``: one SQL text for any number of rows."""
    cols = columns(model, fields)
    if p.dialect != POSTGRES:
        return insert_sql(table(model), cols, [p.add(list(r)) for r in rows],
                          conflict=conflict, returning=returning)
    source = unnest(p, [array_type(model, f) for f in fields], rows)
    sql = (f"INSERT INTO {table(model)} ({', '.join(quote(c) for c in cols)}) "  # noqa: S608
           f"SELECT * FROM {source}")
    if conflict:
        sql += f" ON CONFLICT ({', '.join(quote(c) for c in conflict)}) DO NOTHING"
    if returning:
        sql += f" RETURNING {', '.join(quote(c) for c in returning)}"
    return sql


def insert_model_sql(model: type[Model], rows: Sequence[Sequence[str]], *,
                     returning: Sequence[str] = ()) -> str:
    """An INSERT of ``model``'s ``insert_fields``, each row given by its markers."""
    return insert_sql(table(model), columns(model, insert_fields(model)), rows,
                      returning=returning)


_GET_SQL: dict[tuple[type[Any], tuple[str, ...], str], str] = {}


async def get_row(model: type[M], **where: Any) -> M | None:
    """``model.get_or_none(**where)`` for hot paths, where ``where`` names a unique key by
    plain values (strings, numbers). The SQL is built once per model, columns and dialect:
    tortoise builds each query anew, which costs more than a simple query itself."""
    conn = model._meta.db
    name = dialect_of(conn)
    shape = (model, tuple(where), name)
    sql = _GET_SQL.get(shape)
    if sql is None:
        projection = model._meta.fields_db_projection
        marks = param_markers(name, len(where))
        cond = " AND ".join(f"{quote(projection[k])} = {m}"
                            for k, m in zip(where, marks, strict=True))
        sql = _GET_SQL[shape] = (
            f"SELECT {', '.join(quote(c) for c in projection.values())} "  # noqa: S608
            f"FROM {table(model)} WHERE {cond} LIMIT 1")
    rows = await conn.execute_query_dict(sql, list(where.values()))
    return model._init_from_db(**rows[0]) if rows else None


def distinct_rounds(keys: Sequence[Any]) -> list[list[int]]:
    """The indexes of ``keys`` in rounds where each key appears at most once, in order: one
    ``UPDATE … FROM`` changes a row once, with one of its matches, so writes that name a row
    twice go in statements one after the other."""
    rounds: list[list[int]] = []
    seen: list[set[Any]] = []
    for i, key in enumerate(keys):
        n = next((n for n, taken in enumerate(seen) if key not in taken), len(seen))
        if n == len(seen):
            rounds.append([])
            seen.append(set())
        rounds[n].append(i)
        seen[n].add(key)
    return rounds
