"""Strawberry's ASGI view, with our typed Context and the request's Mongo command count in `extensions`."""

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from datasources.loaders import Loaders
from datasources.mongo.monitoring import CommandTally, current_tally
from migratio.context import Context
from migratio.observability import request_id_var
from migratio.services import Services


class MigratioGraphQL(GraphQL[Context, None]):
    def __init__(self, schema: Any, services: Services, **options: Any) -> None:
        super().__init__(schema, **options)
        self.services = services

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        tally = CommandTally()
        current_tally.set(tally)
        return Context(
            request=request,
            services=self.services,
            request_id=request_id_var.get() or "",
            loaders=Loaders.for_request(self.services.db),
            mongo_commands=tally,
        )

    async def process_result(self, request: Request | WebSocket, result: ExecutionResult) -> GraphQLHTTPResponse:
        response = await super().process_result(request, result)
        tally = current_tally.get()
        if self.services.settings.expose_query_stats and tally is not None:
            response.setdefault("extensions", {})["mongoCommands"] = tally.count
        return response
