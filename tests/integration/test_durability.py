"""What a commit promises on PostgreSQL: money, stock, orders and the outbox are on disk when
it answers; only a lone statement in autocommit whose loss in a crash is harmless (a newcomer,
a language chosen, a delivery report's status) commits lazily, and nothing of that setting
outlives the statement."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text

from gateway.bootstrap import Services
from gateway.commerce.messaging.delivery_reports import record_delivery
from gateway.commerce.people.callers import identify
from gateway.commerce.people.callers import remember_languages
from gateway.commerce.people.callers import set_language
from gateway.providers.africastalking.sms_callbacks import parse_delivery
from tests.faults.support import POSTGRES
from tests.sms_support import sent_message
from tests.sql_support import listening

pytestmark = pytest.mark.skipif(not POSTGRES, reason="synchronous_commit is PostgreSQL's")
LAZY = "set_config"


@pytest.fixture()
def statements(services: Services) -> Iterator[list[str]]:
    """Every SQL statement run while the test runs, on every engine."""
    seen: list[str] = []

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    with listening(services, "before_cursor_execute", on_execute):
        yield seen


def _synchronous_commit(services: Services) -> set[str]:
    """`synchronous_commit` as a transaction and an autocommit statement see it now."""
    found = set()
    for uow in (services.uow(), services.uow().autocommit()):
        with uow:
            found.add(str(uow.session.scalar(text("SHOW synchronous_commit"))))
    return found


def test_harmless_lone_writes_commit_lazily_and_leave_nothing_behind(
    services: Services, statements: list[str]
) -> None:
    caller = identify(services.uow(), "+254711000701", "63902")  # registered
    set_language(services.uow(), caller, "sw", kept_by_hop=False)
    sent_message(services, caller.phone, "ATXid_lazy")
    form = {"id": "ATXid_lazy", "status": "Success", "phoneNumber": caller.phone}
    report = parse_delivery(form)
    assert report is not None and not isinstance(report, str)
    assert record_delivery(services.uow(), report)
    lazy = [s.split()[0] for s in statements if LAZY in s]
    assert lazy == ["WITH", "UPDATE", "WITH"], statements  # registration, language, report
    assert _synchronous_commit(services) == {"on"}


def test_a_language_written_inside_a_transaction_commits_durably(
    services: Services, statements: list[str]
) -> None:
    caller = identify(services.uow(), "+254711000702", "63902")
    statements.clear()
    with services.uow() as uow:
        remember_languages(uow, {caller: "fr"})
        uow.commit()
    assert statements and not any(LAZY in s for s in statements), statements
