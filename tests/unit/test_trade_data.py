"""Trade data as files: Common Lists per pair with their thresholds, STR members, HS headings
per category, land borders; and certificate codes people can read without confusion."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from config import trade
from config.countries import COUNTRIES
from config.neighbours import BORDERS
from config.neighbours import PARTS
from config.neighbours import nearness
from config.neighbours import neighbours
from gateway.commerce.origin.certificates import CODE_ALPHABET
from gateway.commerce.origin.certificates import CODE_LENGTH
from gateway.commerce.origin.certificates import new_code
from gateway.commerce.origin.certificates import normalise_code
from gateway.commerce.origin.certificates import shown_name
from gateway.commerce.origin.headings import InvalidHeading
from gateway.commerce.origin.headings import checked_heading
from gateway.commerce.origin.headings import named_heading
from gateway.store.models.people import Person


def test_every_common_list_file_reads_and_is_named_for_its_pair():
    lists = trade.common_lists()
    assert {"KE-UG", "RW-UG", "BI-RW", "MW-ZW", "MW-ZM", "ZM-ZW"} <= lists.keys()
    for name, found in lists.items():
        assert trade.pair_name(*found.countries) == name
        assert all(trade.HEADING.fullmatch(h) for h in found.goods)


def test_a_pair_is_found_in_either_order_with_its_own_threshold():
    assert trade.common_list("UG", "KE") is trade.common_list("KE", "UG")
    assert trade.common_list("KE", "UG").threshold_usd == 2000
    assert trade.common_list("ZW", "MW").threshold_usd == 1000
    assert trade.common_list("KE", "EG") is None


def test_maize_is_on_the_kenya_uganda_common_list():
    assert "10.05" in trade.common_list("KE", "UG").goods


def test_the_str_members_are_comesa_members_and_exclude_the_dr_congo():
    members = trade.str_members()
    assert members <= COUNTRIES.keys() and {"KE", "UG"} <= members and "CD" not in members


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('countries = ["KE", "UG"]\nthreshold_usd = -5', "threshold_usd"),
        ('countries = ["KE", "UG"]\n[goods]\n"1005" = "Maize"', "HS headings"),
        ('countries = ["KE", "RW"]', "named for"),
        ("countries = [", "KE-UG.toml"),
    ],
)
def test_a_common_list_that_cannot_be_used_names_its_file_and_why(tmp_path, text, problem):
    path = tmp_path / "KE-UG.toml"
    path.write_text(text)
    with pytest.raises(trade.BadTradeData, match=problem):
        trade._common_list(path)


@pytest.mark.parametrize(
    ("category", "name", "heading"),
    [
        ("grains", "Maize", "10.05"),
        ("grains", "Mahindi meupe", "10.05"),
        ("grains", "Maize flour", "11.02"),
        ("grains", "Unga wa mahindi", "11.02"),
        ("grains", "Haricots rouges", "07.13"),
        ("vegetables", "Sweet potatoes", "07.14"),
        ("vegetables", "Irish potatoes", "07.01"),
        ("fruit", "Matooke", "08.03"),
        ("grains", "Teff", None),
        ("other", "Maize", None),
    ],
)
def test_a_name_points_to_a_heading_within_its_category_in_any_language(category, name, heading):
    assert named_heading(category, name) == heading


def test_every_category_heading_in_the_file_is_well_formed():
    for table in trade.category_headings().values():
        assert table.default is None or trade.HEADING.fullmatch(table.default)


@pytest.mark.parametrize(
    ("typed", "stored"), [("10.05", "10.05"), ("1005", "10.05"), (" 07 13", "07.13")]
)
def test_operators_type_headings_with_or_without_the_dot(typed, stored):
    assert checked_heading(typed) == stored


@pytest.mark.parametrize("typed", ["", "10", "10.051", "ab.cd"])
def test_a_heading_that_is_not_four_digits_is_refused(typed):
    with pytest.raises(InvalidHeading):
        checked_heading(typed)


def test_borders_are_between_members_and_every_member_is_in_one_part_of_the_region():
    assert {iso for pair in BORDERS for iso in pair} <= COUNTRIES.keys()
    assert sorted(iso for members in PARTS.values() for iso in members) == sorted(COUNTRIES)


@given(a=st.sampled_from(sorted(COUNTRIES)), b=st.sampled_from(sorted(COUNTRIES)))
def test_a_border_is_shared_both_ways(a, b):
    assert (b in neighbours(a)) == (a in neighbours(b))
    assert nearness(a, b) == nearness(b, a)


def test_uganda_is_nearest_to_kenya_then_rwanda_then_egypt():
    assert [nearness("KE", iso) for iso in ("UG", "RW", "EG")] == [0, 1, 2]


def test_certificate_codes_use_no_look_alike_characters():
    assert not set(CODE_ALPHABET) & set("01OILQSZB")
    code = new_code(lambda code: False)
    assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)


def test_a_code_is_read_however_it_is_typed_and_a_malformed_one_is_no_code():
    assert normalise_code("7km3-px9a rd") == "7KM3PX9ARD"
    assert normalise_code("7KM3PX9AR") is None
    assert normalise_code("7KM3PX9AR0") is None


def test_a_certificate_names_a_person_without_a_name_by_a_partly_hidden_number():
    assert shown_name(Person(phone="+256772123456", name=None)) == "+256******456"
    assert shown_name(Person(phone="+256772123456", name="Wanjiru Farm")) == "Wanjiru Farm"
