"""The password policy, as a pure rule."""

from domain.users.password_policy import common_passwords, password_problem


def test_the_bundled_common_password_list_has_a_few_thousand_entries() -> None:
    assert 2_000 <= len(common_passwords()) <= 5_000
    assert {"password", "123456", "qwerty", "iloveyou"} <= common_passwords()


def test_a_long_uncommon_password_is_accepted() -> None:
    assert password_problem("tangerine-lantern-42", min_length=10) is None


def test_a_password_shorter_than_the_minimum_is_refused() -> None:
    assert password_problem("short-1", min_length=10) == "password must be at least 10 characters"


def test_a_password_over_256_characters_is_refused() -> None:
    assert password_problem("x7" * 129, min_length=10) == "password must be at most 256 characters"


def test_common_passwords_are_refused_whatever_their_case() -> None:
    assert password_problem("Password123", min_length=10) == "this password is too common; choose another"
    assert password_problem("QWERTYUIOP", min_length=10) == "this password is too common; choose another"


def test_a_password_of_one_repeated_character_is_refused() -> None:
    assert password_problem("aaaaaaaaaaaa", min_length=10) == "password must use more than a few distinct characters"


def test_the_email_address_or_name_is_refused_as_a_password() -> None:
    problem = "password must not be your email address or name"
    assert password_problem("ann.smith@example.com", min_length=10, email="ann.smith@example.com") == problem
    assert password_problem("Annabelle Smith", min_length=10, name="annabelle smith") == problem
