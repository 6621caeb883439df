"""Every error leaves with a stable `extensions.code`, and internals never leak unless debug is on."""

import strawberry
from pymongo.errors import ServerSelectionTimeoutError

from domain.errors import NotFound
from migratio.transport.errors import translate_infrastructure_error
from schema.errors import ErrorCodes


@strawberry.type
class _Query:
    @strawberry.field
    def missing(self) -> str:
        raise NotFound("no such program", slug="atlantis")

    @strawberry.field
    def broken(self) -> str:
        raise RuntimeError("secret connection string mongodb://admin:pw@db")

    @strawberry.field
    def database_down(self) -> str:
        raise ServerSelectionTimeoutError("no servers")


def _run(query: str, debug: bool = False) -> list[dict[str, object]]:
    schema = strawberry.Schema(
        query=_Query, extensions=[lambda: ErrorCodes(debug=debug, translate=translate_infrastructure_error)]
    )
    result = schema.execute_sync(query)
    assert result.errors
    return [e.formatted for e in result.errors]  # type: ignore[misc]


def test_domain_error_keeps_message_code_and_details() -> None:
    [error] = _run("{ missing }")
    assert error["message"] == "no such program"
    assert error["extensions"] == {"code": "NOT_FOUND", "slug": "atlantis"}


def test_unexpected_error_is_masked_as_internal() -> None:
    [error] = _run("{ broken }")
    assert error["message"] == "Internal server error."
    assert error["extensions"] == {"code": "INTERNAL"}
    assert "mongodb://" not in str(error)


def test_debug_shows_the_internal_error() -> None:
    [error] = _run("{ broken }", debug=True)
    assert "RuntimeError" in str(error["message"])


def test_unreachable_database_is_unavailable() -> None:
    [error] = _run("{ databaseDown }")
    assert error["extensions"] == {"code": "UNAVAILABLE", "dependency": "mongodb"}


def test_syntax_and_validation_errors_are_bad_user_input() -> None:
    [syntax] = _run("{ missing")
    [unknown] = _run("{ nope }")
    assert syntax["extensions"] == {"code": "BAD_USER_INPUT"}
    assert unknown["extensions"] == {"code": "BAD_USER_INPUT"}
