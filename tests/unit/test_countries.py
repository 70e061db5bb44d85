import pytest

from config.countries import COUNTRIES
from config.countries import NETWORKS
from config.countries import Country
from config.countries import UnknownCountry
from config.countries import country
from config.countries import country_for_network

COMESA = {
    "Burundi": "BI",
    "Comoros": "KM",
    "DR Congo": "CD",
    "Djibouti": "DJ",
    "Egypt": "EG",
    "Eritrea": "ER",
    "Eswatini": "SZ",
    "Ethiopia": "ET",
    "Kenya": "KE",
    "Libya": "LY",
    "Madagascar": "MG",
    "Malawi": "MW",
    "Mauritius": "MU",
    "Rwanda": "RW",
    "Seychelles": "SC",
    "Somalia": "SO",
    "Sudan": "SD",
    "Tunisia": "TN",
    "Uganda": "UG",
    "Zambia": "ZM",
    "Zimbabwe": "ZW",
}
DETAILED = ("KE", "UG", "RW", "ZM", "MW", "ET", "CD", "BI")


def test_all_21_members_and_nothing_else() -> None:
    assert {c.name: c.iso for c in COUNTRIES.values()} == COMESA
    assert all(iso == c.iso for iso, c in COUNTRIES.items())


@pytest.mark.parametrize(
    ("iso", "dial", "currency", "exponent"),
    [
        ("KE", "+254", "KES", 2),
        ("UG", "+256", "UGX", 0),
        ("RW", "+250", "RWF", 0),
        ("BI", "+257", "BIF", 0),
        ("KM", "+269", "KMF", 0),
        ("DJ", "+253", "DJF", 0),
        ("LY", "+218", "LYD", 3),
        ("TN", "+216", "TND", 3),
        ("ZW", "+263", "ZWG", 2),
        ("EG", "+20", "EGP", 2),
        ("CD", "+243", "CDF", 2),
        ("ZM", "+260", "ZMW", 2),
        ("MW", "+265", "MWK", 2),
        ("ET", "+251", "ETB", 2),
        ("SZ", "+268", "SZL", 2),
    ],
)
def test_dial_and_currency(iso: str, dial: str, currency: str, exponent: int) -> None:
    c = country(iso)
    assert (c.dial, c.currency, c.exponent) == (dial, currency, exponent)


@pytest.mark.parametrize(
    ("iso", "languages"),
    [
        ("KE", ("sw", "en")),
        ("UG", ("en", "sw")),
        ("RW", ("en", "fr", "sw")),
        ("BI", ("fr", "en", "sw")),
        ("CD", ("fr", "sw", "en")),
        ("DJ", ("fr",)),
        ("KM", ("fr",)),
        ("MG", ("fr",)),
        ("SC", ("fr", "en")),
        ("ZM", ("en",)),
        ("EG", ("ar", "en")),
        ("SD", ("ar", "en")),
        ("LY", ("ar", "en")),
    ],
)
def test_languages(iso: str, languages: tuple[str, ...]) -> None:
    assert country(iso).languages == languages


@pytest.mark.parametrize("c", COUNTRIES.values(), ids=lambda c: c.iso)
def test_shape(c: Country) -> None:
    assert len(c.iso) == 2 and c.iso.isupper()
    assert c.dial.startswith("+") and c.dial[1:].isdigit()
    assert len(c.currency) == 3 and c.currency.isupper()
    assert c.languages and len(set(c.languages)) == len(c.languages)
    assert set(c.languages) <= {"en", "sw", "fr", "ar"}
    assert len(c.regions) >= (4 if c.iso in DETAILED else 2)
    for districts in c.regions.values():
        assert len(districts) >= (3 if c.iso in DETAILED else 2) and len(districts) <= 6
        assert all(d.isascii() and 0 < len(d) <= 14 for d in districts)


def test_dial_codes_unique() -> None:
    assert len({c.dial for c in COUNTRIES.values()}) == len(COUNTRIES)


def test_country_is_frozen_and_hashable() -> None:
    ke = country("KE")
    with pytest.raises(AttributeError):
        ke.iso = "UG"  # type: ignore[misc]
    assert hash(ke) == hash(country("KE"))


def test_country_lookup_is_case_insensitive() -> None:
    assert country("ke") is COUNTRIES["KE"]


@pytest.mark.parametrize("iso", ["TZ", "", "XX", None])
def test_unknown_country(iso: str) -> None:
    with pytest.raises(UnknownCountry, match="Unknown COMESA country"):
        country(iso)


def test_unknown_country_is_value_error() -> None:
    assert issubclass(UnknownCountry, ValueError)


@pytest.mark.parametrize(
    ("code", "iso", "name"),
    [
        ("63902", "KE", "Safaricom"),
        ("64110", "UG", "MTN"),
        ("63510", "RW", "MTN"),
        ("64501", "ZM", "Airtel"),
        ("64502", "ZM", "MTN"),
        ("65001", "MW", "TNM"),
        ("65010", "MW", "Airtel"),
        ("63601", "ET", "Ethio Telecom"),
    ],
)
def test_networks(code: str, iso: str, name: str) -> None:
    assert NETWORKS[code] == (iso, name)
    assert country_for_network(code) is COUNTRIES[iso]


def test_all_networks_point_at_members() -> None:
    assert {iso for iso, _ in NETWORKS.values()} <= COUNTRIES.keys()


def test_sandbox_network_is_kenya() -> None:
    assert country_for_network("99999") is COUNTRIES["KE"]


@pytest.mark.parametrize("code", [None, "", "62120", "64004", "abc"])
def test_unknown_network(code: str | None) -> None:
    assert country_for_network(code) is None
