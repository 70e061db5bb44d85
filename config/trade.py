"""Trade data Sokoni reads from files: STR members, Common Lists per country pair, and the HS
headings of each category (`config/common_lists/*.toml`, `config/hs_headings.toml`).

Operators change these files, not code; each file is checked when it is read, and a file
that cannot be used refuses with its name and the reason.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from config.countries import COUNTRIES

DATA = Path(__file__).resolve().parent
LISTS = DATA / "common_lists"
HEADINGS = DATA / "hs_headings.toml"
DEFAULT_THRESHOLD_USD = 2000
"""Per consignment (COMESA Council 2014, kept by the 2022 review; domain.md §2 [T1][T2])."""
MAX_THRESHOLD_USD = 99999
"""A threshold above this is a typing error (screens and SMS are budgeted for it)."""
HEADING = re.compile(r"[0-9]{2}\.[0-9]{2}")
"""An HS heading: the first four digits of the Harmonized System code, as `10.05`."""


class BadTradeData(ValueError):
    """A trade data file cannot be used; the message names the file and why."""


@dataclass(frozen=True)
class CommonList:
    """The goods two neighbours agreed small traders may carry under the STR."""

    countries: frozenset[str]
    threshold_usd: int
    transport_allowance_pct: Decimal
    goods: dict[str, str]
    """HS heading -> what it covers."""
    source: str
    """The file it was read from."""


def pair_name(a: str, b: str) -> str:
    """`KE-UG`: the two ISO codes in alphabetical order, as the file is named."""
    return "-".join(sorted((a.upper(), b.upper())))


def _load(path: Path) -> dict[str, object]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise BadTradeData(f"{path.name}: {err}") from None


def _common_list(path: Path) -> CommonList:
    data = _load(path)
    countries = data.get("countries")
    if (
        not isinstance(countries, list)
        or len(set(countries)) != 2
        or not set(countries) <= COUNTRIES.keys()
        or pair_name(*countries) != path.stem
    ):
        raise BadTradeData(f"{path.name}: countries must be the two members the file is named for")
    threshold = data.get("threshold_usd", DEFAULT_THRESHOLD_USD)
    if not isinstance(threshold, int) or not 0 < threshold <= MAX_THRESHOLD_USD:
        raise BadTradeData(f"{path.name}: threshold_usd must be whole dollars, 1 to 99999")
    allowance = data.get("transport_allowance_pct", 0)
    if not isinstance(allowance, int | float) or not 0 <= allowance <= 100:
        raise BadTradeData(f"{path.name}: transport_allowance_pct must be 0 to 100")
    goods = data.get("goods", {})
    if not isinstance(goods, dict) or not all(HEADING.fullmatch(h) for h in goods):
        raise BadTradeData(f'{path.name}: [goods] keys must be HS headings like "10.05"')
    return CommonList(
        frozenset(countries),
        threshold,
        Decimal(str(allowance)),
        {heading: str(name) for heading, name in goods.items()},
        path.name,
    )


@cache
def common_lists() -> dict[str, CommonList]:
    """Every Common List, by pair name (`KE-UG`)."""
    return {path.stem: _common_list(path) for path in sorted(LISTS.glob("*-*.toml"))}


def common_list(a: str, b: str) -> CommonList | None:
    """The Common List of two members, if they have one."""
    return common_lists().get(pair_name(a, b))


@cache
def str_members() -> frozenset[str]:
    """Members whose traders may use the STR (`common_lists/members.toml`)."""
    members = _load(LISTS / "members.toml").get("str")
    if not isinstance(members, list) or not set(members) <= COUNTRIES.keys():
        raise BadTradeData("members.toml: str must list ISO codes of COMESA members")
    return frozenset(members)


@dataclass(frozen=True)
class CategoryHeadings:
    """A category's default HS heading and the headings its goods' names point to."""

    default: str | None
    by_word: tuple[tuple[str, tuple[str, ...]], ...]
    """(heading, words), in the file's order: the first whose word matches wins."""


@cache
def category_headings() -> dict[str, CategoryHeadings]:
    """Every category's headings (`hs_headings.toml`)."""
    found = {}
    for category, table in _load(HEADINGS).items():
        if not isinstance(table, dict):
            raise BadTradeData(f"hs_headings.toml: [{category}] must be a table")
        default = table.get("default")
        headings = [(h, w) for h, w in table.items() if h != "default"]
        if (default is not None and not HEADING.fullmatch(str(default))) or not all(
            HEADING.fullmatch(h) and isinstance(w, list) for h, w in headings
        ):
            raise BadTradeData(f"hs_headings.toml: [{category}] has a malformed heading")
        found[category] = CategoryHeadings(
            default, tuple((h, tuple(str(x) for x in w)) for h, w in headings)
        )
    return found
