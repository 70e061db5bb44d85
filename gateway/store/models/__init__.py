"""SQLAlchemy 2.x typed models, one module per noun; import them from here."""

from gateway.store.models.agents import AgentAction
from gateway.store.models.agents import AgentConsent
from gateway.store.models.agents import AgentInvite
from gateway.store.models.agents import AgentPoint
from gateway.store.models.base import Base
from gateway.store.models.base import utcnow
from gateway.store.models.catalog import Listing
from gateway.store.models.ledger import LedgerPosting
from gateway.store.models.ledger import LedgerTransaction
from gateway.store.models.messages import SmsDeliveryReport
from gateway.store.models.messages import SmsInbound
from gateway.store.models.messages import SmsMessage
from gateway.store.models.messages import SmsOptOut
from gateway.store.models.orders import Order
from gateway.store.models.orders import OrderLine
from gateway.store.models.outbox import OutboxItem
from gateway.store.models.payments import Payment
from gateway.store.models.payments import PaymentCallback
from gateway.store.models.payments import Payout
from gateway.store.models.people import Person
from gateway.store.models.people import PersonRole
from gateway.store.models.shipments import Shipment
from gateway.store.models.shipments import ShipmentEvent
from gateway.store.models.ussd import UssdSessionEvent

__all__ = [
    "AgentAction",
    "AgentConsent",
    "AgentInvite",
    "AgentPoint",
    "Base",
    "LedgerPosting",
    "LedgerTransaction",
    "Listing",
    "Order",
    "OrderLine",
    "OutboxItem",
    "Payment",
    "PaymentCallback",
    "Payout",
    "Person",
    "PersonRole",
    "Shipment",
    "ShipmentEvent",
    "SmsDeliveryReport",
    "SmsInbound",
    "SmsMessage",
    "SmsOptOut",
    "UssdSessionEvent",
    "utcnow",
]
