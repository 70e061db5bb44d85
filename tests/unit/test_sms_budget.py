"""Every SMS template fits 2 segments at its worst (3 in UCS-2, as Arabic is sent); usage replies
fit one."""

from __future__ import annotations

from menus.i18n import texts
from menus.sms.budget import check_sms
from menus.sms.replies import fit
from menus.sms.replies import segments


def test_every_sms_text_fits_its_budget_in_every_language() -> None:
    assert check_sms() == []


def test_a_text_too_long_at_its_worst_is_named() -> None:
    def table(language: str) -> dict[str, str]:
        return {**texts(language), "sms.listed": texts(language)["sms.listed"] + " {name}" * 10}

    problems = check_sms(table)
    assert len(problems) == 4
    assert problems[0].startswith("en SMS sms.listed takes 3 segments at worst (max 2)")
    assert problems[3].startswith("ar SMS sms.listed takes 6 segments at worst (max 3)")


def test_a_usage_text_must_fit_one_segment() -> None:
    def table(language: str) -> dict[str, str]:
        return {**texts(language), "sms.usage": "x" * 161}

    assert [p.split(" takes")[0] for p in check_sms(table)] == [
        "en SMS sms.usage",
        "sw SMS sms.usage",
        "fr SMS sms.usage",
        "ar SMS sms.usage",
    ]


def test_an_arabic_certificate_answer_may_take_3_segments_but_usage_one() -> None:
    def table(language: str) -> dict[str, str]:
        usage = texts(language)["verify_sms.usage"] + (" تحقق" * 3 if language == "ar" else "")
        return {**texts(language), "verify_sms.usage": usage}

    assert check_sms() == []
    assert [p.split(" takes")[0] for p in check_sms(table)] == ["ar SMS verify_sms.usage"]


def test_a_placeholder_without_a_worst_case_is_a_problem() -> None:
    def table(language: str) -> dict[str, str]:
        return {**texts(language), "sms.new": "Hello {nickname}"}

    assert "en SMS sms.new: no worst-case value for ['nickname']" in check_sms(table)


def test_a_list_reply_keeps_only_the_lines_that_fit_two_segments() -> None:
    lines = [f"{i}: " + "W" * 100 for i in range(5)]
    reply = fit("en", "Cheapest maize:", lines, "sms.price_footer")
    assert segments(reply) <= 2
    assert reply.splitlines()[1:] == [lines[0], lines[1], "Order: ORDER code qty"]
