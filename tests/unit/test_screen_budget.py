"""Every screen of every journey fits the budget in every language, with worst-case values."""

from gateway.commerce.catalog.terms import NAME_MAX
from gateway.commerce.people.callers import Caller
from menus.budget import _pages
from menus.budget import check
from menus.journeys.registry import SCREENS
from menus.render import Budget
from menus.render import split_text


def test_every_screen_fits_160_characters_in_every_language():
    assert check(Budget()) == []


def test_a_screen_over_budget_is_named_with_its_language():
    problems = check(Budget(gsm=60, ucs2=40))
    assert any(p.startswith("en screen buy.quantity") for p in problems)
    assert any(p.startswith("fr screen buy.placed") for p in problems)


def test_the_check_command_fails_naming_the_screen(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["screens", "check"]).exit_code == 0
    engine = app.extensions["sokoni"].engine
    kept, engine.budget = engine.budget, Budget(gsm=60, ucs2=40)
    try:
        result = runner.invoke(args=["screens", "check"])
    finally:
        engine.budget = kept
    assert result.exit_code == 1 and "buy.quantity" in result.output


def test_an_arabic_screen_too_long_for_80_characters_continues_in_parts():
    caller = Caller(1, "+201001234567", "EG", "ar", "W" * NAME_MAX, None, None, frozenset())
    answers, parts = _pages(SCREENS["buy.quantity"], "ar", Budget(), caller, None)
    assert parts == len(answers) > 1
    assert all(len(answer) <= 80 for answer in answers)
    assert all(answer.endswith("98:المزيد 0:رجوع 00:البدء") for answer in answers[:-1])
    assert answers[-1].endswith("كم تريد؟\n0:رجوع 00:البدء")
    assert "".join(answers).count("W" * NAME_MAX) == 2  # the name and the seller, whole


def test_a_text_is_cut_between_words_and_at_a_line_end_when_it_fits():
    def short(limit: int):  # type: ignore[no-untyped-def]
        return lambda text: len(text) <= limit

    assert split_text("one two three", short(20), short(20)) == ["one two three"]
    assert split_text("one two\nthree four", short(9), short(10)) == ["one two", "three four"]
    assert split_text("W" * 12 + " end", short(5), short(3)) == ["WWWWW", "WWWWW", "WW", "end"]
