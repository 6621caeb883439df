"""Catalog root fields: browse and search programs, read one, list countries."""

from typing import Annotated

import strawberry

from domain.programs.model import Category, Status
from domain.programs.ports import ProgramFilter as DomainFilter
from domain.programs.service import MAX_PAGE
from schema.context import Context
from schema.pagination import PageInfo, decode_cursor, encode_cursor, page_size
from schema.programs import (
    CategoryFacetCount,
    Country,
    FacetCount,
    Program,
    ProgramConnection,
    ProgramEdge,
    ProgramFacets,
    ProgramFilter,
)


def _filter(given: ProgramFilter | None) -> DomainFilter:
    if given is None:
        return DomainFilter()
    return DomainFilter(
        countries=tuple(c.upper() for c in given.countries or ()),
        categories=tuple(Category(c) for c in given.categories or ()),
        statuses=tuple(Status(s) for s in given.statuses) if given.statuses else (Status.ACTIVE,),
    )


@strawberry.type
class ProgramsQuery:
    @strawberry.field(description="Programs, filtered and (with `search`) ranked by relevance, typo-tolerant.")
    async def programs(
        self,
        info: strawberry.Info[Context, None],
        filter: ProgramFilter | None = None,
        search: str | None = None,
        first: Annotated[int, page_size(MAX_PAGE)] = 20,
        after: str | None = None,
    ) -> ProgramConnection:
        offset = decode_cursor(after)
        page = await info.context.services.catalog.list_programs(search, _filter(filter), offset, first)
        info.context.response_extensions["search"] = {"backend": page.backend, "degraded": page.degraded}
        edges = [
            ProgramEdge(
                cursor=encode_cursor(offset + i),
                node=Program.from_record(record),
                highlights=list(page.highlights.get(record.program.slug, ())),
            )
            for i, record in enumerate(page.records)
        ]
        return ProgramConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=offset + len(edges) < page.total,
                has_previous_page=offset > 0,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=page.total,
            facets=ProgramFacets(
                countries=[FacetCount.from_domain(f) for f in page.facets.countries],
                categories=[CategoryFacetCount.from_domain(f) for f in page.facets.categories],
            ),
        )

    @strawberry.field(description="One program by its slug, whatever its status.")
    async def program(self, info: strawberry.Info[Context, None], slug: str) -> Program:
        return Program.from_record(await info.context.services.catalog.get(slug))

    @strawberry.field(description="Countries that have programs in the catalog.")
    async def countries(self, info: strawberry.Info[Context, None]) -> list[Country]:
        return [Country.from_domain(c) for c in await info.context.services.catalog.list_countries()]
