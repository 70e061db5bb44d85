"""Rows a caller knows exist (a foreign key points at them, or they were just read): `one`
turns a missing one into an error that names it, instead of a `None` that fails later; and
how many rows a conditional UPDATE changed."""

from __future__ import annotations

from typing import Any
from typing import TypeVar
from typing import cast

from sqlalchemy import CursorResult
from sqlalchemy import Result

Row = TypeVar("Row")


class Missing(LookupError):
    """A row that a foreign key or an earlier read promised is not there."""


def one(row: Row | None, what: str, key: object) -> Row:
    if row is None:
        raise Missing(f"no {what} {key}")
    return row


def changed(result: Result[Any]) -> int:
    """Rows an UPDATE changed (its cursor's rowcount)."""
    return cast(CursorResult[Any], result).rowcount
