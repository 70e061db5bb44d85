"""Handling stored inbound SMS: who sent each, the rate limit, the command, the answer.

A batch is answered together: one transaction reads the messages, finds or registers their
senders, and settles and answers every message whose whole answer is a fixed text (`HELP`, a
usage reply, the rate-limit notice); one Redis round trip counts them against the rate limit.
Commands with work of their own (`SELL`, `ORDER`, ...) run after it, one by one, each with
its own transactions; a sender's later messages in the batch wait behind such a command, so
each number's messages are answered in the order they came.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from gateway.commerce.deps import Deps
from gateway.commerce.messaging.inbound import Inbound
from gateway.commerce.messaging.inbound import received
from gateway.commerce.messaging.inbound import settle
from gateway.commerce.messaging.inbound import settle_all
from gateway.commerce.messaging.outgoing import queue_all
from gateway.commerce.messaging.outgoing import queue_sms
from gateway.commerce.people.callers import Caller
from gateway.commerce.people.callers import identify
from gateway.commerce.people.callers import identify_all
from gateway.commerce.people.callers import remember_languages
from gateway.commerce.people.callers import set_language
from gateway.commerce.phones import InvalidPhone
from gateway.commerce.phones import to_e164
from gateway.store.uow import UnitOfWork
from menus.i18n import t
from menus.sms.commands import ANSWERS
from menus.sms.commands import HANDLERS
from menus.sms.commands import AlreadyHandled
from menus.sms.commands import Inbox
from menus.sms.commands import answer
from menus.sms.grammar import Command
from menus.sms.grammar import GrammarError
from menus.sms.grammar import parse
from menus.sms.replies import language_for

log = logging.getLogger(__name__)

ALWAYS_HEARD = frozenset({"stop", "start", "stop_agent"})
"""Commands run even past the rate limit: withdrawing consent must always work."""


class Limiter(Protocol):
    limit: int

    def hit_all(self, keys: Sequence[str]) -> list[int]: ...


@dataclass(frozen=True)
class _Read:
    """An inbound message as parsed: the command (None for a usage reply) and its words."""

    message: Inbound
    phone: str | None
    """E.164, or None when the sender is not a phone number."""
    command: Command | None
    name: str | None
    languages: frozenset[str]
    key: str | None
    """The usage reply of a text that is no command."""
    bad: str


def _read(message: Inbound) -> _Read:
    try:
        phone: str | None = to_e164(message.from_number, network_code=message.network_code)
    except InvalidPhone:
        phone = None
    try:
        parsed = parse(message.text)
    except GrammarError as err:
        return _Read(message, phone, None, err.command, err.languages, err.key, err.bad)
    return _Read(message, phone, parsed.command, parsed.name, parsed.languages, None, "")


def handle_all(inbound_ids: Sequence[int], deps: Deps, limiter: Limiter) -> dict[int, Exception]:
    """Run the command in each of the inbound messages `inbound_ids` once, and queue its
    answer; returns the messages (by position) whose command failed, with why."""
    with deps.uow() as uow:
        reads = [_read(message) for message in received(uow, inbound_ids)]
        heard = [read for read in reads if read.phone and read.name not in ALWAYS_HEARD]
        counts = limiter.hit_all([read.phone or "" for read in heard])
        hits = {read.message.id: n for read, n in zip(heard, counts, strict=True)}
        waiting: set[str] = set()
        now, after = [], []
        for read in reads:
            limited = hits.get(read.message.id, 0) > limiter.limit
            fixed = limited or read.command is None or type(read.command) in ANSWERS
            if read.phone is not None and (read.phone in waiting or not fixed):
                waiting.add(read.phone)
                after.append(read)
            else:
                now.append(read)
        callers = identify_all(uow, {r.phone: r.message.network_code for r in reads if r.phone})
        chosen: dict[Caller, str] = {}
        _answer_all(uow, deps, limiter.limit, now, hits, callers, chosen)
        known = {}  # the first waiting message of each sender: its caller and language now
        for read in after:
            if read.phone and read.phone not in known:
                caller = callers[read.phone]
                known[read.phone] = (caller, _language(caller, read, chosen))
        remember_languages(uow, chosen)
        uow.commit()
    failures: dict[int, Exception] = {}
    position = {inbound_id: n for n, inbound_id in enumerate(inbound_ids)}
    for read in after:
        try:
            # a sender's later messages see what the command before them changed
            seen = known.pop(read.phone or "", None)
            _run(read, deps, limiter.limit, hits.get(read.message.id, 0), seen)
        except Exception as err:  # this message's row is tried again; the others stand
            failures[position[read.message.id]] = err
    return failures


def _answer_all(
    uow: UnitOfWork,
    deps: Deps,
    limit: int,
    reads: Sequence[_Read],
    hits: dict[int, int],
    callers: dict[str, Caller],
    chosen: dict[Caller, str],
) -> None:
    """In the open transaction: settle and answer messages whose answer is a fixed text."""
    for read in reads:
        if read.phone is None:
            message = read.message
            log.info(
                "inbound SMS %s from %r ignored: not a phone", message.at_id, message.from_number
            )
    settle_all(uow, [read.message.id for read in reads if read.phone is None], "ignored", None)
    outcomes: dict[tuple[str, str | None], list[tuple[_Read, str | None]]] = {}
    for read in reads:
        if read.phone is None:
            continue
        caller = callers[read.phone]
        language = _language(caller, read, chosen)
        count = hits.get(read.message.id, 0)
        if count > limit:
            text = t(language, "sms.rate_limited") if count == limit + 1 else None
            outcomes.setdefault(("rate_limited", None), []).append((read, text))
            continue
        inbox = Inbox(read.message.id, read.message.at_id, read.name, caller, language, deps)
        if read.command is None:
            text = inbox.text(read.key or "sms.usage", bad=read.bad)
        else:
            text = inbox.text(ANSWERS[type(read.command)])
        outcomes.setdefault(("handled", read.name), []).append((read, text))
    replies: list[tuple[int, str, str]] = []
    for (status, command), answered in outcomes.items():
        settled = settle_all(uow, [read.message.id for read, _ in answered], status, command)
        replies += [
            (read.message.id, read.phone or "", text)
            for read, text in answered
            if text is not None and read.message.id in settled
        ]
    queue_all(uow, [(phone, text) for _, phone, text in sorted(replies)], kind="reply")


def _language(caller: Caller, read: _Read, chosen: dict[Caller, str]) -> str:
    """The language to answer `read` in; the one a newcomer's words were in goes into
    `chosen`, to be remembered like a choice made on USSD."""
    remembered = caller.language or chosen.get(caller)
    language = language_for(remembered, caller.country, read.languages)
    if remembered is None and len(read.languages) == 1:
        chosen[caller] = language
    return language


def _run(read: _Read, deps: Deps, limit: int, hits: int, seen: tuple[Caller, str] | None) -> None:
    """Run one message that waited behind a command with work of its own (or is one), with
    its count against the rate limit, and queue its answer; `seen`: its sender and language
    as the batch found them, else they are read again."""
    message, phone = read.message, read.phone or ""
    if seen is None:
        caller = identify(deps.uow(), phone, message.network_code)
        chosen: dict[Caller, str] = {}
        language = _language(caller, read, chosen)
        if chosen:
            set_language(deps.uow(), caller, language, kept_by_hop=False)
    else:
        caller, language = seen
    if hits > limit:
        return _rate_limited(deps.uow(), message.id, phone, language, first=hits == limit + 1)
    inbox = Inbox(message.id, message.at_id, read.name, caller, language, deps)
    try:
        if read.command is None:
            answer(inbox, read.key, bad=read.bad)
        elif type(read.command) in ANSWERS:
            answer(inbox, ANSWERS[type(read.command)])
        else:
            HANDLERS[type(read.command)](inbox, read.command)
    except AlreadyHandled:
        log.info("inbound SMS %s was handled by another run", message.at_id)


def _rate_limited(uow: UnitOfWork, inbound_id: int, phone: str, language: str, first: bool) -> None:
    """Store the message as not run; the first time the limit is passed, say so once."""
    with uow:
        if not settle(uow, inbound_id, "rate_limited", None):
            return
        if first:
            queue_sms(uow, phone, t(language, "sms.rate_limited"), kind="reply")
        uow.commit()
