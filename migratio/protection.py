"""Limits every operation must pass before it runs: depth, tokens, aliases, cost; no introspection in production."""

from collections.abc import Callable

from strawberry.extensions import (
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from migratio.settings import Settings
from schema.limits import QueryCostLimit


def protection_extensions(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: QueryDepthLimiter(max_depth=settings.graphql_max_depth),
        lambda: MaxTokensLimiter(max_token_count=settings.graphql_max_tokens),
        lambda: MaxAliasesLimiter(max_alias_count=settings.graphql_max_aliases),
        lambda: QueryCostLimit(settings.graphql_max_cost),
    ]
    if settings.environment == "production":
        extensions.append(DisableIntrospection)
    return extensions
