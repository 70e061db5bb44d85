"""The HTTP contract as pydantic models: every request body Sokoni reads and every answer it gives.

Views validate requests with these models (`gateway.web.validate`) before anything else, and
`gateway.web.openapi` builds the published OpenAPI document from the same models, so what is
documented is what is enforced. Field names are the wire names (Africa's Talking's camelCase).

Input rules, for every field from outside:
- an identifier or reference (`ident`) refuses control characters and is length-bounded;
- free text (`Text`) has control characters dropped (tab and newline stay) and is cut, not
  refused, by the reader, since Africa's Talking retries a refused callback for 12 hours;
- a number (`Count`) is a whole number from 0 to 2**31 - 1; an empty value counts as absent.
"""

from __future__ import annotations

from typing import Annotated
from typing import Any
from typing import Literal

from annotated_types import Ge
from annotated_types import Le
from pydantic import AfterValidator
from pydantic import BaseModel
from pydantic import BeforeValidator
from pydantic import ConfigDict
from pydantic import Field
from pydantic import StringConstraints
from pydantic.json_schema import SkipJsonSchema

from gateway.providers.africastalking.sms_callbacks import DELIVERY_STATUS
from gateway.providers.africastalking.ussd import STATUSES as SESSION_STATUSES
from gateway.providers.carriers.events import CARRIER_NAME
from gateway.providers.carriers.events import STATUS as CARRIER_STATUS
from gateway.providers.payments.sandbox import DECISIONS
from gateway.text.control import drop_control

INT_MAX = 2**31 - 1
"""Largest number any integer field takes (the database's INTEGER)."""
NO_CONTROL = r"^[^\x00-\x1f\x7f-\x9f]*$"
"""No control character: the pattern every identifier matches."""


def _absent_if_empty(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


def ident(longest: int, shortest: int = 1) -> StringConstraints:
    """An identifier or reference: `shortest` to `longest` characters, no control character."""
    return StringConstraints(min_length=shortest, max_length=longest, pattern=NO_CONTROL)


Text = Annotated[str, AfterValidator(drop_control)]
"""Free text: control characters dropped, tab and newline kept."""
Maybe = SkipJsonSchema[None]
"""An optional form field: absent, never `null` (forms have no null)."""
Count = Annotated[Annotated[int, Ge(0), Le(INT_MAX)] | Maybe, BeforeValidator(_absent_if_empty)]
"""An optional whole number from 0 to INT_MAX; an empty value is no value."""


class Form(BaseModel):
    """A form Africa's Talking posts; unknown fields are ignored, as AT adds some over time."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore")

    def fields(self) -> dict[str, str]:
        """The checked fields by wire name, as the form's strings again (absent ones left out)."""
        return {k: str(v) for k, v in self.model_dump(by_alias=True, exclude_none=True).items()}


class UssdHop(Form):
    """One USSD hop. Never refused: a missing or odd field gets a clear `END` screen."""

    model_config = ConfigDict(
        json_schema_extra={"required": ["sessionId", "serviceCode", "phoneNumber", "text"]}
    )

    sessionId: Text | Maybe = None
    serviceCode: Text | Maybe = None
    phoneNumber: Text | Maybe = None
    networkCode: Text | Maybe = None
    text: Text | Maybe = Field(None, description="Every input so far, joined with `*`.")


class UssdSessionEnd(Form):
    """Africa's Talking's end-of-session notification."""

    sessionId: Annotated[str, ident(100)]
    status: Literal[SESSION_STATUSES]  # type: ignore[valid-type]
    phoneNumber: Text | Maybe = None
    serviceCode: Text | Maybe = None
    networkCode: Text | Maybe = None
    hopsCount: Count = None
    durationInMillis: Count = None
    hopsMetadata: Text | Maybe = Field(None, description="Screen ids joined with `|`.")
    lastAppResponse: Text | Maybe = None
    cost: Text | Maybe = None
    errorMessage: Text | Maybe = None
    date: Text | Maybe = Field(None, description="`yyyy-MM-dd HH:mm:ss` in UTC.")


class SmsInbound(Form):
    """An incoming SMS; stored once per `id`."""

    id: Annotated[str, ident(64)]
    from_: Annotated[str, ident(32)] = Field(alias="from", description="The sender's number.")
    text: Text = Field(description="Cut to 5000 characters.")
    to: Text | Maybe = None
    date: Text | Maybe = None
    linkId: Text | Maybe = None
    networkCode: Text | Maybe = None


class SmsDelivery(Form):
    """A delivery report of an SMS we sent."""

    id: Annotated[str, ident(64)]
    status: Literal[tuple(DELIVERY_STATUS)]  # type: ignore[valid-type]
    failureReason: Text | Maybe = None
    phoneNumber: Text | Maybe = None
    networkCode: Text | Maybe = None
    retryCount: Count = None


class SmsOptOut(Form):
    """Africa's Talking's bulk-SMS opt-out callback."""

    senderId: Text | Maybe = None
    phoneNumber: Text | Maybe = None


class SandboxDecision(Form):
    """Decide a sandbox payment (development and test only); also accepted as JSON."""

    ref: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]{1,64}$")]
    result: Literal[tuple(DECISIONS)]  # type: ignore[valid-type]
    callback: Text | Maybe = Field(None, description="`no` to decide without a callback.")


class CarrierEvent(BaseModel):
    """A carrier's parcel event, signed with `X-Sokoni-Signature`."""

    carrier: Annotated[str, StringConstraints(pattern=f"^{CARRIER_NAME.pattern}$")]
    tracking_ref: Annotated[str, ident(40)]
    status: Literal[tuple(CARRIER_STATUS)]  # type: ignore[valid-type]
    occurred_at: str = Field(
        json_schema_extra={"format": "date-time"},
        description="ISO 8601 with a UTC offset; not before the parcel was created, not older "
        "than CARRIER_EVENT_MAX_AGE, at most 5 minutes in the future.",
    )
    event_id: Annotated[str, ident(64)]
    location: Annotated[str, ident(60, 0)] | None = None
    note: Annotated[str, ident(200, 0)] | None = None
    delivery_code: Annotated[str, ident(12, 0)] | None = Field(
        None, description="Required with `delivered`."
    )


class DarajaStkCallback(BaseModel):
    """M-Pesa STK push result, `{"Body": {"stkCallback": {...}}}`."""

    model_config = ConfigDict(extra="allow")

    Body: dict[str, Any] = Field(
        description="`stkCallback`: MerchantRequestID, CheckoutRequestID, ResultCode, ResultDesc, "
        "CallbackMetadata.Item[] (Amount, MpesaReceiptNumber, PhoneNumber, ...)."
    )


class DarajaResult(BaseModel):
    """M-Pesa B2C payout result, or a Transaction Status result, `{"Result": {...}}`."""

    model_config = ConfigDict(extra="allow")

    Result: dict[str, Any] = Field(
        description="ResultType, ResultCode, ResultDesc, OriginatorConversationID, "
        "ConversationID, TransactionID, ResultParameters.ResultParameter[]."
    )


class MomoTransaction(BaseModel):
    """MTN MoMo's final request-to-pay or transfer object."""

    model_config = ConfigDict(extra="allow")

    financialTransactionId: str | None = None
    externalId: str | None = None
    amount: str | None = None
    currency: str | None = None
    status: str | None = Field(None, description="SUCCESSFUL, FAILED or PENDING.")
    reason: Any = Field(None, description="A string or `{code, message}`.")


class AirtelTransaction(BaseModel):
    """What an Airtel Money callback says of one transaction."""

    model_config = ConfigDict(extra="allow")

    id: str | None = Field(None, description="Our transaction id (it carries our request key).")
    message: str | None = None
    status_code: str | None = Field(None, description="TS, TF, TIP, TA, TE, ... (UNCONFIRMED).")
    airtel_money_id: str | None = None


class AirtelCallback(BaseModel):
    """Airtel Money's callback: the transaction, and a `hash` when callback auth is on."""

    model_config = ConfigDict(extra="allow")

    transaction: AirtelTransaction
    hash: str | None = Field(
        None, description="Base64 HMAC-SHA256 of the transaction under AIRTEL_CALLBACK_SECRET."
    )


class CallbackVerdict(BaseModel):
    """What became of a payment callback: stored to be checked, or refused and why."""

    status: Literal["received", "malformed", "forged"]


class Problem(BaseModel):
    """Why a request was refused, or why the gateway cannot serve it now."""

    error: str
    detail: str | None = None


class CarrierAnswer(BaseModel):
    """What became of a carrier event judged on the spot (a delivery, a border clearance)."""

    result: Literal["applied", "history", "duplicate"]
    tracking_ref: str
    status: str


class CarrierScanKept(BaseModel):
    """A tracking scan kept for a worker to judge: `queued`, or `duplicate` if kept before."""

    result: Literal["queued", "duplicate"]
    event_id: str


class MpesaAck(BaseModel):
    """The acknowledgement Daraja expects."""

    ResultCode: int
    ResultDesc: str


class SandboxDecided(BaseModel):
    """A sandbox payment decided."""

    order: str
    ref: str
    result: str
    callback: bool


class Health(BaseModel):
    """Reachability of Redis and the database; under `make run`, restarts of its processes
    (`"worker": "restarted 2x"`)."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"additionalProperties": True})

    status: Literal["ok", "degraded"]
    redis: str
    database: str
