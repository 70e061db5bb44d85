"""Orders, payments, payouts and parcels each have one status table with a `move`: a step the
table lists is taken, any other is refused and changes nothing; the database's CHECK
constraint names exactly the table's statuses; and the domain changes a status only by `move`."""

from __future__ import annotations

import ast
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateway.commerce import errors
from gateway.commerce.machine import InvalidMachine
from gateway.commerce.machine import Machine
from gateway.commerce.orders.states import ORDER
from gateway.commerce.origin.states import CERTIFICATE
from gateway.commerce.parcels.states import PARCEL
from gateway.commerce.payments.payout_states import PAYOUT
from gateway.commerce.payments.states import PAYMENT
from gateway.store.models.orders import Order
from gateway.store.models.origin import Certificate
from gateway.store.models.payments import Payment
from gateway.store.models.payments import Payout
from gateway.store.models.shipments import Shipment
from tests.structure.imports import module_files

MACHINES = {
    "order": (ORDER, Order),
    "payment": (PAYMENT, Payment),
    "payout": (PAYOUT, Payout),
    "certificate": (CERTIFICATE, Certificate),
}
TABLES = {**MACHINES, "parcel": (PARCEL, Shipment)}


@dataclass
class Row:
    status: str


@pytest.mark.parametrize("noun", sorted(MACHINES))
@given(data=st.data())
def test_a_random_walk_takes_only_the_steps_the_table_lists(noun, data):
    machine, _ = MACHINES[noun]
    row = Row(machine.start)
    for _ in range(data.draw(st.integers(1, 30))):
        before = row.status
        wanted = data.draw(st.sampled_from(machine.states))
        if wanted in machine.transitions[before]:
            machine.move(row, wanted)
            assert row.status == wanted
        else:
            with pytest.raises(errors.IllegalStatusChange) as refused:
                machine.move(row, wanted)
            assert row.status == before
            assert (refused.value.current, refused.value.status) == (before, wanted)
        assert row.status in machine.states


@pytest.mark.parametrize("noun", sorted(TABLES))
def test_every_status_can_be_reached_and_only_final_statuses_are_dead_ends(noun):
    machine, _ = TABLES[noun]
    assert machine.start in machine.states
    assert machine.final == {s for s in machine.states if not machine.transitions[s]}


@pytest.mark.parametrize("noun", sorted(TABLES))
def test_the_database_accepts_exactly_the_statuses_of_the_table(noun):
    machine, model = TABLES[noun]
    [check] = [c for c in model.__table__.constraints if getattr(c, "name", None) == "known_status"]
    listed = str(check.sqltext).removeprefix("status in (").removesuffix(")")
    assert [s.strip("' ") for s in listed.split(",")] == list(machine.states)


def test_a_table_that_names_an_unknown_status_or_strands_one_is_refused():
    with pytest.raises(InvalidMachine):
        Machine("thing", "new", {"new": ("gone",)})
    with pytest.raises(InvalidMachine):
        Machine("thing", "new", {"new": (), "orphan": ()})


def _status_assignments(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else []
        for target in targets:
            for part in target.elts if isinstance(target, ast.Tuple) else [target]:
                if isinstance(part, ast.Attribute) and part.attr == "status":
                    subject = part.value
                    if isinstance(subject, ast.Name) and subject.id in MACHINES:
                        lines.append(node.lineno)
    return lines


def test_the_domain_changes_an_order_payment_or_payout_status_only_through_move():
    offenders = []
    for name, path in sorted(module_files().items()):
        if name.startswith("gateway.commerce") and name != "gateway.commerce.machine":
            for line in _status_assignments(ast.parse(path.read_text())):
                offenders.append(f"{path.name}:{line}")
    assert offenders == []
