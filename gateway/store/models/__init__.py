"""SQLAlchemy 2.x typed models, one module per noun; import them from here."""

from gateway.store.models.base import Base
from gateway.store.models.base import utcnow
from gateway.store.models.catalog import Listing
from gateway.store.models.orders import Order
from gateway.store.models.orders import OrderLine
from gateway.store.models.outbox import OutboxItem
from gateway.store.models.people import Person
from gateway.store.models.people import PersonRole
from gateway.store.models.ussd import UssdSessionEvent

__all__ = [
    "Base",
    "Listing",
    "Order",
    "OrderLine",
    "OutboxItem",
    "Person",
    "PersonRole",
    "UssdSessionEvent",
    "utcnow",
]
