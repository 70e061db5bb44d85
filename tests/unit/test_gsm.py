"""Tests for gateway.text.gsm: GSM-7/UCS-2 detection, SMS segment counting, USSD screen fit."""

import pytest
from hypothesis import assume
from hypothesis import given
from hypothesis import strategies as st

from gateway.text.gsm import GSM7_BASIC
from gateway.text.gsm import GSM7_EXTENSION
from gateway.text.gsm import Measure
from gateway.text.gsm import encoding
from gateway.text.gsm import is_gsm7
from gateway.text.gsm import length_units
from gateway.text.gsm import measure
from gateway.text.gsm import screen_fits
from gateway.text.gsm import screen_limit
from gateway.text.gsm import segments
from gateway.text.gsm import transliterate

EMOJI = "\U0001f600"  # non-BMP: 2 UTF-16 units


@pytest.mark.parametrize(
    ("text", "enc", "units", "parts"),
    [
        ("", "GSM-7", 0, 1),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("€" * 80, "GSM-7", 160, 1),
        ("€" * 81, "GSM-7", 162, 2),
        ("[" * 80, "GSM-7", 160, 1),
        ("[" * 81, "GSM-7", 162, 2),
        ("a" * 159 + "€", "GSM-7", 161, 2),
        ("ç" * 70, "UCS-2", 70, 1),
        ("ç" * 71, "UCS-2", 71, 2),
        ("ç" * 134, "UCS-2", 134, 2),
        ("ç" * 135, "UCS-2", 135, 3),
        ("ç" + "a" * 69, "UCS-2", 70, 1),
        ("ç" + "a" * 70, "UCS-2", 71, 2),
        ("ç" + "a" * 133, "UCS-2", 134, 2),
        ("ç" + "a" * 134, "UCS-2", 135, 3),
        (EMOJI * 35, "UCS-2", 70, 1),
        (EMOJI + "a" * 69, "UCS-2", 71, 2),
    ],
)
def test_measure_table(text: str, enc: str, units: int, parts: int) -> None:
    assert measure(text) == Measure(encoding=enc, units=units, segments=parts)
    assert encoding(text) == enc
    assert length_units(text) == units
    assert segments(text) == parts


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # 152 + ESC pair would be 154 > 153: the pair moves to part 2 (2 + 152 = 154 -> part 3).
        ("a" * 152 + "€" + "a" * 152, 3),
        # Same septet total, pair not straddling: 306 septets fit two parts.
        ("€" + "a" * 304, 2),
        # Pair ends exactly on the boundary: 151 + 2 = 153, then 153.
        ("a" * 151 + "€" + "a" * 153, 2),
        ("a" * 152 + "€" + "a" * 151, 2),
    ],
)
def test_esc_pair_not_split_across_segments(text: str, parts: int) -> None:
    assert encoding(text) == "GSM-7"
    assert length_units(text) in (305, 306)
    assert segments(text) == parts


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # 66 units + surrogate pair would be 68 > 67: the pair moves to part 2.
        ("ç" + "a" * 65 + EMOJI + "a" * 66, 3),
        ("ç" + "a" * 64 + EMOJI + "a" * 67, 2),
        ("ç" + "a" * 65 + EMOJI + "a" * 65, 2),
    ],
)
def test_surrogate_pair_not_split_across_segments(text: str, parts: int) -> None:
    assert encoding(text) == "UCS-2"
    assert segments(text) == parts


@pytest.mark.parametrize(
    ("text", "enc"),
    [
        ("Prix: 3 500 F, livré à Goma", "GSM-7"),
        ("Karibu! Chagua: 1. Nunua bidhaa 2. Salio la akaunti 3. Msaada", "GSM-7"),
        ("Asante kwa kununua. Jumla: KES 1,250.", "GSM-7"),
        ("Ω Δ Σ @ £ ¥ § ¿ ¡ Ç Ñ Ü ß Æ", "GSM-7"),
        ("{x} [y] ~z^ | \\ €\f", "GSM-7"),
        ("مرحبا بكم في سوكوني", "UCS-2"),
        ("ሰላም", "UCS-2"),
        ("façade", "UCS-2"),
        ("`code`", "UCS-2"),
        ("“quoted”", "UCS-2"),
        ("Ok " + EMOJI, "UCS-2"),
    ],
)
def test_encoding_detection(text: str, enc: str) -> None:
    assert encoding(text) == enc
    assert is_gsm7(text) is (enc == "GSM-7")


def test_alphabet_tables() -> None:
    assert len(GSM7_BASIC) == 127
    assert GSM7_EXTENSION == frozenset("^{}\\[~]|€\f")
    assert "Ç" in GSM7_BASIC and "ç" not in GSM7_BASIC
    assert "\x1b" not in GSM7_BASIC
    assert not GSM7_BASIC & GSM7_EXTENSION


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("“Hi” – ok…", '"Hi" - ok...'),
        ("it’s ‘fine’ ‚x′", "it's 'fine' 'x'"),
        ("„a″", '"a"'),
        ("a—b‒c−d", "a-b-c-d"),
        ("3\u00a0500\u202fF\u2009x\u3000y", "3 500 F x y"),
        ("• item", "* item"),
        ("façade, hôtel, forêt, Noël, maïs, île", "facade, hotel, foret, Noel, mais, ile"),
        ("água, ópera, índio, último, sûr", "agua, opera, indio, ultimo, sur"),
        ("œuvre Œuvre", "oeuvre OEuvre"),
        ("ÁÂÊËÎÏÍÔÓÛÚ", "AAEEIIIOOUU"),
        ("Ça livré à Goma", "Ça livré à Goma"),
        ("Ok " + EMOJI + " مرحبا ሰላም", "Ok " + EMOJI + " مرحبا ሰላም"),
    ],
)
def test_transliterate(raw: str, expected: str) -> None:
    assert transliterate(raw) == expected


def test_transliterate_makes_punctuation_gsm7() -> None:
    text = "“Habari” – karibu… ‘Sokoni’ • çà\u00a0va"
    assert encoding(text) == "UCS-2"
    assert encoding(transliterate(text)) == "GSM-7"


@pytest.mark.parametrize(
    ("text", "fits"),
    [
        ("CON " + "a" * 156, True),
        ("CON " + "a" * 157, False),
        ("END " + "€" * 78, True),
        ("END " + "€" * 78 + "a", False),
        ("CON " + "ç" * 76, True),
        ("CON " + "ç" * 77, False),
        ("CON " + EMOJI * 38, True),
        ("CON " + EMOJI * 38 + "a", False),
    ],
)
def test_screen_fits_defaults(text: str, fits: bool) -> None:
    assert screen_fits(text) is fits


def test_screen_limit() -> None:
    assert screen_limit("CON Karibu") == 160
    assert screen_limit("CON مرحبا") == 80
    assert screen_limit("CON Karibu", gsm_limit=182, ucs2_limit=91) == 182
    assert screen_limit("CON ç", gsm_limit=182, ucs2_limit=91) == 91


def test_screen_fits_custom_limits() -> None:
    assert screen_fits("CON " + "a" * 178, gsm_limit=182)
    assert not screen_fits("CON " + "a" * 179, gsm_limit=182)
    assert screen_fits("CON " + "ç" * 87, ucs2_limit=91)
    assert not screen_fits("CON " + "ç" * 88, ucs2_limit=91)


gsm_basic_text = st.text(alphabet=sorted(GSM7_BASIC))
gsm_text = st.text(alphabet=sorted(GSM7_BASIC | GSM7_EXTENSION), max_size=700)


@given(st.text(max_size=400))
def test_segments_at_least_one(text: str) -> None:
    assert segments(text) >= 1


@given(gsm_text)
def test_segments_at_least_one_gsm(text: str) -> None:
    assert segments(text) >= 1


@given(st.one_of(gsm_text, st.text(max_size=400)), st.characters())
def test_segments_monotonic_when_appending_same_encoding(text: str, ch: str) -> None:
    assume(encoding(text + ch) == encoding(text))
    assert segments(text + ch) >= segments(text)


@given(st.text())
def test_transliterate_idempotent(text: str) -> None:
    once = transliterate(text)
    assert transliterate(once) == once


@given(gsm_basic_text)
def test_basic_only_text_is_gsm7_one_septet_per_char(text: str) -> None:
    assert encoding(text) == "GSM-7"
    assert length_units(text) == len(text)


@given(gsm_text)
def test_gsm_units_count_extension_twice(text: str) -> None:
    extension = sum(ch in GSM7_EXTENSION for ch in text)
    assert length_units(text) == len(text) + extension


@given(st.text())
def test_ucs2_units_are_utf16_code_units(text: str) -> None:
    assume(not is_gsm7(text))
    assert length_units(text) == len(text.encode("utf-16-le")) // 2
