"""Data exports: trade per month, place, category and HS heading whose totals are the escrow
the ledger released in the same period; USD at the exchange rates of each day; CSV and parquet; orders and
SMS extracts with hashed numbers and no texts; progress bars silent in CI."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import update

from gateway.cli.progress import quiet
from gateway.commerce.orders.placing import Abroad
from gateway.commerce.orders.placing import PlaceOrder
from gateway.commerce.orders.placing import place_order
from gateway.commerce.payments.escrow import release_escrow
from gateway.store.models.ledger import LedgerTransaction
from tests.origin_support import set_rates
from tests.payment_support import TOKEN
from tests.payment_support import listing
from tests.payment_support import order
from tests.payment_support import person

pytestmark = pytest.mark.usefixtures("sandbox_only")

TODAY = datetime.now(UTC).date()
PERIOD = ["--from", f"{TODAY:%Y}-01-01", "--to", f"{TODAY:%Y}-12-31"]
KENYAN_BUYER = "+254711000971"


def _abroad(services, buyer: int, listing_id: int, qty: int) -> int:
    """An order of goods from another country, placed as Buy, Other countries places it."""
    placed = place_order(
        PlaceOrder(
            buyer,
            listing_id,
            qty,
            "ussd",
            f"abroad-{buyer}-{listing_id}",
            delivery="home",
            delivery_place="Kampala",
            abroad=Abroad(TODAY, timedelta(days=7)),
        ),
        services.uow(),
    )
    return placed.order_id


def _delivered(services, client, run_outbox, buyer: int, listing_id: int, qty: int) -> int:
    """An order placed (across a border when the buyer is abroad), paid in the sandbox and
    delivered (escrow released)."""
    with services.uow() as uow:
        abroad = uow.people.get(buyer).country != uow.listings.get(listing_id).country
    order_id = (_abroad if abroad else order)(services, buyer, listing_id, qty)
    run_outbox()
    with services.uow() as uow:
        ref = uow.orders.one(order_id).ref
    answer = client.post(f"/payments/sandbox/{TOKEN}", data={"ref": ref, "result": "approve"})
    assert answer.status_code == 200
    run_outbox()
    assert release_escrow(order_id, services.uow(), services.deps.rates, datetime.now(UTC))
    return order_id


@pytest.fixture()
def traded(app, services, client, run_outbox) -> dict[str, int]:
    """Maize from Kenya to a Kenyan and a Ugandan buyer, matooke within Uganda; and one more
    Kenyan order delivered last year, outside the period. Today's rates: 129.50 KES and 3700
    UGX to the dollar."""
    set_rates(app)
    kenyan_seller = person(services, "+254722000971", "seller")
    ugandan_seller = person(services, "+256772000971", "seller")
    kenyan, ugandan = person(services, KENYAN_BUYER), person(services, "+256772000972")
    maize = listing(services, kenyan_seller, 320000, "KES", stock=50)
    with services.uow() as uow:
        kenyan_maize = uow.listings.get(maize)
        kenyan_maize.country, kenyan_maize.hs_heading = "KE", "10.05"
        uow.commit()
    matooke = listing(services, ugandan_seller, 2500000, "UGX", stock=50)
    ids = {
        "ke": _delivered(services, client, run_outbox, kenyan, maize, 2),
        "ke-ug": _delivered(services, client, run_outbox, ugandan, maize, 1),
        "ug": _delivered(services, client, run_outbox, ugandan, matooke, 3),
        "old": _delivered(services, client, run_outbox, kenyan, maize, 4),
    }
    with services.uow() as uow:
        uow.session.execute(
            update(LedgerTransaction)
            .where(LedgerTransaction.order_id == ids["old"], LedgerTransaction.kind == "release")
            .values(created_at=datetime(TODAY.year - 1, 6, 1, tzinfo=UTC))
        )
        uow.commit()
    return ids


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as source:
        return list(csv.DictReader(source))


def _major(money_text: str) -> tuple[str, Decimal]:
    currency, amount = money_text.split(" ", 1)
    return currency, Decimal(amount.replace(",", ""))


def test_trade_totals_are_what_the_ledger_released_in_the_same_period(app, traded, tmp_path):
    cli = app.test_cli_runner()
    out = tmp_path / "trade.csv"
    done = cli.invoke(args=["export", "trade", *PERIOD, "--format", "csv", "-o", str(out)])
    assert done.exit_code == 0, done.output
    rows = _csv(out)
    exported: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        exported[row["currency"]] += Decimal(row["value"])
    balances = cli.invoke(args=["ledger", "balances", *PERIOD, "--kind", "release"])
    released = dict(
        _major(line.split("\t")[1])
        for line in balances.output.splitlines()
        if line.startswith("escrow\t")
    )
    assert exported == released == {"KES": Decimal(9600), "UGX": Decimal(7500000)}


def test_trade_rows_say_where_goods_went_with_hs_headings_and_usd_at_recorded_rates(
    app, traded, tmp_path
):
    cli = app.test_cli_runner()
    assert (
        cli.invoke(
            args=["fx", "set", "USD", "KES", "125", "--date", f"{TODAY.year}-01-01"]
        ).exit_code
        == 0
    )
    out = tmp_path / "trade.parquet"
    done = cli.invoke(args=["export", "trade", *PERIOD, "--format", "parquet", "-o", str(out)])
    assert done.exit_code == 0, done.output
    rows = {
        (r["origin_country"], r["destination_country"], r["currency"]): r
        for r in pq.read_table(out).to_pylist()
    }
    kenya = rows[("KE", "KE", "KES")]
    assert (kenya["month"], kenya["category"], kenya["hs_heading"]) == (
        f"{TODAY:%Y-%m}",
        "grains",
        "10.05",
    )
    assert (kenya["orders"], kenya["quantity"], kenya["value"]) == (1, 2, "6400.00")
    assert kenya["value_usd"] == "49.42"  # today's 129.50, not January's 125
    assert rows[("KE", "UG", "KES")]["quantity"] == 1
    assert rows[("KE", "UG", "KES")]["value_usd"] == "24.71"
    assert rows[("UG", "UG", "UGX")]["value_usd"] == "2027.03"


def test_order_and_sms_extracts_hash_every_number_the_same_way_and_keep_no_text(
    app, traded, tmp_path
):
    cli = app.test_cli_runner()
    orders_csv, sms_csv = tmp_path / "orders.csv", tmp_path / "sms.csv"
    assert cli.invoke(args=["export", "orders", *PERIOD, "-o", str(orders_csv)]).exit_code == 0
    assert cli.invoke(args=["export", "sms", *PERIOD, "-o", str(sms_csv)]).exit_code == 0
    orders, messages = _csv(orders_csv), _csv(sms_csv)
    assert len(orders) == 4 and messages
    raw = orders_csv.read_text() + sms_csv.read_text()
    assert "+2547" not in raw and "2547" not in raw and "received" not in raw
    kenyan_hashes = {row["buyer"] for row in orders if row["buyer_country"] == "KE"}
    assert len(kenyan_hashes) == 1 and kenyan_hashes <= {row["to"] for row in messages}
    assert "text" not in messages[0]
    parquet = tmp_path / "orders.parquet"
    assert (
        cli.invoke(
            args=["export", "orders", *PERIOD, "--format", "parquet", "-o", str(parquet)]
        ).exit_code
        == 0
    )
    assert pq.read_table(parquet).num_rows == 4


def test_progress_bars_stay_quiet_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert quiet() is True
    monkeypatch.delenv("CI")
    assert quiet() is None
