"""What every mobile-money provider offers Sokoni: ask for a payment, ask how it went, read
its callbacks, and pay money out. Providers know nothing of orders: ids and amounts in,
statuses out. Amounts are integer minor units of an ISO currency; phones are E.164."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from decimal import InvalidOperation
from typing import Protocol

from config.currencies import exponent
from gateway.providers.errors import MalformedCallback

STATES = ("pending", "succeeded", "failed")
REASONS = ("cancelled", "wrong_pin", "insufficient_funds", "timeout", "declined", "error")
"""Why a payment failed, in words the buyer's SMS can explain."""


@dataclass(frozen=True)
class PaymentStatus:
    """A provider's word on one collection, from its callback or its status query."""

    state: str
    provider_ref: str | None = None
    merchant_ref: str | None = None
    code: str | None = None
    reason: str | None = None
    amount_minor: int | None = None
    currency: str | None = None
    phone: str | None = None
    receipt: str | None = None


@dataclass(frozen=True)
class PayoutStatus:
    """A provider's word on one payout; `request_key` is ours when the provider echoes it."""

    state: str
    provider_ref: str | None = None
    request_key: str | None = None
    code: str | None = None
    receipt: str | None = None
    amount_minor: int | None = None


@dataclass(frozen=True)
class Collect:
    """Ask `phone` to approve paying `amount_minor`; `request_key` is our id of this request."""

    request_key: str
    phone: str
    amount_minor: int
    currency: str
    account_ref: str
    description: str
    callback_url: str


@dataclass(frozen=True)
class Disburse:
    """Send `amount_minor` to `phone`; results go to `result_url`."""

    request_key: str
    phone: str
    amount_minor: int
    currency: str
    remarks: str
    result_url: str


@dataclass(frozen=True)
class PayoutQuery:
    """Which payout to ask about: our `request_key` always, the provider's reference when its
    answer to the send arrived; `result_url` for a provider that answers by callback."""

    request_key: str
    provider_ref: str | None
    phone: str
    currency: str
    result_url: str


@dataclass(frozen=True)
class Accepted:
    """The provider took the request; the outcome comes later."""

    provider_ref: str
    merchant_ref: str | None = None


class PaymentProvider(Protocol):
    name: str
    idempotent_requests: bool
    """True when resending a request with the same `request_key` cannot charge or pay twice."""
    payout_queries: bool
    """True when `check_payout` answers at once (else its answer comes as a callback)."""

    def collect(self, request: Collect) -> Accepted: ...

    def query(self, provider_ref: str) -> PaymentStatus: ...

    def parse_callback(self, body: bytes) -> PaymentStatus | PayoutStatus: ...

    def pay_out(self, request: Disburse) -> Accepted: ...

    def payout_status(self, provider_ref: str) -> PayoutStatus | None:
        """The payout's status, or None when only its result callback can tell."""
        ...

    def check_payout(self, query: PayoutQuery) -> PayoutStatus | None:
        """Ask how a payout went, even one whose send answer was lost: its status now, or
        None when the answer will come to `query.result_url` as a callback."""
        ...


def to_minor(value: object, currency: str) -> int:
    """A provider's major-unit amount (1.00, "5.0", 3200) as integer minor units.

    Raises:
        MalformedCallback: not a number, or finer than the currency allows.
    """
    if isinstance(value, bool) or value is None:
        raise MalformedCallback(f"not an amount: {value!r}")
    try:
        scaled = Decimal(str(value).strip()) * 10 ** exponent(currency)
    except (InvalidOperation, ValueError) as err:
        raise MalformedCallback(f"not an amount: {value!r}") from err
    if not scaled.is_finite() or scaled != scaled.to_integral_value():
        raise MalformedCallback(f"not an amount in {currency}: {value!r}")
    return int(scaled)


def to_major(minor: int, currency: str) -> str:
    """Integer minor units as the plain decimal string providers take ("3200", "12.50")."""
    exp = exponent(currency)
    whole, frac = divmod(minor, 10**exp)
    return f"{whole}.{frac:0{exp}d}" if frac else str(whole)


def msisdn(phone: str) -> str:
    """E.164 without the plus, as the providers want it."""
    return phone.removeprefix("+")


def e164(value: object) -> str | None:
    """A provider's MSISDN (254708374149 as a number or string) as E.164, or None."""
    if value is None or isinstance(value, bool):
        return None
    digits = str(value).strip().removeprefix("+")
    if not digits.isdigit():
        raise MalformedCallback(f"not a phone number: {value!r}")
    return "+" + digits


def optional_str(value: object) -> str | None:
    """A provider's value as text, or None when it is missing or empty."""
    return None if value is None or value == "" else str(value)
