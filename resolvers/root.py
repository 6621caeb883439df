"""The one schema, assembled where the root types live: each area contributes its Query, Mutation and
Subscription roots."""

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import strawberry
from graphql import GraphQLError, validate
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from resolvers.admin import AdminMutation, AdminQuery
from resolvers.analytics import AnalyticsMutation, AnalyticsQuery
from resolvers.assessment import AssessmentMutation, AssessmentQuery, AssessmentSubscription
from resolvers.auth import AuthMutation, AuthQuery
from resolvers.billing import BillingMutation, BillingQuery
from resolvers.documents import DocumentsMutation, DocumentsQuery
from resolvers.health import HealthQuery, HealthSubscription
from resolvers.jobs import JobsQuery, JobsSubscription
from resolvers.notifications import NotificationsMutation, NotificationsQuery
from resolvers.oauth import OAuthMutation, OAuthQuery
from resolvers.program_admin import ProgramAdminMutation
from resolvers.programs import ProgramsQuery
from resolvers.recommendations import RecommendationsQuery
from resolvers.roadmaps import RoadmapsMutation, RoadmapsQuery
from resolvers.users import UsersMutation, UsersQuery
from schema.document_cache import CachedDocuments, DocumentCache

Query = merge_types(
    "Query",
    (
        HealthQuery,
        ProgramsQuery,
        BillingQuery,
        UsersQuery,
        AuthQuery,
        AdminQuery,
        AssessmentQuery,
        RecommendationsQuery,
        RoadmapsQuery,
        DocumentsQuery,
        JobsQuery,
        NotificationsQuery,
        OAuthQuery,
        AnalyticsQuery,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        AuthMutation,
        BillingMutation,
        UsersMutation,
        AdminMutation,
        ProgramAdminMutation,
        AssessmentMutation,
        RoadmapsMutation,
        DocumentsMutation,
        NotificationsMutation,
        OAuthMutation,
        AnalyticsMutation,
    ),
)
Subscription = merge_types("Subscription", (HealthSubscription, AssessmentSubscription, JobsSubscription))


class MigratioSchema(strawberry.Schema):
    hide_suggestions = False
    """Production: no "Did you mean …" naming fields, arguments, enum values or input fields of the schema."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """The ErrorCodes extension logs what needs logging, once; strawberry's default would log every error."""

    def _get_custom_context_kwargs(
        self, operation_extensions: dict[str, Any] | None = None, *, sync: bool = False
    ) -> dict[str, Any]:
        """graphql-core's execute coerces variables; strawberry has no option to pass it hide_suggestions."""
        kwargs = super()._get_custom_context_kwargs(operation_extensions, sync=sync)
        if self.hide_suggestions:
            kwargs["hide_suggestions"] = True
        return kwargs


class ValidationWithoutSuggestions(SchemaExtension):
    """Runs strawberry's validation itself, with graphql-core's hide_suggestions (strawberry then skips its own)."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None and context.pre_execution_errors is None:
            rules = (*context.validation_rules, MaybeNullValidationRule, OneOfInputValidationRule)
            context.pre_execution_errors = validate(
                context.schema._schema, context.graphql_document, rules, hide_suggestions=True
            )
        yield


def build_schema(
    extensions: Sequence[Callable[[], SchemaExtension]] = (), *, hide_suggestions: bool = False
) -> strawberry.Schema:
    documents = DocumentCache()
    # After the shape limits (a document they refuse is never validated), before validation itself.
    schema_extensions: list[Any] = [*extensions, lambda: CachedDocuments(documents)]
    if hide_suggestions:
        schema_extensions.append(ValidationWithoutSuggestions)  # last: after the shape limits
    schema = MigratioSchema(query=Query, mutation=Mutation, subscription=Subscription, extensions=schema_extensions)
    schema.hide_suggestions = hide_suggestions
    return schema
