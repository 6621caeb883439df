"""Permissions are declared, not remembered: a walk over the schema fails on any unguarded private field."""

from typing import Any

import strawberry
from graphql import (
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLUnionType,
)
from strawberry.permission import PermissionExtension
from strawberry.types.base import StrawberryObjectDefinition

from migratio.settings import Settings
from migratio.transport.protection import protection_extensions
from resolvers.root import build_schema
from schema.permissions import Private

SCHEMA = build_schema()
TYPES = SCHEMA._schema.type_map

# Root fields that return private data without a declared permission, each with the reason it is safe.
UNGUARDED_BY_DESIGN = {
    "Query.assessment": "anonymous quizzes are read with their resume token; the repository scopes to the holder",
}


def _definition(kind: GraphQLNamedType) -> StrawberryObjectDefinition | None:
    found = (kind.extensions or {}).get("strawberry-definition")
    return found if isinstance(found, StrawberryObjectDefinition) else None


def _private_types() -> dict[str, StrawberryObjectDefinition]:
    found = {}
    for name, kind in TYPES.items():
        definition = _definition(kind)
        if definition is not None and any(isinstance(d, Private) for d in definition.directives or ()):
            found[name] = definition
    return found


def _guarded(field: Any) -> bool:
    return any(isinstance(e, PermissionExtension) and e.permissions for e in field.extensions)


def _graphql_name(field: Any) -> str:
    return str(SCHEMA.config.name_converter.get_graphql_name(field))


def _named(kind: Any) -> Any:
    while isinstance(kind, GraphQLNonNull | GraphQLList):
        kind = kind.of_type
    return kind


def test_the_types_holding_personal_data_are_marked_private() -> None:
    assert {"User", "Preferences", "Session", "ApiKey", "MfaEnrolment", "ConfirmMfaPayload", "DataExport"} <= set(
        _private_types()
    )


def test_every_field_of_every_private_type_declares_a_permission() -> None:
    unguarded = [
        f"{name}.{field.name}"
        for name, definition in _private_types().items()
        for field in definition.fields
        if not _guarded(field)
    ]
    assert unguarded == []


def test_every_root_field_that_returns_a_private_type_declares_a_permission() -> None:
    private = set(_private_types())
    unguarded = []
    for root in ("Query", "Mutation"):
        definition = _definition(TYPES[root])
        assert definition is not None
        graphql_root = TYPES[root]
        assert isinstance(graphql_root, GraphQLObjectType)
        for field in definition.fields:
            returned = _named(graphql_root.fields[_graphql_name(field)].type)
            members = returned.types if isinstance(returned, GraphQLUnionType) else [returned]
            name = f"{root}.{_graphql_name(field)}"
            if {m.name for m in members} & private and not _guarded(field) and name not in UNGUARDED_BY_DESIGN:
                unguarded.append(name)
    assert unguarded == []


def test_no_input_type_can_carry_a_role() -> None:
    carrying = [
        name
        for name, kind in TYPES.items()
        if isinstance(kind, GraphQLInputObjectType) and any("role" in field.lower() for field in kind.fields)
    ]
    assert carrying == []


def test_only_set_user_role_takes_a_role_argument() -> None:
    mutation = TYPES["Mutation"]
    assert isinstance(mutation, GraphQLObjectType)
    taking = [
        name
        for name, field in mutation.fields.items()
        if any(_named(arg.type).name == "Role" for arg in field.args.values())
    ]
    assert taking == ["setUserRole"]


def test_the_sdl_shows_who_may_call_each_protected_field() -> None:
    sdl = SCHEMA.as_str()
    assert "me: User! @isAuthenticated" in sdl
    assert "setUserRole(userId: ID!, role: Role!): User! @isAdmin" in sdl
    assert "passportNumber: String @isOwner" in sdl
    assert "type User @private {" in sdl


def _protected(environment: str) -> strawberry.Schema:
    return build_schema(
        protection_extensions(Settings(environment="test").model_copy(update={"environment": environment}))
    )


def test_introspection_is_refused_in_production() -> None:
    result = _protected("production").execute_sync("{ __schema { queryType { name } } }")
    assert result.errors and "introspection" in result.errors[0].message.lower()


def test_introspection_works_outside_production() -> None:
    result = _protected("development").execute_sync("{ __schema { queryType { name } } }")
    assert result.errors is None and result.data == {"__schema": {"queryType": {"name": "Query"}}}


def test_every_exception_to_the_rule_names_a_real_field() -> None:
    roots = {f"{root}.{name}" for root in ("Query", "Mutation") for name in TYPES[root].fields}  # type: ignore[attr-defined]
    assert set(UNGUARDED_BY_DESIGN) <= roots
