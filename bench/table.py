"""The report: one row per bench, its targets, and the table `bench.run` prints."""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field


@dataclass(frozen=True)
class Target:
    """One condition a row must meet, e.g. ratio >= 0.5 or p99 <= 100 ms."""

    figure: str
    """`ratio`, `sokoni` or `p99`."""
    op: str
    """`>=` or `<=`."""
    value: float
    unit: str = ""

    def met(self, row: Row) -> bool:
        actual = {"ratio": row.ratio, "sokoni": row.sokoni, "p99": row.p99_ms}[self.figure]
        compare: Callable[[float, float], bool] = operator.ge if self.op == ">=" else operator.le
        return actual is not None and compare(actual, self.value)

    def __str__(self) -> str:
        name = {"ratio": "ratio", "sokoni": "", "p99": "p99"}[self.figure]
        value = f"{self.value:g}{self.unit}"
        return f"{name} {self.op} {value}".strip() if name else f"{self.op} {value}"


@dataclass
class Row:
    """A bench's figures: Sokoni's and the floor's (in `unit`), latencies in ms."""

    bench: str
    unit: str
    sokoni: float
    floor: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    floor_p99_ms: float | None = None
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    failures: str = ""
    """Errors and wrong answers seen while measuring, by kind; any makes the row fail."""

    @property
    def ratio(self) -> float | None:
        if not self.floor:
            return None
        return self.sokoni / self.floor

    @property
    def ok(self) -> bool:
        return not self.failures and all(t.met(self) for t in self.targets)


HEADER = (
    "| bench | sokoni req/s | floor req/s | ratio | p50 ms | p99 ms | floor p99 ms | target | ok |"
)


def _num(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}" if value else "0"
    return f"{text} {unit}".strip()


def render(rows: list[Row]) -> str:
    """The markdown table, then each row's notes."""
    lines = [HEADER, "|---|---:|---:|---:|---:|---:|---:|---|---|"]
    for row in rows:
        unit = "" if row.unit == "req/s" else row.unit
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "-"
        lines.append(
            f"| {row.bench} | {_num(row.sokoni, unit)} | {_num(row.floor, unit)} | {ratio} "
            f"| {_num(row.p50_ms)} | {_num(row.p99_ms)} | {_num(row.floor_p99_ms)} "
            f"| {', '.join(map(str, row.targets)) or '-'} | {'yes' if row.ok else 'NO'} |"
        )
    notes = [f"- {row.bench}: {note}" for row in rows for note in row.notes]
    if row_failures := [r for r in rows if r.failures]:
        notes += [f"- {r.bench}: FAILED REQUESTS: {r.failures}" for r in row_failures]
    return "\n".join(lines + ([""] + notes if notes else []))
