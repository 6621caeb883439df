"""Root fields of background jobs: read one, or follow its progress live (owner only)."""

from collections.abc import AsyncGenerator

import strawberry

from schema.context import Context
from schema.jobs import Job
from schema.permissions import IsAuthenticated, allow

Info = strawberry.Info[Context, None]


@strawberry.type
class JobsQuery:
    @strawberry.field(extensions=allow(IsAuthenticated()), description="One of your background jobs.")
    async def job(self, info: Info, id: strawberry.ID) -> Job:
        return Job.from_domain(await info.context.services.jobs.get(info.context.viewer.user_id or "", str(id)))


@strawberry.type
class JobsSubscription:
    @strawberry.subscription(
        extensions=allow(IsAuthenticated()),
        description="The job now, then its changes from any worker, until it succeeds or "
        "fails. Progress may coalesce: a subscriber that falls behind or reconnects skips "
        "intermediate steps and gets the latest; the final state always arrives.",
    )
    async def job_progress(self, info: Info, job_id: strawberry.ID) -> AsyncGenerator[Job, None]:
        async for job in info.context.services.jobs.watch(info.context.viewer.user_id or "", str(job_id)):
            yield Job.from_domain(job)
