"""What a screen sees during one hop: the caller, their language, the journey's data, and the
domain's dependencies (unit of work, clock, rules, notices) built once per process."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from datetime import datetime
from typing import Any
from typing import TypeVar

from gateway.commerce.deps import Deps
from gateway.commerce.people.callers import Caller
from gateway.store.uow import UnitOfWork

T = TypeVar("T")


@dataclass
class Context:
    """One hop's view of the session; `data` persists across hops as JSON."""

    caller: Caller
    language: str
    deps: Deps
    session_id: str
    hop_key: str
    channel: str = "ussd"
    data: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)
    """Questions already asked of the store during this hop (never kept past it)."""

    def once(self, question: str, ask: Callable[[], T]) -> T:
        """`ask()` the first time `question` comes up in this hop; its answer after that (a
        menu's lines may depend on the same question)."""
        if question not in self.answers:
            self.answers[question] = ask()
        return self.answers[question]  # type: ignore[no-any-return]

    def became(self, caller: Caller) -> None:
        """The caller as a change made during this hop left them (a role, details); whether
        they ever ordered carries over, as `Caller.of` does not read orders."""
        self.caller = replace(caller, ordered=self.caller.ordered)

    @property
    def uow(self) -> Callable[[], UnitOfWork]:
        return self.deps.uow

    def now(self) -> datetime:
        return self.deps.clock()
