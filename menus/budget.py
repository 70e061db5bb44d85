"""The design-time screen check: every screen, every language, worst-case values, one budget.

Journeys render from `ctx.data`, so filling it with the longest names, the largest amounts
and the longest unit words shows the widest each screen can ever be. Lists get a full page
of the longest labels. Standalone texts (errors, the resume screen) are checked as well,
and the locale files must agree on keys and placeholders.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from gateway.commerce.catalog.terms import CATEGORIES
from gateway.commerce.catalog.terms import MAX_QUANTITY
from gateway.commerce.catalog.terms import NAME_MAX
from gateway.commerce.catalog.terms import UNITS
from gateway.commerce.clock import utc_now
from gateway.commerce.deps import Deps
from gateway.commerce.messaging.notices import Notices
from gateway.commerce.orders.placing import ADDRESS_MAX
from gateway.commerce.parcels.rules import Rules
from gateway.commerce.payments.checks import Schedule
from gateway.commerce.payments.escrow import Rates
from gateway.commerce.people.callers import Caller
from gateway.commerce.people.pins import PinLock
from gateway.commerce.refs import REF_LENGTH
from gateway.store.models.disputes import REASONS
from gateway.store.uow import UnitOfWork
from gateway.text.gsm import GSM7
from gateway.text.gsm import UCS2
from gateway.text.gsm import is_gsm7
from gateway.text.gsm import transliterate
from menus.context import Context
from menus.engine import END_SCREEN
from menus.i18n import COUNT
from menus.i18n import DEFAULT_LANGUAGE
from menus.i18n import LANGUAGES
from menus.i18n import form
from menus.i18n import placeholders
from menus.i18n import plural_forms
from menus.i18n import plural_texts
from menus.i18n import t
from menus.i18n import texts
from menus.journeys.registry import SCREENS
from menus.origin import worst_data as origin_worst_data
from menus.render import Budget
from menus.render import compose
from menus.render import lines
from menus.render import nav_line
from menus.screens import HOME_SCREEN
from menus.screens import Ask
from menus.screens import Confirm
from menus.screens import Item
from menus.screens import Menu
from menus.screens import Pick
from menus.screens import Screen
from menus.sms.budget import check_sms
from menus.tracking import worst_data as parcels_worst_data
from menus.worst_case import LARGEST_MINOR
from menus.worst_case import PHONE_MAX
from menus.worst_case import PLACE_MAX
from menus.worst_case import longest
from menus.worst_case import worst_currency

ERROR_VALUES = {"stock": MAX_QUANTITY, "most": MAX_QUANTITY, "count": 9}
"""The widest values a refused input's reason may show."""


class NoDatabase(Exception):
    """A screen asked for the database during the check, which renders from worst-case data."""


def _no_database() -> UnitOfWork:
    raise NoDatabase


CHECK_DEPS = Deps(
    uow=_no_database,
    clock=utc_now,
    notices=Notices(t, LANGUAGES, "*384*123#"),
    parcel_rules=Rules(),
    rates=Rates(0, 0, timedelta()),
    payment_schedule=Schedule(),
    pin_lock=PinLock(),
)
"""What screens are handed during the check: rules and texts, but no database."""

STANDALONE = (
    "request.invalid",
    "input.too_long",
    "system.error",
    "system.busy",
    "resume.title",
    "confirm.cancelled",
    *END_SCREEN.values(),
)


def worst_data(language: str) -> dict[str, Any]:
    """Journey data at its widest: what every values function reads."""
    currency = worst_currency(language)
    return {
        "category": longest(language, "category", CATEGORIES),
        "listing": 1,
        "item": {
            "id": 1,
            "code": "W" * REF_LENGTH,
            "country": "KE",
            "name": "W" * NAME_MAX,
            "unit": longest(language, "unit", UNITS),
            "price_minor": LARGEST_MINOR,
            "currency": currency,
            "stock": MAX_QUANTITY,
            "seller": "W" * NAME_MAX,
            "place": "W" * PLACE_MAX,
        },
        "qty": MAX_QUANTITY,
        "order": {"ref": "W" * REF_LENGTH, "total_minor": LARGEST_MINOR, "currency": currency},
        **_journeys_data(language, currency),
        **parcels_worst_data(language),
        **origin_worst_data(language),
    }


def _widest(language: str, options: Mapping[Any, str]) -> object:
    """The option whose text (a locale key) is longest in `language`."""
    widest = {"place": "W" * PLACE_MAX, "phone": "W" * PHONE_MAX}
    return max(options, key=lambda option: len(t(language, options[option], **widest)))


def _journeys_data(language: str, currency: str) -> dict[str, Any]:
    """Selling, orders, delivery, agents and account: each key at its widest."""
    name, place, phone = "W" * NAME_MAX, "W" * PLACE_MAX, "+" + "9" * (PHONE_MAX - 1)
    statuses = [k.split(".", 1)[1] for k in texts(language) if k.startswith("sms_status.")]
    status = max(statuses or ["W" * 20], key=lambda s: len(t(language, f"sms_status.{s}")))
    via = {kind: f"orders.via_{kind}" for kind in ("point", "home", "seller")}
    unit = longest(language, "unit", UNITS)
    kinds = {k.removeprefix("sell.kind_"): k for k in texts(language) if k.startswith("sell.kind_")}
    last = t(
        language,
        "agent.last_order",
        ref="W" * REF_LENGTH,
        qty=MAX_QUANTITY,
        unit=form(language, f"unit.{unit}", "other"),
        name=name,
    )
    return {
        "place": place,
        "name": name,
        "me": phone,
        "payout": phone,
        "currency": currency,
        "unit": longest(language, "unit", UNITS),
        "draft_name": name,
        "draft_category": longest(language, "category", CATEGORIES),
        "price": LARGEST_MINOR,
        "stock": MAX_QUANTITY,
        "home": _widest(language, {False: "sell.pickup_only", True: "sell.delivers"}),
        "code": "W" * REF_LENGTH,
        "mine": {
            "id": 1,
            "code": "W" * REF_LENGTH,
            "name": name,
            "unit": longest(language, "unit", UNITS),
            "price_minor": LARGEST_MINOR,
            "currency": currency,
            "stock": MAX_QUANTITY,
            "paused": _widest(language, {True: "sell.paused", False: "sell.active"}),
        },
        "card": {
            "id": 1,
            "ref": "W" * REF_LENGTH,
            "status": status,
            "ready": False,
            "cancellable": True,
            "total_minor": LARGEST_MINOR,
            "currency": currency,
            "qty": MAX_QUANTITY,
            "unit": longest(language, "unit", UNITS),
            "name": name,
            "buyer_place": place,
            "buyer_phone": phone,
            "delivery": "home",
            "delivery_place": "W" * ADDRESS_MAX,
            "parcel": "created",
            "has_code": False,
        },
        "delivery": {"delivery": _widest(language, via), "point_id": 1, "point": name},
        "remembered": True,
        "address": "W" * ADDRESS_MAX,
        "reason": _widest(language, {r: f"dispute_reason.{r}" for r in REASONS}),
        "step": _widest(language, {s: f"sell.done_{s}" for s in ("ready", "go_out", "deliver")}),
        "money": {
            "currency": currency,
            "escrow": LARGEST_MINOR,
            "paid": LARGEST_MINOR,
            "failed": LARGEST_MINOR,
            "count": MAX_QUANTITY,
            "movements": [],
        },
        "movement": {
            "when": "29/11 23:59",
            "ref": "W" * REF_LENGTH,
            "kind": _widest(language, kinds),
            "amount": LARGEST_MINOR,
        },
        "customer_name": name,
        "customer": {"id": 2, "phone": phone, "country": "KE", "region": None, "district": None},
        "payment": _widest(language, {"cash": "buy.next_cash", "prompt": "buy.next_customer"}),
        "customer_phone": phone,
        "asked": _widest(
            language, {"asked": "agent.asked_asked", "granted": "agent.asked_granted"}
        ),
        "chosen": {
            "phone": phone,
            "who": f"{name} {phone}",
            "last": last,
            "status": _widest(
                language, {s: f"agent.customer_{s}" for s in ("granted", "pending", "withdrawn")}
            ),
        },
        "point": {"name": name, "place": place, "hours": place},
        "commission": {
            "pending_minor": LARGEST_MINOR,
            "earned_minor": LARGEST_MINOR,
            "currency": currency,
            "orders": MAX_QUANTITY * 10,
        },
    }


def _worst_items(screen: Screen):  # type: ignore[no-untyped-def]
    """Lists from the database become a dozen labels longer than any real one; a menu shows
    every choice (whoever would see it)."""
    if isinstance(screen, Pick) and screen.id != "home.language":
        return lambda ctx: [Item(i, "W" * (NAME_MAX * 2)) for i in range(12)]
    if isinstance(screen, Menu):
        return lambda ctx: [Item(c.goto, t(ctx.language, c.label)) for c in screen.choices]
    return screen.items


def _error_variants(screen: Screen) -> list[list[Any] | None]:
    variants: list[list[Any] | None] = [None]
    if isinstance(screen, Ask):
        variants += [[key, ERROR_VALUES] for key in screen.errors]
    if isinstance(screen, (Confirm, Pick)) or screen.paged:
        variants.append(["nav.invalid", {}])
    return variants


def check_screens(budget: Budget, language: str) -> list[str]:
    caller = Caller(1, "+254700000000", "KE", language, "W" * NAME_MAX, None, None, frozenset())
    problems = []
    for screen in SCREENS.values():
        for error in _error_variants(screen):
            note = f" with {error[0]}" if error else ""
            answers, parts = _pages(screen, language, budget, caller, error)
            alphabet = GSM7 if is_gsm7(transliterate(answers[-1])) else UCS2
            if parts > MAX_PARTS[alphabet]:
                problems.append(
                    f"{language} screen {screen.id}{note} is over budget: its text takes "
                    f"{parts} screens {answers!r}"
                )
            for page, answer in enumerate(answers):
                if not budget.fits(answer):
                    where = f" page {page + 1}" if page else ""
                    problems.append(
                        f"{language} screen {screen.id}{where}{note} is over budget "
                        f"({len(answer)} chars): {answer!r}"
                    )
    return problems


MAX_PARTS = {GSM7: 2, UCS2: 4}
"""Screens a text may take at its widest, by alphabet: a GSM-7 screen holds 160 characters, a
UCS-2 one 80 (Arabic), where a screen's values alone may take over 100."""


MAX_PAGES = 20
"""Pages of one screen the check follows with `98` (a list of worst items, a text in parts)."""


def _pages(
    screen: Screen, language: str, budget: Budget, caller: Caller, error: list[Any] | None
) -> tuple[list[str], int]:
    """Every page of `screen` at its widest, as sent, following `98` as a caller would (the
    parts of a long text, then the pages of its list); and how many parts its text took."""
    ctx = Context(caller, language, CHECK_DEPS, "check", "check", data=worst_data(language))
    state: dict[str, Any] = {
        "screen": screen.id,
        "page": 0,
        "stack": [[HOME_SCREEN, 0]],
        "error": error,
    }
    answers: list[str] = []
    while len(answers) < MAX_PAGES:
        kind, body = compose(screen, ctx, state, budget, _worst_items(screen))
        answers.append(f"{kind} {body}")
        if not state.get("more"):
            break
        state["page"] += 1
    return answers, int(state.get("parts", 1))


def check_texts(budget: Budget, language: str) -> list[str]:
    problems = []
    for key in STANDALONE:
        for kind, body in (
            ("END", t(language, key)),
            ("CON", lines(t(language, key), nav_line(language, True, True, True))),
        ):
            if not budget.fits(f"{kind} {body}"):
                problems.append(f"{language} text {key} is over budget as {kind}: {body!r}")
    return problems


def _shapes(language: str) -> tuple[dict[str, set[str]], list[str]]:
    """`{text: placeholders}` of `language` (a plural text once, by its key, with `count` and
    the placeholders of all its forms), and its plural forms the language does not have."""
    table, plural = texts(language), plural_texts(language)
    shapes: dict[str, set[str]] = {}
    wrong = []
    for key, template in table.items():
        base, _, name = key.rpartition(".")
        if base in plural:
            shapes.setdefault(base, {COUNT}).update(placeholders(template))
            if name not in plural_forms(language):
                wrong.append(f"{language} text {base} has a form {name!r} the language lacks")
        else:
            shapes[key] = placeholders(template)
    return shapes, wrong


def check_locales() -> list[str]:
    """Every locale has the same texts as the default language, with the same placeholders;
    plural texts have only the forms their language has (Babel's plural rules)."""
    reference, problems = _shapes(DEFAULT_LANGUAGE)
    for language in LANGUAGES:
        shapes, wrong = _shapes(language)
        problems += wrong if language != DEFAULT_LANGUAGE else []
        for key in reference.keys() - shapes.keys():
            problems.append(f"{language} lacks text {key}")
        for key in shapes.keys() - reference.keys():
            problems.append(f"{language} has text {key} that English lacks")
        for key in reference.keys() & shapes.keys():
            if reference[key] != shapes[key]:
                problems.append(f"{language} text {key} has other placeholders than English")
    return problems


def check(budget: Budget) -> list[str]:
    """Every problem found, each naming the language and the screen or text; empty when all fit."""
    problems = check_locales() + check_sms()
    for language in LANGUAGES:
        problems += check_screens(budget, language) + check_texts(budget, language)
    return problems
