"""Root fields of roadmaps and their PDF reports: each reads args and context and makes one domain call."""

from datetime import date

import strawberry

from domain.roadmaps.model import TaskStatus
from schema.context import Context
from schema.jobs import Job
from schema.permissions import IsAuthenticated, allow
from schema.roadmaps import Report, RequestReportPayload, Roadmap

Info = strawberry.Info[Context, None]


def _user(info: Info) -> str:
    return info.context.viewer.user_id or ""


@strawberry.type
class RoadmapsQuery:
    @strawberry.field(extensions=allow(IsAuthenticated()), description="One of your roadmaps.")
    async def roadmap(self, info: Info, id: strawberry.ID) -> Roadmap:
        state = await info.context.services.roadmaps.get(_user(info), str(id))
        return Roadmap.from_domain(state.roadmap, state.verified_categories)

    @strawberry.field(extensions=allow(IsAuthenticated()), description="Your roadmaps, newest first.")
    async def my_roadmaps(self, info: Info) -> list[Roadmap]:
        found = await info.context.services.roadmaps.mine(_user(info))
        return [Roadmap.from_domain(s.roadmap, s.verified_categories) for s in found]

    @strawberry.field(
        extensions=allow(IsAuthenticated()), description="One of your reports, with a download link once it is ready."
    )
    async def report(self, info: Info, id: strawberry.ID) -> Report:
        reports = info.context.services.reports
        found = await reports.get(_user(info), str(id))
        return Report.from_domain(found, reports.download_url(found))


@strawberry.type
class RoadmapsMutation:
    @strawberry.mutation(
        extensions=allow(IsAuthenticated()),
        description="Plan a program from `startDate` with your latest completed assessment. "
        "`countriesLivedIn` overrides the countries read from your answers.",
    )
    async def create_roadmap(
        self, info: Info, program_slug: str, start_date: date, countries_lived_in: list[str] | None = None
    ) -> Roadmap:
        state = await info.context.services.roadmaps.create(_user(info), program_slug, start_date, countries_lived_in)
        return Roadmap.from_domain(state.roadmap, state.verified_categories)

    @strawberry.mutation(extensions=allow(IsAuthenticated()), description="Move one task of your roadmap along.")
    async def update_roadmap_task(
        self, info: Info, roadmap_id: strawberry.ID, task_key: str, status: TaskStatus
    ) -> Roadmap:
        state = await info.context.services.roadmaps.update_task(_user(info), str(roadmap_id), task_key, status)
        return Roadmap.from_domain(state.roadmap, state.verified_categories)

    @strawberry.mutation(
        extensions=allow(IsAuthenticated()),
        description="Produce a PDF of the roadmap in the background; follow `job` with "
        "jobProgress, then read `report` for its download link.",
    )
    async def request_report(self, info: Info, roadmap_id: strawberry.ID) -> RequestReportPayload:
        report, job = await info.context.services.reports.request(_user(info), str(roadmap_id))
        return RequestReportPayload(report=Report.from_domain(report, None), job=Job.from_domain(job))
