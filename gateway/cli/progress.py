"""Progress bars for long commands (tqdm): drawn on a terminal, silent in CI (CI set) or when
the output is a file or a pipe."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TypeVar

from tqdm import tqdm

Item = TypeVar("Item")


def quiet() -> bool | None:
    """True in CI; otherwise None, which tqdm reads as "only on a terminal"."""
    return True if os.environ.get("CI") else None


def bar(items: Iterable[Item], what: str, total: int | None = None) -> Iterable[Item]:
    """`items`, with a bar on stderr counting them as `what`."""
    shown: Iterable[Item] = tqdm(
        items, desc=what, total=total, unit=" rows", disable=quiet(), leave=False
    )
    return shown
