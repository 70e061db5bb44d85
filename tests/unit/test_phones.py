import pytest

from gateway.commerce.phones import InvalidPhone
from gateway.commerce.phones import region_of
from gateway.commerce.phones import to_e164


@pytest.mark.parametrize(
    ("raw", "region", "network", "e164"),
    [
        ("+254711000001", None, None, "+254711000001"),
        ("254711000001", None, None, "+254711000001"),
        ("00254711000001", None, None, "+254711000001"),
        ("0711000001", "KE", None, "+254711000001"),
        ("0711000001", None, "63902", "+254711000001"),
        ("0711000001", None, "99999", "+254711000001"),
        ("0711 000-001", "KE", None, "+254711000001"),
        (" +254 711 000 001 ", None, None, "+254711000001"),
        ("711000001", "KE", None, "+254711000001"),
        ("254711000001", "KE", None, "+254711000001"),
        ("256772123456", "KE", None, "+256772123456"),
        ("0772123456", None, "64110", "+256772123456"),
        ("0772123456", "KE", "64110", "+256772123456"),
        ("0788123456", "RW", None, "+250788123456"),
        ("+260971234567", None, None, "+260971234567"),
        ("+265991234567", None, None, "+265991234567"),
        ("+251911234567", None, None, "+251911234567"),
    ],
)
def test_to_e164(raw: str, region: str | None, network: str | None, e164: str) -> None:
    assert to_e164(raw, default_region=region, network_code=network) == e164


@pytest.mark.parametrize(
    ("raw", "region", "network"),
    [
        ("", "KE", None),
        ("hello", "KE", None),
        ("0711ABC001", "KE", None),
        ("+254-711-000-00a", None, None),
        ("0711000001", None, None),
        ("0711000001", None, "00000"),
        ("+2547110000011", None, None),
        ("+25471100", None, None),
        ("12345", "KE", None),
        ("+", None, None),
        ("(0711) 000001", "KE", None),
    ],
)
def test_to_e164_refuses(raw: str, region: str | None, network: str | None) -> None:
    with pytest.raises(InvalidPhone) as info:
        to_e164(raw, default_region=region, network_code=network)
    assert info.value.key == "phone.invalid"
    assert isinstance(info.value, ValueError)
    assert repr(raw) in str(info.value)


@pytest.mark.parametrize(
    ("e164", "region"),
    [
        ("+254711000001", "KE"),
        ("+256772123456", "UG"),
        ("+250788123456", "RW"),
        ("+25779123456", "BI"),
        ("+243812345678", "CD"),
        ("not a number", None),
        ("", None),
    ],
)
def test_region_of(e164: str, region: str | None) -> None:
    assert region_of(e164) == region
