"""Settings come from the environment; production refuses to start without its secrets."""

import pytest

from config.settings import MissingSettings
from config.settings import load

PRODUCTION = {
    "SOKONI_ENV": "production",
    "SECRET_KEY": "s3cret-for-real",
    "DATABASE_URL": "postgresql://db/sokoni",
    "REDIS_URL": "redis://cache:6379/0",
    "AT_USERNAME": "sokoni",
    "AT_API_KEY": "atk",
    "CALLBACK_BASE_URL": "https://gw.example",
    "CALLBACK_TOKEN": "cbt",
    "LOGISTICS_WEBHOOK_SECRET": "lws",
}


def test_development_runs_on_defaults():
    settings = load({})
    assert settings.SOKONI_ENV == "development" and settings.PORT == 8000
    assert settings.DATABASE_URL.startswith("sqlite:///") and settings.REDIS_URL == ""


def test_every_contract_name_is_read_from_the_environment():
    settings = load(
        {"PORT": "9100", "AT_API_URL": "http://127.0.0.1:9001/", "USSD_SESSION_TTL": "60"}
    )
    assert settings.PORT == 9100 and settings.USSD_SESSION_TTL == 60
    assert settings.at_api_url == "http://127.0.0.1:9001"


@pytest.mark.parametrize(
    ("username", "url"),
    [
        ("sandbox", "https://api.sandbox.africastalking.com"),
        ("sokoni", "https://api.africastalking.com"),
    ],
)
def test_the_africas_talking_host_follows_the_username(username, url):
    assert load({"AT_USERNAME": username}).at_api_url == url


def test_production_with_every_secret_starts():
    assert load(PRODUCTION).is_production


def test_production_names_each_missing_secret():
    env = {k: v for k, v in PRODUCTION.items() if k not in ("AT_API_KEY", "CALLBACK_TOKEN")}
    with pytest.raises(MissingSettings) as refused:
        load(env)
    assert "AT_API_KEY" in str(refused.value) and "CALLBACK_TOKEN" in str(refused.value)


def test_production_refuses_a_half_configured_payment_provider():
    with pytest.raises(MissingSettings, match="MPESA_PASSKEY"):
        load(
            {
                **PRODUCTION,
                "MPESA_CONSUMER_KEY": "k",
                "MPESA_CONSUMER_SECRET": "s",
                "MPESA_SHORTCODE": "174379",
            }
        )


def test_a_number_setting_that_is_not_a_number_is_named():
    with pytest.raises(MissingSettings, match="PORT"):
        load({"PORT": "eighty"})
