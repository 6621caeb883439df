"""Every argument a client may leave out is optional in the resolver too: leaving it out is never INTERNAL."""

from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
    get_named_type,
    is_leaf_type,
)

from migratio.settings import Settings
from resolvers.root import build_schema
from tests.builders.accounts import Account, Client, admin, signed_up
from tests.server import LiveServer

SCHEMA: GraphQLSchema = build_schema()._schema
SCALARS = {
    "ID": "no-such-id",
    "String": "x",
    "Int": 1,
    "Float": 1.0,
    "Boolean": False,
    "JSON": {},
    "Date": "2000-01-01",
    "DateTime": "2000-01-01T00:00:00+00:00",
    "Decimal": "1",
}
# Run last: each ends the caller's session or account, which the calls after it would otherwise need.
ENDS_THE_SESSION = ("deleteMyAccount", "logout", "changePassword", "disableMfa")


def _value(kind: GraphQLInputType) -> Any:
    """A value of this type, with only the required fields of input objects."""
    if isinstance(kind, GraphQLNonNull):
        return _value(kind.of_type)
    if isinstance(kind, GraphQLList):
        return [_value(kind.of_type)]
    if isinstance(kind, GraphQLEnumType):
        return next(iter(kind.values))
    if isinstance(kind, GraphQLInputObjectType):
        return {
            name: _value(field.type)
            for name, field in kind.fields.items()
            if isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
        }
    assert isinstance(kind, GraphQLScalarType)
    return SCALARS[kind.name]


def _call(root: GraphQLObjectType, name: str) -> tuple[str, dict[str, Any]]:
    """The operation calling `root.name` with its required arguments only, passed as variables."""
    field = root.fields[name]
    required = {
        arg: spec
        for arg, spec in field.args.items()
        if isinstance(spec.type, GraphQLNonNull) and spec.default_value is Undefined
    }
    declared = ", ".join(f"${arg}: {spec.type}" for arg, spec in required.items())
    passed = ", ".join(f"{arg}: ${arg}" for arg in required)
    selection = "" if is_leaf_type(get_named_type(field.type)) else " { __typename }"
    kind = "query" if root is SCHEMA.query_type else "mutation"
    document = f"{kind}{f'({declared})' if declared else ''} {{ {name}{f'({passed})' if passed else ''}{selection} }}"
    return document, {arg: _value(spec.type) for arg, spec in required.items()}


def _fields() -> list[tuple[GraphQLObjectType, str]]:
    assert SCHEMA.query_type is not None and SCHEMA.mutation_type is not None
    mutations = sorted(SCHEMA.mutation_type.fields, key=lambda name: (name in ENDS_THE_SESSION, name))
    return [(SCHEMA.query_type, name) for name in sorted(SCHEMA.query_type.fields)] + [
        (SCHEMA.mutation_type, name) for name in mutations
    ]


def test_every_nullable_argument_has_a_default() -> None:
    missing = [
        f"{kind.name}.{name}({arg})"
        for kind in SCHEMA.type_map.values()
        if isinstance(kind, GraphQLObjectType) and not kind.name.startswith("__")
        for name, field in kind.fields.items()
        for arg, spec in field.args.items()
        if not isinstance(spec.type, GraphQLNonNull) and spec.default_value is Undefined
    ]
    assert missing == []


def _internal(client: Client) -> list[str]:
    failures = []
    for root, name in _fields():
        document, variables = _call(root, name)
        body = client.gql(document, variables)
        if any((e.get("extensions") or {}).get("code") == "INTERNAL" for e in body.get("errors") or []):
            failures.append(f"{document} {variables}: {body['errors']}")
    return failures


def test_every_root_field_with_only_its_required_arguments_is_never_internal_for_a_visitor(server: LiveServer) -> None:
    assert _internal(Client(server)) == []


@pytest.mark.parametrize("role", ["user", "admin"])
def test_every_root_field_with_only_its_required_arguments_is_never_internal_when_signed_in(
    server: LiveServer, settings: Settings, role: str
) -> None:
    account: Account = admin(server, settings) if role == "admin" else signed_up(server, settings, "walker")
    assert _internal(account.client) == []


ANSWER = """mutation Answer($id: ID!, $q: String!, $value: JSON, $token: String) {
  answerQuestion(assessmentId: $id, questionId: $q, value: $value, resumeToken: $token) { assessment { id } }
}"""


def test_an_answer_without_its_value_is_bad_user_input_not_internal(server: LiveServer) -> None:
    client = Client(server)
    started = client.data(
        "mutation { startAssessment { resumeToken assessment { id progress { nextQuestion { id } } } } }"
    )["startAssessment"]
    known = {
        "id": started["assessment"]["id"],
        "q": started["assessment"]["progress"]["nextQuestion"]["id"],
        "token": started["resumeToken"],
    }
    left_out = client.gql(ANSWER, known)  # Apollo Client drops a variable whose value is undefined
    assert left_out["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", left_out
    omitted = client.gql(ANSWER.replace(", value: $value", ""), known)
    assert omitted["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", omitted
