"""Domain errors, named for what happened; the edges map them to HTTP codes and END screens."""


class DomainError(Exception):
    """Base of every rule the domain refuses to break."""


class ListingNotFound(DomainError):
    pass


class ListingUnavailable(DomainError):
    """Paused, or sold out."""


class OutOfStock(DomainError):
    pass


class InvalidQuantity(DomainError):
    pass


class OwnListing(DomainError):
    """A seller tried to buy from themselves."""


class PersonNotFound(DomainError):
    pass


class SmsInFlight(DomainError):
    """Another worker is sending this SMS right now."""


class NotASeller(DomainError):
    """Only a person with the seller role may list goods."""


class InvalidListing(DomainError):
    """A listing's name, unit or price cannot be published; `key` names the reason."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class OrderNotFound(DomainError):
    pass


class PaymentNotRetryable(DomainError):
    """Only an order whose last payment failed, and that has not expired, can be paid again."""


class PaymentInProgress(DomainError):
    """A payment request for this order is still waiting for the buyer."""


class PaymentStillPending(DomainError):
    """The provider has not decided yet; ask again later."""


class PaymentNotYetKnown(DomainError):
    """A callback names a reference we may be about to record; look again later."""


class UnbalancedTransaction(DomainError):
    """Ledger postings that do not sum to zero."""


class NothingInEscrow(DomainError):
    """The order is not paid, or its escrow was already released or refunded."""


class NotYourCustomer(DomainError):
    """An agent recorded cash for an order they did not place."""


class ParcelNotFound(DomainError):
    """No shipment has this reference or carrier tracking number (or the caller may not see it)."""


class IllegalTransition(DomainError):
    """A parcel event that cannot follow the parcel's history (e.g. anything after delivered)."""

    def __init__(self, ref: str, current: str, status: str) -> None:
        super().__init__(f"{ref}: {status} cannot follow {current}")
        self.current = current
        self.status = status


class EventBeforeShipment(DomainError):
    """A parcel event dated before the parcel existed."""


class EventTooOld(DomainError):
    """A parcel event older than the rules accept (`CARRIER_EVENT_MAX_AGE`)."""


class WrongDeliveryCode(DomainError):
    """A hand-over with a missing or wrong delivery code; `left` tries remain before the lock."""

    def __init__(self, ref: str, left: int) -> None:
        super().__init__(f"{ref}: wrong delivery code, {left} tries left")
        self.left = left


class ParcelLocked(DomainError):
    """Too many wrong delivery codes: no hand-over until the lock ends."""


class WrongCarrier(DomainError):
    """A carrier reported on a parcel booked with another carrier; nothing changes."""

    def __init__(self, ref: str) -> None:
        super().__init__(f"{ref}: booked with another carrier")


class EventRefused(DomainError):
    """A carrier's event refused before came again: the same `verdict`, nothing counted."""

    def __init__(self, verdict: str, detail: str) -> None:
        super().__init__(detail)
        self.verdict = verdict


class NotYourParcel(DomainError):
    """The caller may not record this step for this parcel (another agent, courier or seller)."""


class CodeNotNeeded(DomainError):
    """A delivery code was asked for a parcel that is not waiting to be handed over."""


class CodeRecentlySent(DomainError):
    """A new delivery code was asked for too soon after the last one."""


class InvalidPin(DomainError):
    """A new PIN that is not 4 digits (`reason` "format") or too easy to guess ("weak")."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class WrongPin(DomainError):
    """The PIN typed is not the person's; `left` tries remain before the lock."""

    def __init__(self, left: int) -> None:
        super().__init__(left)
        self.left = left


class PinLocked(DomainError):
    """Too many wrong PINs: PIN entry is refused until the lock runs out."""


class PinNeedsReset(DomainError):
    """Locked too often: PIN entry is refused until an agent or an operator resets it."""


class PinNotLocked(DomainError):
    """A PIN reset an agent may not make: no such person, no PIN, or not locked until reset."""


class NoPin(DomainError):
    """The person has not chosen a PIN yet."""


class NotAnAgent(DomainError):
    pass


class InvalidInvite(DomainError):
    """An agent invite code that is unknown, used or expired."""


class NoConsent(DomainError):
    """The customer has not agreed, from their own phone, to let this agent order for them."""


class SelfCustomer(DomainError):
    """An agent tried to be their own customer."""


class OrderNotCancellable(DomainError):
    """Only an order that is not paid yet can be cancelled."""


class DeliveryUnavailable(DomainError):
    """The seller does not deliver home, or the pickup point does not exist."""


class InvalidDetail(DomainError):
    """A name, place or opening hours a screen cannot show; `field` says which."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


class IllegalStatusChange(DomainError):
    """An order, payment or payout asked to take a step its status machine does not list."""

    def __init__(self, noun: str, current: str, status: str) -> None:
        super().__init__(f"{noun}: {status} cannot follow {current}")
        self.noun = noun
        self.current = current
        self.status = status


class PayoutNotFound(DomainError):
    """No payout has this id."""


class PayoutNotOpen(DomainError):
    """The payout is settled already, or not sent yet: there is nothing to resolve."""

    def __init__(self, payout_id: int, status: str) -> None:
        super().__init__(f"payout {payout_id} is {status}")
        self.status = status


class TrackingNumberTaken(DomainError):
    """The carrier already has another parcel booked under this tracking number."""


class NotDisputable(DomainError):
    """Only a paid order, not yet delivered and not disputed before, can be reported."""


class DisputeOpen(DomainError):
    """A dispute holds the order's escrow: nothing is released until an operator settles it."""


class DisputeNotFound(DomainError):
    """No open dispute for that order."""


class RateUnavailable(DomainError):
    """No exchange rate between two currencies, or only one older than FX_MAX_AGE_DAYS:
    cross-border prices are not shown and orders not placed rather than priced wrongly."""

    def __init__(self, base: str, quote: str, reason: str) -> None:
        super().__init__(f"{base}->{quote}: {reason}")
        self.base = base
        self.quote = quote
        self.reason = reason


class CrossBorderByMenu(DomainError):
    """Goods from another country are ordered by USSD, where the buyer sees the price in their
    currency and what the border needs before confirming; not by a one-line SMS."""


class CertificateNotFound(DomainError):
    """No certificate of origin has this code."""


class CertificateUsed(DomainError):
    """The certificate already cleared a parcel at a border: a second use is refused."""


class CertificateCancelled(DomainError):
    """The certificate was cancelled (the order refunded, or withdrawn by an operator)."""


class NotABorderAgent(DomainError):
    """Only border agents record border crossings by USSD."""


class OperatorExists(DomainError):
    """An operator with that email exists already."""


class WeakPassword(DomainError):
    """An operator's password is too short or too common; the message says what to do."""


class ViewerCannotAct(DomainError):
    """A viewer asked to change something; only operators may."""
