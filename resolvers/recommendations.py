"""Root fields of recommendations: your ranked programs, one program's points, one program's gaps."""

import strawberry

from domain.recommendations.service import gap_targets
from migratio.context import Context
from schema.pagination import PageInfo, decode_cursor, encode_cursor
from schema.permissions import IsAuthenticated, allow
from schema.recommendations import GapAnalysis, PointsBreakdown, RecommendationConnection, RecommendationEdge

Info = strawberry.Info[Context, None]


def _user(info: Info) -> str:
    return info.context.viewer.user_id or ""


@strawberry.type
class RecommendationsQuery:
    @strawberry.field(extensions=allow(IsAuthenticated()),
                      description="Programs ranked by match score for your latest completed assessment.")
    async def my_recommendations(
        self, info: Info, first: int = 10, after: str | None = None
    ) -> RecommendationConnection:
        offset = decode_cursor(after)
        user_id = _user(info)
        page = await info.context.services.recommendations.ranked(user_id, offset, first)
        targets = gap_targets(page.items)
        profile, supplement = page.snapshot.profile, page.snapshot.supplement
        edges = [
            RecommendationEdge.from_domain(
                user_id, encode_cursor(offset + i), r,
                (profile, supplement, page.countries[r.program.country], page.on)
                if r.program.slug in targets else None,
            )
            for i, r in enumerate(page.items)
        ]
        return RecommendationConnection(
            owner_id=user_id,
            edges=edges,
            page_info=PageInfo(
                has_next_page=offset + len(edges) < page.total,
                has_previous_page=offset > 0,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=page.total,
            snapshot_id=strawberry.ID(page.snapshot.id),
            scored_on=page.on,
        )

    @strawberry.field(extensions=allow(IsAuthenticated()), description="Your official points for one program.")
    async def points_breakdown(self, info: Info, program_slug: str) -> PointsBreakdown:
        breakdown = await info.context.services.recommendations.points(_user(info), program_slug)
        return PointsBreakdown.of(_user(info), breakdown)

    @strawberry.field(extensions=allow(IsAuthenticated()),
                      description="The smallest changes that would improve your outcome for one program.")
    async def gap_analysis(self, info: Info, program_slug: str) -> GapAnalysis:
        report = await info.context.services.recommendations.gaps(_user(info), program_slug)
        return GapAnalysis.from_domain(_user(info), report)
