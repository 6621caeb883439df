"""The one schema, composed here (not in schema/) because resolvers see the concrete Context.

Each area contributes its Query, Mutation and Subscription roots.
"""

from collections.abc import Callable, Sequence
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from resolvers.health import HealthQuery, HealthSubscription


@strawberry.type
class SystemMutation:
    @strawberry.mutation(description="Echoes its input; a harmless mutation for clients to check their setup.")
    def ping(self, message: str = "pong") -> str:
        return message


Query = merge_types("Query", (HealthQuery,))
Mutation = merge_types("Mutation", (SystemMutation,))
Subscription = merge_types("Subscription", (HealthSubscription,))


class MigratioSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """The ErrorCodes extension logs what needs logging, once; strawberry's default would log every error."""


def build_schema(extensions: Sequence[Callable[[], SchemaExtension]] = ()) -> strawberry.Schema:
    schema_extensions: list[Any] = list(extensions)
    return MigratioSchema(query=Query, mutation=Mutation, subscription=Subscription, extensions=schema_extensions)
