"""Ordering rows by how near they are to a place: same district, then region, then country."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case

from gateway.store.models.agents import AgentPoint
from gateway.store.models.catalog import Listing


def nearness(
    model: type[Listing] | type[AgentPoint], region: str | None, district: str | None
) -> Any:
    """0 for the same district, 1 for the same region, 2 for elsewhere in the country."""
    return case(
        (model.district == (district or ""), 0),
        (model.region == (region or ""), 1),
        else_=2,
    )
