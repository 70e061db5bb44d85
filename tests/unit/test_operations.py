"""What operators set and read: log formats and metrics tokens in the settings, the USD rate in
force on a day, and the keyed hash that names nobody."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from config.logs import chosen_format
from config.logs import new_request_id
from config.settings import RefusedSettings
from config.settings import load
from gateway.commerce.reports.extracts import phone_hash
from gateway.commerce.reports.rates import Rate
from gateway.commerce.reports.rates import Rates
from tests.unit.test_settings import PRODUCTION


def test_logs_are_text_in_development_and_json_in_production_unless_chosen():
    assert load({}).log_format == "text"
    assert load(PRODUCTION).log_format == "json"
    assert load({**PRODUCTION, "LOG_FORMAT": "text"}).log_format == "text"
    assert chosen_format({"SOKONI_ENV": "production"}) == "json"
    with pytest.raises(RefusedSettings, match="LOG_FORMAT"):
        load({"LOG_FORMAT": "xml"})


def test_production_refuses_a_weak_metrics_token():
    with pytest.raises(RefusedSettings, match="METRICS_TOKEN is shorter than 32"):
        load({**PRODUCTION, "METRICS_TOKEN": "short"})
    assert load({**PRODUCTION, "METRICS_TOKEN": "t" * 43}).METRICS_TOKEN == "t" * 43


def test_a_request_id_given_is_kept_only_when_it_looks_like_one():
    assert new_request_id("abc12345-xyz") == "abc12345-xyz"
    assert new_request_id("bad id\nwith lines") != "bad id\nwith lines"
    assert len(new_request_id()) == 32


RATES = Rates(
    [
        Rate("KES", date(2026, 1, 1), Decimal("0.0077"), ""),
        Rate("KES", date(2026, 6, 1), Decimal("0.0078"), ""),
    ]
)


def test_the_rate_in_force_is_the_latest_recorded_on_or_before_the_day():
    assert RATES.on("KES", date(2025, 12, 31)) is None
    assert RATES.on("KES", date(2026, 1, 1)) == Decimal("0.0077")
    assert RATES.on("KES", date(2026, 5, 31)) == Decimal("0.0077")
    assert RATES.on("KES", date(2026, 6, 1)) == Decimal("0.0078")
    assert RATES.on("USD", date(2020, 1, 1)) == 1
    assert RATES.on("UGX", date(2026, 6, 1)) is None


@given(st.from_regex(r"\+2[0-9]{11}", fullmatch=True), st.text(min_size=1, max_size=20))
def test_a_number_hashes_the_same_under_one_key_and_never_shows_itself(phone, key):
    hashed = phone_hash(key, phone)
    assert hashed == phone_hash(key, phone) and len(hashed) == 20
    assert phone[1:] not in hashed and phone_hash(key + "x", phone) != hashed
