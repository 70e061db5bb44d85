"""Settings come from the environment; production refuses to start without its secrets, or
with weak ones, and names every problem at once."""

import pytest

from config.settings import RefusedSettings
from config.settings import load
from gateway.store.connections import Connections

PRODUCTION = {
    "SOKONI_ENV": "production",
    "SECRET_KEY": "k" * 40,
    "DATABASE_URL": "postgresql://db/sokoni",
    "REDIS_URL": "redis://cache:6379/0",
    "AT_USERNAME": "sokoni",
    "AT_API_KEY": "atk",
    "CALLBACK_BASE_URL": "https://gw.example",
    "CALLBACK_TOKEN": "c" * 32,
    "AT_CALLBACK_TOKEN": "a" * 43,
    "CARRIER_WEBHOOK_SECRETS": f"swiftbox={'s' * 32},acme={'m' * 32}",
}


def _refusal(**changes: str) -> str:
    env = {k: v for k, v in {**PRODUCTION, **changes}.items() if v is not None}
    with pytest.raises(RefusedSettings) as refused:
        load(env)
    return str(refused.value)


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
    with pytest.raises(RefusedSettings) as refused:
        load(env)
    assert "missing: AT_API_KEY, CALLBACK_TOKEN" in str(refused.value)
    assert "CALLBACK_TOKEN is a development default" not in str(refused.value)


def test_production_refuses_to_start_without_the_africas_talking_token():
    assert "missing: AT_CALLBACK_TOKEN" in _refusal(AT_CALLBACK_TOKEN="")


@pytest.mark.parametrize("value", ["prod", "Production", "staging", " production", ""])
def test_an_unknown_environment_refuses_to_start_and_names_the_allowed_values(value):
    with pytest.raises(RefusedSettings) as refused:
        load({"SOKONI_ENV": value})
    assert f"SOKONI_ENV={value!r} is not one of development, test, production" in str(refused.value)


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("SECRET_KEY", "dev-only-not-secret", "SECRET_KEY is a development default"),
        ("SECRET_KEY", "x", "SECRET_KEY is shorter than 32 characters"),
        ("CALLBACK_TOKEN", "dev-callback-token", "CALLBACK_TOKEN is a development default"),
        ("CALLBACK_TOKEN", "c" * 31, "CALLBACK_TOKEN is shorter than 32 characters"),
        ("CALLBACK_TOKEN_PREVIOUS", "old", "CALLBACK_TOKEN_PREVIOUS is shorter than 32"),
        ("AT_CALLBACK_TOKEN", "at", "AT_CALLBACK_TOKEN is shorter than 32 characters"),
        ("AT_CALLBACK_TOKEN_PREVIOUS", "at", "AT_CALLBACK_TOKEN_PREVIOUS is shorter than 32"),
        (
            "LOGISTICS_WEBHOOK_SECRET",
            "dev-logistics-secret",
            "LOGISTICS_WEBHOOK_SECRET is a development default",
        ),
        ("LOGISTICS_WEBHOOK_SECRET", "l", "LOGISTICS_WEBHOOK_SECRET is shorter than 32"),
        (
            "CARRIER_WEBHOOK_SECRETS",
            f"swiftbox={'s' * 32},acme=short",
            "CARRIER_WEBHOOK_SECRETS (acme) is shorter than 32 characters",
        ),
        (
            "CARRIER_WEBHOOK_SECRETS_PREVIOUS",
            "swiftbox=dev-logistics-secret",
            "CARRIER_WEBHOOK_SECRETS_PREVIOUS (swiftbox) is a development default",
        ),
        ("CALLBACK_BASE_URL", "http://gw.example", "CALLBACK_BASE_URL must start with https://"),
        (
            "AT_CALLBACK_TOKEN",
            "c" * 32,
            "CALLBACK_TOKEN has the same value as AT_CALLBACK_TOKEN",
        ),
    ],
)
def test_production_refuses_each_weak_setting_and_names_it(name, value, problem):
    assert problem in _refusal(**{name: value})


def test_production_lists_every_problem_at_once():
    refusal = _refusal(SECRET_KEY="short", CALLBACK_TOKEN=None, CALLBACK_BASE_URL="http://gw")
    assert refusal.splitlines() == [
        "SOKONI_ENV=production refuses to start:",
        "- missing: CALLBACK_TOKEN",
        "- SECRET_KEY is shorter than 32 characters",
        "- CALLBACK_BASE_URL must start with https://",
    ]


def test_networks_that_cannot_be_read_refuse_to_start_in_any_environment():
    with pytest.raises(RefusedSettings, match="'10.0.0.300/8' is not a network"):
        load({"AT_ALLOWED_NETWORKS": "196.201.214.0/24, 10.0.0.300/8"})
    assert [
        str(n) for n in load({"AT_ALLOWED_NETWORKS": "196.201.214.0/24"}).at_allowed_networks
    ] == ["196.201.214.0/24"]


def test_each_carrier_has_its_own_webhook_key_and_the_old_one_while_it_rotates():
    settings = load(
        {
            "CARRIER_WEBHOOK_SECRETS": "swiftbox=new-key,acme=acme-key",
            "CARRIER_WEBHOOK_SECRETS_PREVIOUS": "swiftbox=old-key",
        }
    )
    assert settings.webhook_keys("swiftbox") == ("new-key", "old-key")
    assert settings.webhook_keys("acme") == ("acme-key",)
    assert settings.webhook_keys("unlisted") == ("dev-logistics-secret",)
    assert load(PRODUCTION).webhook_keys("unlisted") == ()


def test_production_refuses_a_half_configured_payment_provider():
    with pytest.raises(RefusedSettings, match="MPESA_PASSKEY"):
        load(
            {
                **PRODUCTION,
                "MPESA_CONSUMER_KEY": "k",
                "MPESA_CONSUMER_SECRET": "s",
                "MPESA_SHORTCODE": "174379",
            }
        )


def test_a_number_setting_that_is_not_a_number_is_named():
    with pytest.raises(RefusedSettings, match="PORT"):
        load({"PORT": "eighty"})


def test_sentinels_are_read_as_host_and_port_pairs():
    settings = load(
        {"REDIS_SENTINELS": "10.0.0.5:26379, sentinel-b:26380", "REDIS_SENTINEL_MASTER": "sokoni"}
    )
    assert settings.redis_sentinels == (("10.0.0.5", 26379), ("sentinel-b", 26380))


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({"REDIS_SENTINELS": "10.0.0.5:26379"}, "set both or neither"),
        ({"REDIS_SENTINEL_MASTER": "sokoni"}, "set both or neither"),
        (
            {"REDIS_SENTINELS": "10.0.0.5", "REDIS_SENTINEL_MASTER": "sokoni"},
            "'10.0.0.5' is not host:port",
        ),
        (
            {"REDIS_SENTINELS": "a:1,b:port", "REDIS_SENTINEL_MASTER": "sokoni"},
            "'b:port' is not host:port",
        ),
        (
            {"REDIS_SENTINELS": ":26379", "REDIS_SENTINEL_MASTER": "sokoni"},
            "':26379' is not host:port",
        ),
    ],
)
def test_half_a_sentinel_configuration_or_a_malformed_address_refuses_to_start(env, problem):
    with pytest.raises(RefusedSettings, match=problem):
        load(env)


def test_production_behind_sentinels_needs_no_redis_url():
    sentinels = {"REDIS_SENTINELS": "10.0.0.5:26379", "REDIS_SENTINEL_MASTER": "sokoni"}
    assert load({**{k: v for k, v in PRODUCTION.items() if k != "REDIS_URL"}, **sentinels})
    assert "REDIS_URL" in _refusal(REDIS_URL=None)


def test_behind_sentinels_redis_url_gives_only_the_password_and_the_database():
    settings = load(
        {
            "REDIS_SENTINELS": "127.0.0.1:26379",
            "REDIS_SENTINEL_MASTER": "sokoni",
            "REDIS_URL": "redis://sokoni:p%40ss@ignored:6379/3",
        }
    )
    client = Connections(settings).redis  # opens no connection until a command is sent
    options = client.connection_pool.connection_kwargs
    assert (options["username"], options["password"], options["db"]) == ("sokoni", "p@ss", 3)
    assert client.connection_pool.service_name == "sokoni"


@pytest.mark.parametrize("name", ["USSD_SESSION_TTL", "USSD_RESUME_TTL", "USSD_CALLER_TTL"])
@pytest.mark.parametrize("value", ["0", "-5"])
def test_a_ussd_expiry_of_no_seconds_refuses_to_start(name, value):
    with pytest.raises(RefusedSettings) as refused:
        load({name: value})
    assert f"{name} must be a positive number of seconds" in str(refused.value)
