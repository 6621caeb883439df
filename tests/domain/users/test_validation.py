"""Input rules: addresses, profile fields, and the refusal of anything Mongo would read as an operator."""

from datetime import date

import pytest

from domain.errors import BadUserInput
from domain.users.validation import (
    check_date_of_birth,
    check_passport_number,
    check_ui_settings,
    normalise_email,
)


def test_an_email_is_trimmed_and_lower_cased() -> None:
    assert normalise_email("  Ann.Smith+visa@Example.COM ") == "ann.smith+visa@example.com"


@pytest.mark.parametrize(
    "email",
    ["$gt", "{'$ne': ''}", "ann@example", "ann example@x.com", "a@b.c$where", "", "@example.com", "ann@@example.com"],
)
def test_operator_shaped_or_malformed_emails_are_bad_user_input(email: str) -> None:
    with pytest.raises(BadUserInput) as refused:
        normalise_email(email)
    assert refused.value.details == {"field": "email"}


def test_an_email_that_is_not_a_string_is_refused() -> None:
    with pytest.raises(BadUserInput):
        normalise_email({"$gt": ""})  # type: ignore[arg-type]


@pytest.mark.parametrize("settings", [{"$where": "1"}, {"theme": {"$gt": 1}}, {"a.b": 1}, {"list": [{"$ne": 0}]}])
def test_ui_settings_with_operator_or_dotted_keys_are_refused(settings: dict[str, object]) -> None:
    with pytest.raises(BadUserInput) as refused:
        check_ui_settings(settings)
    assert refused.value.details == {"field": "ui"}


def test_ui_settings_keep_plain_json_including_dollar_values() -> None:
    assert check_ui_settings({"theme": "dark", "hint": "$5 off", "seen": [1, 2]}) == {
        "theme": "dark",
        "hint": "$5 off",
        "seen": [1, 2],
    }


def test_ui_settings_over_4_kb_are_refused() -> None:
    with pytest.raises(BadUserInput):
        check_ui_settings({"blob": "x" * 5000})


def test_ui_settings_nested_deeper_than_five_levels_are_refused() -> None:
    with pytest.raises(BadUserInput):
        check_ui_settings({"a": {"b": {"c": {"d": {"e": {"f": {"g": 1}}}}}}})


def test_a_passport_number_is_upper_cased_without_spaces() -> None:
    assert check_passport_number("ab 123 4567") == "AB1234567"


def test_a_date_of_birth_in_the_future_is_refused() -> None:
    with pytest.raises(BadUserInput):
        check_date_of_birth(date(2030, 1, 1), today=date(2026, 3, 1))
