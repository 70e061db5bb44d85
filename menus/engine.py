"""The USSD engine: one hop in, one screen out, with state in Redis and journeys as data.

For every journey it derives the newest input from what the session already processed,
answers a repeated hop from the stored answer, pages long lists (`98` more, `0` back,
`00` home), keeps unfinished journeys per phone for a re-dial to resume, and maps domain
errors to END screens through one table.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from config.countries import COUNTRIES
from config.countries import country_for_network
from gateway.commerce import errors
from gateway.commerce.deps import Deps
from gateway.commerce.people.callers import Caller
from gateway.commerce.people.callers import identify
from gateway.commerce.people.callers import language_of
from gateway.commerce.people.callers import pack
from gateway.commerce.people.callers import unpack
from gateway.commerce.phones import InvalidPhone
from gateway.commerce.phones import to_e164
from gateway.store.ussd_sessions import DROP
from gateway.store.ussd_sessions import KEEP
from gateway.store.ussd_sessions import Claim
from gateway.store.ussd_sessions import SessionBusy
from gateway.store.ussd_sessions import UssdSessions
from gateway.text.gsm import transliterate
from menus.context import Context
from menus.i18n import DEFAULT_LANGUAGE
from menus.i18n import LANGUAGES
from menus.i18n import t
from menus.render import Budget
from menus.render import clip
from menus.render import compose
from menus.render import error_line
from menus.render import lines
from menus.render import numbered
from menus.screens import BACK
from menus.screens import HOME
from menus.screens import HOME_SCREEN
from menus.screens import MORE
from menus.screens import Item
from menus.screens import Retry
from menus.screens import Screen

log = logging.getLogger(__name__)

LANGUAGE_SCREEN = "home.language"
COUNTRY_SCREEN = "home.country"
RESUME_SCREEN = "engine.resume"
NOT_RESUMABLE = {HOME_SCREEN, LANGUAGE_SCREEN, COUNTRY_SCREEN, RESUME_SCREEN}
MAX_HOPS_TEXT = 40
HOP_ID_CHARS = 16
"""A hop's text is known by this many hex digits of its SHA-256 (64 bits: no two hops of a
session alike in practice, and short keys keep a live session under 2 KB of Redis)."""
"""A session's whole `text` may hold this many longest inputs before it is refused."""

END_SCREEN: Mapping[type[errors.DomainError], str] = {
    errors.OutOfStock: "buy.out_of_stock",
    errors.ListingUnavailable: "buy.unavailable",
    errors.ListingNotFound: "buy.unavailable",
    errors.InvalidQuantity: "buy.bad_quantity",
    errors.OwnListing: "buy.own_listing",
    errors.PersonNotFound: "system.error",
    errors.PinLocked: "pin.locked",
    errors.PinNeedsReset: "pin.reset_needed",
    errors.PinNotLocked: "agent.pin_not_locked",
    errors.NoPin: "pin.none",
    errors.NoConsent: "agent.no_consent",
    errors.SelfCustomer: "agent.self_customer",
    errors.NotAnAgent: "agent.not_agent",
    errors.OrderNotCancellable: "orders.not_cancellable",
    errors.OrderNotFound: "orders.not_found",
    errors.PaymentNotRetryable: "pay_again.not_retryable",
    errors.PaymentInProgress: "pay_again.in_progress",
    errors.DeliveryUnavailable: "buy.delivery_unavailable",
    errors.NotASeller: "sell.not_seller",
    errors.InvalidListing: "sell.invalid",
    errors.InvalidDetail: "sell.invalid",
    errors.NothingInEscrow: "sell.not_paid",
    errors.ParcelNotFound: "parcels.not_found",
    errors.NotYourParcel: "parcels.not_yours",
    errors.IllegalTransition: "parcels.not_now",
    errors.ParcelLocked: "parcels.locked",
    errors.TrackingNumberTaken: "parcels.tracking_taken",
    errors.CodeNotNeeded: "parcels.no_code_needed",
    errors.CodeRecentlySent: "parcels.code_recent",
    errors.NotDisputable: "orders.not_disputable",
    errors.RateUnavailable: "abroad.no_rate",
    errors.CrossBorderByMenu: "abroad.no_rate",
    errors.CertificateUsed: "origin.used",
    errors.CertificateCancelled: "origin.cancelled",
    errors.CertificateNotFound: "origin.not_found",
    errors.NotABorderAgent: "origin.not_border_agent",
}


@dataclass(frozen=True)
class Hop:
    """One USSD request as Africa's Talking sends it (all strings, possibly missing)."""

    session_id: str | None
    phone: str | None
    text: str | None
    service_code: str | None = None
    network_code: str | None = None


@dataclass(frozen=True)
class Reply:
    """`CON` (expects input) or `END`, the text, and the screen id for hop metadata.

    The text is written in the phone's alphabet: letters GSM-7 lacks (ç, ê, ï...) become
    plain ones, so locale files spell every language properly and screens stay GSM-7.
    """

    kind: str
    text: str
    screen: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", transliterate(self.text))

    def __str__(self) -> str:
        return f"{self.kind} {self.text}"

    def stored(self) -> str:
        """What a replay of this hop answers from: the screen id, then the answer."""
        return f"{self.screen} {self}"

    @classmethod
    def parse(cls, stored: str) -> Reply:
        """The reply `stored()` kept, with its original screen id."""
        screen, _, answer = stored.partition(" ")
        kind, _, text = answer.partition(" ")
        return cls(kind, text, screen)


def fingerprint(text: str) -> dict[str, Any]:
    """What the session keeps of the text it processed: its length and a hash, never the
    inputs themselves (they may hold a PIN)."""
    return {"len": len(text), "sha": hashlib.sha256(text.encode()).hexdigest()[:HOP_ID_CHARS]}


def newest_input(seen: Mapping[str, Any], text: str) -> str:
    """What the caller typed last: `text` minus the text the session already consumed.

    Inputs may contain `*`, so the split is by the processed prefix (recognised by its
    fingerprint), not on `*`; when the text does not extend the prefix (a gateway glitch),
    the part after the last `*` is used.
    """
    size = seen["len"]
    if size == 0:
        return text
    if text[size : size + 1] == "*" and fingerprint(text[:size])["sha"] == seen["sha"]:
        return text[size + 1 :]
    return text.rsplit("*", 1)[-1]


class Engine:
    """Answers hops for the journeys in `screens`."""

    def __init__(
        self,
        screens: Mapping[str, Screen],
        sessions: UssdSessions,
        deps: Deps,
        budget: Budget,
        max_input: int,
    ) -> None:
        self.screens = screens
        self.sessions = sessions
        self.deps = deps
        self.budget = budget
        self.max_input = max_input

    def answer(self, hop: Hop) -> Reply:
        """The reply to one hop; bad input gets a localised END and changes nothing."""
        network = country_for_network(hop.network_code)
        fallback = network.languages[0] if network else DEFAULT_LANGUAGE
        if not hop.session_id or not hop.phone or hop.text is None:
            return Reply("END", t(fallback, "request.invalid"), "refused")
        try:
            phone = to_e164(hop.phone, network_code=hop.network_code)
        except InvalidPhone:
            return Reply("END", t(fallback, "request.invalid"), "refused")
        if len(hop.text) > self.max_input * MAX_HOPS_TEXT:
            language = language_of(self.deps.uow(), phone) or fallback
            return Reply("END", t(language, "input.too_long"), "refused")
        hop_id = fingerprint(hop.text)["sha"]
        try:
            claim = self.sessions.claim(hop.session_id, hop_id, phone)
        except SessionBusy:
            return Reply("END", t(fallback, "system.busy"), "refused")
        if claim.answer is not None:
            return Reply.parse(claim.answer)
        try:
            reply, state, view = self._answer_claimed(hop, hop_id, phone, claim)
        except BaseException:
            self.sessions.release(claim)
            raise
        if state is None:
            self.sessions.release(claim)
        else:
            resume = _resume(state, reply)
            self.sessions.commit(claim, state, hop_id, reply.stored(), phone, resume, view)
        return reply

    def _answer_claimed(
        self, hop: Hop, hop_id: str, phone: str, claim: Claim
    ) -> tuple[Reply, dict[str, Any] | None, list[Any] | None]:
        """The reply and the state to store (None: store nothing) for a claimed hop, and the
        caller's view to keep (None: the one kept is still right)."""
        sid, text = claim.session_id, hop.text or ""
        state = claim.state
        kept = _kept(phone, hop.network_code, claim.view)
        caller = kept or identify(self.deps.uow(), phone, hop.network_code)
        shortcut = state is None
        if state is None:
            state = self._start(caller, claim.resume if not text else None)
            inputs = text.split("*") if text else []  # a shortcut dial: *384*123*1*2#
        else:
            inputs = [newest_input(state["seen"], text)]
        if any(len(i) > self.max_input for i in inputs):
            return Reply("END", t(state["lang"], "input.too_long"), state["screen"]), None, None
        ctx = Context(
            caller=caller,
            language=state["lang"],
            deps=self.deps,
            session_id=sid,
            hop_key=f"ussd:{sid}:{hop_id}",
            data=state["data"],
        )
        reply = None
        for piece in inputs:
            if shortcut:
                self._render(state, ctx)  # a shortcut's inputs choose from screens not yet shown
            reply = self._apply(state, ctx, piece)
            if reply is not None:
                break
        if reply is None:
            reply = self._render(state, ctx)
        state.update(seen=fingerprint(text), lang=ctx.language)
        view = [hop.network_code, *pack(ctx.caller)] if ctx.caller != kept else None
        return reply, state, view

    def _start(self, caller: Caller, snapshot: dict[str, Any] | None) -> dict[str, Any]:
        """A new session's state: the resume offer when `snapshot` (an unfinished journey) is
        given, else home (or the language screen for a caller who never chose one)."""
        country = COUNTRIES.get(caller.country)
        language = caller.language or (country.languages[0] if country else DEFAULT_LANGUAGE)
        first = HOME_SCREEN if caller.language in LANGUAGES else LANGUAGE_SCREEN
        state: dict[str, Any] = {
            "seen": fingerprint(""),
            "screen": first,
            "page": 0,
            "stack": [],
            "data": {},
            "shown": [],
            "error": None,
            "lang": language,
        }
        if snapshot is not None and snapshot.get("screen") in self.screens:
            state.update(screen=RESUME_SCREEN, resume=snapshot)
        return state

    def _apply(self, state: dict[str, Any], ctx: Context, piece: str) -> Reply | None:
        """Apply one input to `state`; a Reply only when the journey ends here."""
        state["error"] = None
        if state["screen"] == RESUME_SCREEN:
            self._resume_choice(state, ctx, piece)
            return None
        screen = self.screens[state["screen"]]
        if screen.final:
            self._turn_part(state, piece)
            return self._render(state, ctx)
        if piece == HOME:
            state.update(screen=HOME_SCREEN, page=0, stack=[])
            return None
        if piece == BACK:
            if state["page"] > 0:
                state["page"] -= 1
            elif state["stack"]:
                state["screen"], state["page"] = state["stack"].pop()
            return None
        if piece == MORE and state.get("more"):
            state["page"] += 1
            return None
        shown = [Item(value, "") for value in state["shown"]]
        try:
            outcome = screen.handle(ctx, piece, shown)
        except errors.DomainError as err:
            key = END_SCREEN.get(type(err), "system.error")
            return Reply("END", t(ctx.language, key), screen.id)
        if isinstance(outcome, Retry):
            state["error"] = [outcome.key, outcome.values]
        elif outcome.screen == HOME_SCREEN:
            state.update(screen=HOME_SCREEN, page=0, stack=[])
        else:
            state["stack"].append([screen.id, state["page"]])
            state.update(screen=outcome.screen, page=0)
        return None

    def _turn_part(self, state: dict[str, Any], piece: str) -> None:
        """On a last screen shown in parts, `98` and `0` move between its parts; any other
        input shows the same part again (the journey is over: nothing to go back to)."""
        if piece == MORE and state.get("more"):
            state["page"] += 1
        elif piece == BACK and state["page"] > 0:
            state["page"] -= 1

    def _resume_choice(self, state: dict[str, Any], ctx: Context, piece: str) -> None:
        snapshot = state.pop("resume", None) or {}
        if piece == "1" and snapshot:
            state.update(
                screen=snapshot["screen"],
                page=snapshot["page"],
                stack=snapshot["stack"],
            )
            ctx.data.clear()
            ctx.data.update(snapshot["data"])
        elif piece == "2":  # home: the commit forgets the resume point
            state.update(screen=HOME_SCREEN, page=0, stack=[])
        else:
            state["resume"] = snapshot
            state["error"] = ["nav.invalid", {}]
        return None

    def _render(self, state: dict[str, Any], ctx: Context) -> Reply:
        """The screen `state` points at, fitted to the budget; remembers what it showed."""
        if state["screen"] == RESUME_SCREEN:
            body = lines(
                error_line(ctx, state),
                t(ctx.language, "resume.title"),
                *numbered(
                    [Item(1, t(ctx.language, "resume.yes")), Item(2, t(ctx.language, "resume.no"))]
                ),
            )
            return Reply("CON", clip(body, self.budget), RESUME_SCREEN)
        screen = self.screens[state["screen"]]
        kind, body = compose(screen, ctx, state, self.budget, screen.items)
        if not self.budget.fits(f"{kind} {body}"):
            log.warning("screen %s over budget in %s; clipped", screen.id, ctx.language)
        return Reply(kind, clip(body, self.budget), screen.id)


def _kept(phone: str, network_code: str | None, view: list[Any] | None) -> Caller | None:
    """The caller from the view kept of them, if it was kept for a call from this network
    (`identify` remembers a new one: it decides which wallet pays)."""
    if not view or view[0] != network_code:
        return None
    return unpack(phone, view[1:])


def _resume(state: dict[str, Any], reply: Reply) -> dict[str, Any] | None:
    """What to keep for a re-dial: nothing after an END or at home, a snapshot of a journey
    under way, and whatever was kept before on the first screens."""
    if reply.kind == "END" or state["screen"] == HOME_SCREEN:
        return DROP
    if state["screen"] in NOT_RESUMABLE:
        return KEEP
    return {k: state[k] for k in ("screen", "page", "stack", "data")}
