"""Limits every operation must pass before it runs: tokens, page sizes, depth, aliases, fields, cost; no
introspection in production."""

from collections.abc import Callable

from strawberry.extensions import DisableIntrospection, MaxTokensLimiter, SchemaExtension

from migratio.settings import Settings
from schema.limits import QueryShapeLimits, ShapeLimits


def protection_extensions(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    limits = ShapeLimits(
        max_depth=settings.graphql_max_depth,
        max_aliases=settings.graphql_max_aliases,
        max_fields=settings.graphql_max_fields,
        max_cost=settings.graphql_max_cost,
    )
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: MaxTokensLimiter(max_token_count=settings.graphql_max_tokens),
        lambda: QueryShapeLimits(limits),
    ]
    if settings.environment == "production":
        extensions.append(DisableIntrospection)
    return extensions
