"""Catalog writes, for admins only: create, update, pause, archive, reindex. Every write is a new version."""

import strawberry

from domain.programs.model import Status
from schema.context import Context
from schema.permissions import IsAdmin, allow
from schema.program_inputs import CreateProgramInput, UpdateProgramInput
from schema.programs import Program

Info = strawberry.Info[Context, None]


@strawberry.type
class ProgramAdminMutation:
    @strawberry.mutation(extensions=allow(IsAdmin()), description="Add a program (version 1).")
    async def create_program(self, info: Info, input: CreateProgramInput) -> Program:
        catalog = info.context.services.catalog
        return Program.from_record(await catalog.create(input.to_data(), info.context.viewer.user_id))

    @strawberry.mutation(
        extensions=allow(IsAdmin()),
        description="Change a program; `expectedVersion` is the version you read (a stale one is refused).",
    )
    async def update_program(self, info: Info, slug: str, expected_version: int, input: UpdateProgramInput) -> Program:
        catalog = info.context.services.catalog
        record = await catalog.update(slug, input.to_changes(), expected_version, info.context.viewer.user_id)
        return Program.from_record(record)

    @strawberry.mutation(extensions=allow(IsAdmin()), description="Stop showing a program for now.")
    async def pause_program(self, info: Info, slug: str, expected_version: int) -> Program:
        return await _set_status(info, slug, Status.PAUSED, expected_version)

    @strawberry.mutation(extensions=allow(IsAdmin()), description="Mark a program closed for good.")
    async def archive_program(self, info: Info, slug: str, expected_version: int) -> Program:
        return await _set_status(info, slug, Status.CLOSED, expected_version)

    @strawberry.mutation(extensions=allow(IsAdmin()), description="Show a paused or closed program again.")
    async def activate_program(self, info: Info, slug: str, expected_version: int) -> Program:
        return await _set_status(info, slug, Status.ACTIVE, expected_version)

    @strawberry.mutation(
        extensions=allow(IsAdmin()), description="Rebuild the search index beside the old one, then swap."
    )
    async def reindex_programs(self, info: Info) -> str:
        return await info.context.services.catalog.reindex()


async def _set_status(info: Info, slug: str, status: Status, expected_version: int) -> Program:
    catalog = info.context.services.catalog
    record = await catalog.set_status(slug, status, expected_version, info.context.viewer.user_id)
    return Program.from_record(record)
