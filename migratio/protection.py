"""Limits every operation must pass before it runs: depth, tokens, aliases, cost; no introspection in production."""

from collections.abc import Callable

from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from migratio.settings import Settings
from schema.limits import cost_limit


def protection_extensions(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    cost_rule = cost_limit(settings.graphql_max_cost)
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: QueryDepthLimiter(max_depth=settings.graphql_max_depth),
        lambda: MaxTokensLimiter(max_token_count=settings.graphql_max_tokens),
        lambda: MaxAliasesLimiter(max_alias_count=settings.graphql_max_aliases),
        lambda: AddValidationRules([cost_rule]),
    ]
    if settings.environment == "production":
        extensions.append(DisableIntrospection)
    return extensions
