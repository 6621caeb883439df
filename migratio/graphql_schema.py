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

from resolvers.admin import AdminMutation, AdminQuery
from resolvers.assessment import AssessmentMutation, AssessmentQuery, AssessmentSubscription
from resolvers.auth import AuthMutation, AuthQuery
from resolvers.documents import DocumentsMutation, DocumentsQuery
from resolvers.health import HealthQuery, HealthSubscription
from resolvers.jobs import JobsQuery, JobsSubscription
from resolvers.program_admin import ProgramAdminMutation
from resolvers.programs import ProgramsQuery
from resolvers.recommendations import RecommendationsQuery
from resolvers.roadmaps import RoadmapsMutation, RoadmapsQuery
from resolvers.users import UsersMutation, UsersQuery

Query = merge_types(
    "Query", (HealthQuery, ProgramsQuery, UsersQuery, AuthQuery, AdminQuery, AssessmentQuery, RecommendationsQuery,
              RoadmapsQuery, DocumentsQuery, JobsQuery)
)
Mutation = merge_types(
    "Mutation", (AuthMutation, UsersMutation, AdminMutation, ProgramAdminMutation, AssessmentMutation,
                 RoadmapsMutation, DocumentsMutation)
)
Subscription = merge_types("Subscription", (HealthSubscription, AssessmentSubscription, JobsSubscription))


class MigratioSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """The ErrorCodes extension logs what needs logging, once; strawberry's default would log every error."""


def build_schema(extensions: Sequence[Callable[[], SchemaExtension]] = ()) -> strawberry.Schema:
    schema_extensions: list[Any] = list(extensions)
    return MigratioSchema(query=Query, mutation=Mutation, subscription=Subscription, extensions=schema_extensions)
