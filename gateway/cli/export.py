"""`flask --app wsgi export trade|orders|sms --from DATE --to DATE --format csv|parquet`:
trade figures per month, origin, destination, category and HS heading (in USD at the recorded
exchange rates of each day), and anonymised row-level orders and SMS."""

from __future__ import annotations

import csv
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from datetime import date
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import click
import pyarrow as pa
import pyarrow.parquet as pq
from flask.cli import AppGroup

from gateway.cli.progress import bar
from gateway.commerce.reports import extracts
from gateway.commerce.reports.trade import trade as trade_rows
from gateway.current import services

export = AppGroup("export", help="Data exports for the exchange: trade, orders, SMS.")

FORMATS = ("csv", "parquet")
TRADE_COLUMNS = {
    "month": pa.string(),
    "origin_country": pa.string(),
    "destination_country": pa.string(),
    "category": pa.string(),
    "hs_heading": pa.string(),
    "unit": pa.string(),
    "currency": pa.string(),
    "orders": pa.int64(),
    "quantity": pa.int64(),
    "value": pa.string(),
    "value_usd": pa.string(),
}
"""Values are decimal text (exact); value_usd is empty where no rate was recorded."""
ORDER_COLUMNS = {
    "ref": pa.string(),
    "placed_at": pa.string(),
    "status": pa.string(),
    "channel": pa.string(),
    "delivery": pa.string(),
    "buyer": pa.string(),
    "buyer_country": pa.string(),
    "seller": pa.string(),
    "seller_country": pa.string(),
    "agent": pa.string(),
    "lines": pa.int64(),
    "total": pa.string(),
    "currency": pa.string(),
}
SMS_COLUMNS = {
    "id": pa.int64(),
    "queued_at": pa.string(),
    "to": pa.string(),
    "kind": pa.string(),
    "status": pa.string(),
    "encoding": pa.string(),
    "segments": pa.int64(),
    "attempts": pa.int64(),
    "delivery_status": pa.string(),
    "failure_reason": pa.string(),
    "cost": pa.string(),
}

Row = dict[str, object]


def _day(_ctx: click.Context, _param: click.Parameter, value: datetime | None) -> date | None:
    return value.date() if value else None


F = TypeVar("F", bound=Callable[..., None])


def _options(command: F) -> F:
    """The period, the format and the output file, options of every export."""
    for option in reversed(
        (
            click.option(
                "--from",
                "start",
                required=True,
                type=click.DateTime(["%Y-%m-%d"]),
                callback=_day,
                help="First day (UTC), e.g. 2026-01-01.",
            ),
            click.option(
                "--to",
                "end",
                required=True,
                type=click.DateTime(["%Y-%m-%d"]),
                callback=_day,
                help="Last day (UTC), included.",
            ),
            click.option(
                "--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True
            ),
            click.option(
                "--output",
                "-o",
                type=click.Path(dir_okay=False, path_type=Path),
                help="File to write (default: <kind>-<from>-<to>.<format>).",
            ),
        )
    ):
        command = option(command)
    return command


def _write(
    kind: str,
    rows: Iterable[Row],
    columns: dict[str, pa.DataType],
    fmt: str,
    output: Path | None,
    start: date,
    end: date,
) -> None:
    path = output or Path(f"{kind}-{start}-{end}.{fmt}")
    written = _csv(rows, columns, path) if fmt == "csv" else _parquet(rows, columns, path)
    click.echo(f"wrote {written} rows to {path}")


def _csv(rows: Iterable[Row], columns: dict[str, pa.DataType], path: Path) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(columns))
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _parquet(rows: Iterable[Row], columns: dict[str, pa.DataType], path: Path) -> int:
    schema = pa.schema(list(columns.items()))
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        for chunk in _chunks(rows, 5000):
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
            count += len(chunk)
    return count


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@export.command("trade")
@_options
def trade(start: date, end: date, fmt: str, output: Path | None) -> None:
    """Delivered order lines per month, origin and destination country, category and HS
    heading: orders, quantities, values (the order's currency and USD at recorded rates)."""
    found = trade_rows(services().uow(), start, end)
    rows = (
        {
            **{name: getattr(row, name) for name in TRADE_COLUMNS},
            "value": str(row.value),
            "value_usd": "" if row.value_usd is None else str(row.value_usd),
        }
        for row in found
    )
    _write("trade", bar(rows, "trade", len(found)), TRADE_COLUMNS, fmt, output, start, end)
    if any(row.value_usd is None for row in found):
        click.echo(
            "some rows have no USD value: set the rates of their days with `flask fx set USD ...`",
            err=True,
        )


@export.command("orders")
@_options
def orders(start: date, end: date, fmt: str, output: Path | None) -> None:
    """Orders placed in the period, one row each, phone numbers hashed."""
    svc = services()
    total = extracts.count_orders(svc.uow(), start, end)
    rows = extracts.orders(svc.uow(), start, end, svc.settings.SECRET_KEY)
    _write("orders", bar(rows, "orders", total), ORDER_COLUMNS, fmt, output, start, end)


@export.command("sms")
@_options
def sms(start: date, end: date, fmt: str, output: Path | None) -> None:
    """SMS queued in the period, one row each, numbers hashed, texts left out."""
    svc = services()
    total = extracts.count_sms(svc.uow(), start, end)
    rows = extracts.sms(svc.uow(), start, end, svc.settings.SECRET_KEY)
    _write("sms", bar(rows, "sms", total), SMS_COLUMNS, fmt, output, start, end)


COMMANDS = (export,)
