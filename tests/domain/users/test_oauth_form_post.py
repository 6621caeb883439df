"""The name Apple posts beside the code (`user`, unsigned, first sign-in only): only a usable name is taken."""

import json

import pytest

from domain.users.oauth import posted_name


def test_first_and_last_name_are_joined() -> None:
    user = {"name": {"firstName": " Ada ", "lastName": "Lovelace"}, "email": "someone@example.com"}
    assert posted_name(json.dumps(user)) == "Ada Lovelace"


def test_a_single_part_is_enough() -> None:
    assert posted_name(json.dumps({"name": {"lastName": "Lovelace"}})) == "Lovelace"


def test_a_long_name_is_cut_to_the_profile_limit() -> None:
    assert posted_name(json.dumps({"name": {"firstName": "A" * 150}})) == "A" * 100


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "not json",
        "[]",
        '"Ada"',
        '{"email": "a@example.com"}',
        '{"name": "Ada"}',
        '{"name": {"firstName": 7}}',
    ],
)
def test_anything_else_gives_no_name(raw: str | None) -> None:
    assert posted_name(raw) is None
