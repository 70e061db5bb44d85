"""How operator commands report: problems to stderr and a non-zero exit, or one all-clear line."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click


def report_problems(problems: Sequence[str], all_well: str) -> None:
    """Print each problem to stderr and exit with 1, or say `all_well` when there are none."""
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo(all_well)
