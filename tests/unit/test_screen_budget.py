"""Every screen of every journey fits the budget in every language, with worst-case values."""

from menus.budget import check
from menus.render import Budget


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
