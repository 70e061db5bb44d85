"""Finding goods by a typed name: accents and case ignored, word prefixes, a few typos forgiven;
and the cheapest offers of an item, for a price lookup by SMS.

Every word typed must start a word of the name, in any order. The menus also pass the other
names the goods are known by (`menus/goods.py`: maize, mahindi, maïs), so a search in one
language finds listings named in another. Exact matches come from SQL on
the folded name column (by the first word typed); when they are too few, the nearest and
freshest orderable listings (a bounded window) are ranked in Python by how many edits the
words typed are away from that. Both work alike on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence

from gateway.commerce.catalog.views import ListingView
from gateway.commerce.places import Where
from gateway.store.uow import UnitOfWork
from gateway.text.folding import fold

QUERY_MIN = 2
RESULTS = 30
"""Most results one search pages through."""
WINDOW = 400
"""Listings, nearest and freshest first, that typo-forgiving matching looks through."""


def typos_allowed(query: str) -> int:
    """Edits forgiven, word by word: none for 2-3 letters, one for 4-6, two beyond."""
    return sum(0 if len(w) <= 3 else 1 if len(w) <= 6 else 2 for w in query.split())


def prefix_distance(query: str, word: str) -> int:
    """Fewest edits (insert, delete, substitute) turning `query` into some prefix of `word`."""
    previous = list(range(len(word) + 1))
    for i, q in enumerate(query, 1):
        current = [i]
        for j, w in enumerate(word, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (q != w)))
        previous = current
    return min(previous)


def distance(query: str, name: str) -> int:
    """Edits needed so that every word typed starts some word of the folded `name`."""
    words = name.split() or [""]
    return sum(min(prefix_distance(q, w) for w in words) for q in query.split())


def search(uow: UnitOfWork, where: Where, text: str, also: Sequence[str] = ()) -> list[ListingView]:
    """Orderable listings in `where`'s country matching `text`, or one of the other names it
    is `also` known by (the same goods in other languages), best match then nearest first."""
    queries = list(dict.fromkeys(q for q in map(fold, (text, *also)) if len(q) >= QUERY_MIN))
    if not queries:
        return []
    with uow:
        found: list[int] = []
        for query in queries:
            exact = uow.listings.starting_with(
                where.country, query.split()[0], where.region, where.district, RESULTS
            )
            found += [
                row.id
                for row in exact
                if distance(query, row.search_name) == 0 and row.id not in found
            ]
        if len(found) < RESULTS:
            near = uow.listings.names_near(where.country, where.region, where.district, WINDOW)
            scored = [
                (min(distance(q, name) for q in queries), rank, row_id)
                for rank, (row_id, name) in enumerate(near)
                if any(distance(q, name) <= typos_allowed(q) for q in queries)
            ]
            found += [row_id for _, _, row_id in sorted(scored) if row_id not in found][
                : RESULTS - len(found)
            ]
        return [ListingView.of(row) for row in uow.listings.by_ids(found[:RESULTS])]


def cheapest(
    uow: UnitOfWork, country: str, names: Sequence[str], place: str | None, limit: int
) -> list[ListingView]:
    """In the caller's open unit of work: the cheapest orderable listings named like one of
    `names` (an item and its names in other languages) in `country` (and `place`, a district
    or region, when given)."""
    folded = [name for name in dict.fromkeys(map(fold, names)) if name]
    rows = uow.listings.cheapest(country, folded, place, limit) if folded else []
    return [ListingView.of(row) for row in rows]
