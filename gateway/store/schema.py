"""The whole schema: every model module loaded, so `Base.metadata` is complete and every
relationship between models resolves (Alembic, the unit of work and the tests start here)."""

from __future__ import annotations

from gateway.store.models import agents
from gateway.store.models import catalog
from gateway.store.models import disputes
from gateway.store.models import fx
from gateway.store.models import ledger
from gateway.store.models import messages
from gateway.store.models import operators
from gateway.store.models import orders
from gateway.store.models import origin
from gateway.store.models import outbox
from gateway.store.models import payments
from gateway.store.models import people
from gateway.store.models import shipments
from gateway.store.models import ussd
from gateway.store.models.base import Base

MODULES = (
    agents,
    catalog,
    disputes,
    fx,
    ledger,
    messages,
    operators,
    orders,
    origin,
    outbox,
    payments,
    people,
    shipments,
    ussd,
)
"""One module per noun, each declaring its tables on `Base`."""
metadata = Base.metadata
