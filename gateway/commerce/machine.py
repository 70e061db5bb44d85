"""A status machine: one noun's statuses, the steps allowed between them, and `move`.

Orders, payments and payouts each declare one (`orders/states.py`, `payments/states.py`,
`payments/payout_states.py`); every status change goes through its `move`, which refuses a
step the table does not list. Parcels use the same table shape, folded over their events.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from typing import Protocol

from gateway.commerce import errors


class HasStatus(Protocol):
    """Anything with a status a machine moves: an order, a payment, a payout row."""

    status: str


class InvalidMachine(Exception):
    """A transition table that names an unknown status or leaves a status unreachable."""


class Machine:
    """Statuses and the steps between them; `move` changes a row's status or refuses."""

    def __init__(self, noun: str, start: str, transitions: Mapping[str, Iterable[str]]) -> None:
        self.noun = noun
        self.start = start
        self.transitions = {state: frozenset(nexts) for state, nexts in transitions.items()}
        self.states = tuple(self.transitions)
        self.final = frozenset(s for s, nexts in self.transitions.items() if not nexts)
        self._check()

    def _check(self) -> None:
        unknown = {n for nexts in self.transitions.values() for n in nexts} - set(self.states)
        if unknown or self.start not in self.transitions:
            raise InvalidMachine(f"{self.noun}: unknown statuses {sorted(unknown | {self.start})}")
        reached, todo = {self.start}, [self.start]
        while todo:
            for status in self.transitions[todo.pop()] - reached:
                reached.add(status)
                todo.append(status)
        if set(self.states) - reached:
            raise InvalidMachine(f"{self.noun}: unreachable {sorted(set(self.states) - reached)}")

    def legal(self, current: str, status: str) -> bool:
        return status in self.transitions.get(current, frozenset())

    def move(self, row: HasStatus, status: str) -> None:
        """Set `row.status` to `status` if the table allows the step.

        Raises:
            IllegalStatusChange: the table has no step from the row's status to `status`.
        """
        if not self.legal(row.status, status):
            raise errors.IllegalStatusChange(self.noun, row.status, status)
        row.status = status
