"""Which payment provider serves a phone number, and the configured client for each one.

PAYMENT_PROVIDERS maps a country (`KE=mpesa`) or a country and network (`UG/Airtel=airtel`)
to a provider. The network is the one the person was last seen dialling or texting from
(Africa's Talking's networkCode, `config.countries.NETWORKS`), which follows a ported
number; else the carrier of the number's prefix. A provider whose credentials are set is
used in every environment; outside production one without them (or a number no rule covers)
goes to the sandbox. Production never falls back: it refuses.
"""

from __future__ import annotations

import phonenumbers
import redis
from phonenumbers import carrier

from config.countries import NETWORKS
from config.settings import Settings
from gateway.providers.errors import SendError
from gateway.providers.payments.airtel import Airtel
from gateway.providers.payments.base import PaymentProvider
from gateway.providers.payments.daraja import Daraja
from gateway.providers.payments.momo import Momo
from gateway.providers.payments.momo import Product
from gateway.providers.payments.sandbox import Sandbox

NAMES = ("mpesa", "momo", "airtel", "sandbox")


def rules(text: str) -> dict[str, str]:
    """`KE=mpesa, KE/Airtel=sandbox` as {"KE": "mpesa", "KE/AIRTEL": "sandbox"}."""
    table: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        where, _, name = part.partition("=")
        if name.strip() not in NAMES:
            raise ValueError(f"PAYMENT_PROVIDERS: unknown provider in {part!r}")
        table[where.strip().upper()] = name.strip()
    return table


def network_of(phone: str, network_code: str | None = None) -> tuple[str | None, str | None]:
    """(country ISO, network name) of an E.164 number: the network of `network_code` when it
    is one of the number's country, else the carrier its prefix was allocated to."""
    try:
        number = phonenumbers.parse(phone)
    except phonenumbers.NumberParseException:
        return None, None
    region = phonenumbers.region_code_for_number(number)
    seen = NETWORKS.get(network_code or "")
    if seen is not None and seen[0] == region:
        return region, seen[1]
    return region, carrier.name_for_number(number, "en") or None


class PaymentProviders:
    """Chooses and builds the payment clients for one set of settings."""

    def __init__(self, settings: Settings, connection: redis.Redis) -> None:
        self.settings = settings
        self._rules = rules(settings.PAYMENT_PROVIDERS)
        self._redis = connection
        self._clients: dict[str, PaymentProvider] = {}

    def configured(self, name: str) -> bool:
        s = self.settings
        if name == "mpesa":
            return all(
                (s.MPESA_CONSUMER_KEY, s.MPESA_CONSUMER_SECRET, s.MPESA_SHORTCODE, s.MPESA_PASSKEY)
            )
        if name == "momo":
            return all((s.MOMO_SUBSCRIPTION_KEY, s.MOMO_API_USER, s.MOMO_API_KEY))
        if name == "airtel":
            return all((s.AIRTEL_CLIENT_ID, s.AIRTEL_CLIENT_SECRET))
        return name == "sandbox" and not s.is_production

    def choose(self, phone: str, network_code: str | None = None) -> str:
        """The provider name for a payer or payee, last seen on `network_code` if known.

        Raises:
            SendError: production has no configured provider for this number (final).
        """
        country, network = network_of(phone, network_code)
        name = self._rules.get(f"{country}/{network}".upper()) or self._rules.get(country or "")
        if name and self.configured(name):
            return name
        if self.configured("sandbox"):
            return "sandbox"
        raise SendError(f"no payment provider configured for {country}/{network}")

    def get(self, name: str) -> PaymentProvider:
        if name not in self._clients:
            self._clients[name] = self._build(name)
        return self._clients[name]

    def _build(self, name: str) -> PaymentProvider:
        s = self.settings
        if name == "mpesa":
            return Daraja(
                s.MPESA_API_URL,
                s.MPESA_CONSUMER_KEY,
                s.MPESA_CONSUMER_SECRET,
                s.MPESA_SHORTCODE,
                s.MPESA_PASSKEY,
                transaction_type=s.MPESA_TRANSACTION_TYPE,
                initiator_name=s.MPESA_INITIATOR_NAME,
                security_credential=s.MPESA_SECURITY_CREDENTIAL,
                b2c_shortcode=s.MPESA_B2C_SHORTCODE,
            )
        if name == "momo":
            collection = Product(
                "collection", s.MOMO_SUBSCRIPTION_KEY, s.MOMO_API_USER, s.MOMO_API_KEY
            )
            disbursement = Product(
                "disbursement",
                s.MOMO_DISBURSEMENT_SUBSCRIPTION_KEY or s.MOMO_SUBSCRIPTION_KEY,
                s.MOMO_DISBURSEMENT_API_USER or s.MOMO_API_USER,
                s.MOMO_DISBURSEMENT_API_KEY or s.MOMO_API_KEY,
            )
            return Momo(s.MOMO_API_URL, collection, disbursement, s.MOMO_TARGET_ENVIRONMENT)
        if name == "airtel":
            return Airtel(
                s.AIRTEL_API_URL,
                s.AIRTEL_CLIENT_ID,
                s.AIRTEL_CLIENT_SECRET,
                callback_secret=s.AIRTEL_CALLBACK_SECRET,
            )
        if name == "sandbox":
            return Sandbox(self._redis)
        raise KeyError(f"unknown payment provider {name!r}")

    def callback_url(self, name: str) -> str:
        """Where `name` posts its callbacks: CALLBACK_BASE_URL + /payments/<name>/<token>."""
        base = self.settings.CALLBACK_BASE_URL.rstrip("/")
        return f"{base}/payments/{name}/{self.settings.CALLBACK_TOKEN}"
