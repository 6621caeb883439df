"""Every page argument declares its largest page, so the shape limits refuse a larger (or negative) one before
the cost is computed."""

from graphql import GraphQLObjectType

from resolvers.root import build_schema
from schema.limits import PAGE_ARGUMENTS
from schema.pagination import PageSize

SCHEMA = build_schema()._schema


def test_every_page_argument_declares_a_page_size() -> None:
    undeclared = [
        f"{kind.name}.{name}({arg})"
        for kind in SCHEMA.type_map.values()
        if isinstance(kind, GraphQLObjectType) and not kind.name.startswith("__")
        for name, field in kind.fields.items()
        for arg, spec in field.args.items()
        if arg in PAGE_ARGUMENTS
        and not any(
            isinstance(d, PageSize) for d in getattr(spec.extensions.get("strawberry-definition"), "directives", ())
        )
    ]
    assert undeclared == []
