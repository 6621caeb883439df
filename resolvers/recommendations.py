"""Root fields of recommendations: your ranked programs, one program's points, one program's gaps."""

from datetime import date
from typing import Annotated

import strawberry

from domain.recommendations.service import MAX_PAGE
from schema.context import Context
from schema.pagination import decode_cursor, page_size
from schema.permissions import IsAuthenticated, allow
from schema.recommendations import GapAnalysis, PointsBreakdown, RecommendationConnection

Info = strawberry.Info[Context, None]
ON = "Score under the rules in force on this day (default today); ages and test validity move with it"


def _user(info: Info) -> str:
    return info.context.viewer.user_id or ""


@strawberry.type
class RecommendationsQuery:
    @strawberry.field(
        extensions=allow(IsAuthenticated()),
        description="Programs ranked by match score for your latest completed assessment.",
    )
    async def my_recommendations(
        self,
        info: Info,
        first: Annotated[int, page_size(MAX_PAGE)] = 10,
        after: str | None = None,
        on: Annotated[date | None, strawberry.argument(description=ON)] = None,
    ) -> RecommendationConnection:
        page = await info.context.services.recommendations.ranked(_user(info), decode_cursor(after), first, on)
        return RecommendationConnection.from_page(_user(info), page)

    @strawberry.field(extensions=allow(IsAuthenticated()), description="Your official points for one program.")
    async def points_breakdown(
        self, info: Info, program_slug: str, on: Annotated[date | None, strawberry.argument(description=ON)] = None
    ) -> PointsBreakdown:
        breakdown = await info.context.services.recommendations.points(_user(info), program_slug, on)
        return PointsBreakdown.of(_user(info), breakdown)

    @strawberry.field(
        extensions=allow(IsAuthenticated()),
        description="The smallest changes that would improve your outcome for one program.",
    )
    async def gap_analysis(
        self, info: Info, program_slug: str, on: Annotated[date | None, strawberry.argument(description=ON)] = None
    ) -> GapAnalysis:
        report = await info.context.services.recommendations.gaps(_user(info), program_slug, on)
        return GapAnalysis.from_domain(_user(info), report)
