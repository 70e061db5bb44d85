"""A listing's HS heading: an operator's for the listing, else one its name points to in its
category, else an operator's for the category, else the category's default
(`config/hs_headings.toml`)."""

from __future__ import annotations

from config.trade import HEADING
from config.trade import category_headings
from gateway.commerce.catalog.terms import CATEGORIES
from gateway.store.models.catalog import Listing
from gateway.store.uow import UnitOfWork
from gateway.text.folding import fold


class InvalidHeading(ValueError):
    """Not an HS heading like `10.05`, or a category Sokoni does not have."""


def named_heading(category: str, name: str) -> str | None:
    """The heading the first matching word of the category points to, if any: a word
    matches when it starts a word of the folded name (a phrase, when it appears in it)."""
    table = category_headings().get(category)
    folded = fold(name)
    words = folded.split()
    for heading, keys in table.by_word if table else ():
        for key in map(fold, keys):
            if (" " in key and key in folded) or any(word.startswith(key) for word in words):
                return heading
    return None


def heading_for(uow: UnitOfWork, category: str, name: str) -> str | None:
    """In the caller's open unit of work: the heading new goods of `category` named `name` get."""
    table = category_headings().get(category)
    return (
        named_heading(category, name)
        or uow.certificates.category_heading(category)
        or (table.default if table else None)
    )


def listing_heading(uow: UnitOfWork, listing: Listing) -> str | None:
    """In the caller's open unit of work: the listing's own heading, else its category's."""
    return listing.hs_heading or heading_for(uow, listing.category, listing.name)


def checked_heading(text: str) -> str:
    """An HS heading as typed by an operator (`1005` or `10.05`), as stored.

    Raises:
        InvalidHeading.
    """
    digits = "".join(ch for ch in text if ch.isdigit())
    heading = f"{digits[:2]}.{digits[2:]}"
    if len(digits) != 4 or not HEADING.fullmatch(heading):
        raise InvalidHeading(f"not an HS heading (4 digits, like 10.05): {text!r}")
    return heading


def set_listing_heading(uow: UnitOfWork, code: str, heading: str) -> bool:
    """Give the listing with `code` the heading; False if there is no such listing.

    Raises:
        InvalidHeading.
    """
    checked = checked_heading(heading)
    with uow:
        listing = uow.listings.by_code(code.strip().upper())
        if listing is None:
            return False
        listing.hs_heading = checked
        uow.commit()
        return True


def set_category_heading(uow: UnitOfWork, category: str, heading: str) -> None:
    """Goods of `category` whose name points to no heading get this one from now on.

    Raises:
        InvalidHeading.
    """
    if category not in CATEGORIES:
        raise InvalidHeading(f"no category {category!r}")
    checked = checked_heading(heading)
    with uow:
        uow.certificates.set_category_heading(category, checked)
        uow.commit()
