"""Calendar days and months (UTC) of a timestamp column, as `YYYY-MM-DD` / `YYYY-MM` text on
SQLite and PostgreSQL alike, for grouping in SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement


class _UtcText(FunctionElement[str]):
    type = String()
    inherit_cache = True
    pattern: tuple[str, str] = ("", "")
    """(SQLite strftime pattern, PostgreSQL to_char pattern)."""


class utc_day(_UtcText):
    inherit_cache = True
    pattern = ("%Y-%m-%d", "YYYY-MM-DD")


class utc_month(_UtcText):
    inherit_cache = True
    pattern = ("%Y-%m", "YYYY-MM")


@compiles(utc_day, "sqlite")
@compiles(utc_month, "sqlite")
def _sqlite(element: _UtcText, compiler: Any, **kw: Any) -> str:
    column = compiler.process(list(element.clauses)[0], **kw)
    return f"strftime('{element.pattern[0]}', {column})"


@compiles(utc_day, "postgresql")
@compiles(utc_month, "postgresql")
def _postgresql(element: _UtcText, compiler: Any, **kw: Any) -> str:
    column = compiler.process(list(element.clauses)[0], **kw)
    return f"to_char({column} AT TIME ZONE 'UTC', '{element.pattern[1]}')"


def day_of(column: ColumnElement[datetime] | Any) -> ColumnElement[str]:
    return utc_day(column)


def month_of(column: ColumnElement[datetime] | Any) -> ColumnElement[str]:
    return utc_month(column)
