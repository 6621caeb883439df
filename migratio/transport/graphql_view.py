"""Strawberry's ASGI view (made to speak GraphQL over HTTP in graphql_http.py) with our typed Context, and the
extension that reports per-request facts."""

from collections.abc import Mapping
from typing import Any, cast

from graphql import GraphQLFormattedError
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.exceptions import ConnectionRejectionError
from strawberry.extensions import SchemaExtension
from strawberry.http import GraphQLHTTPResponse
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler
from strawberry.subscriptions.protocols.graphql_transport_ws.types import ErrorMessage as TransportErrorMessage
from strawberry.subscriptions.protocols.graphql_transport_ws.types import SubscribeMessage
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler
from strawberry.subscriptions.protocols.graphql_ws.types import ErrorMessage as LegacyErrorMessage
from strawberry.subscriptions.protocols.graphql_ws.types import StartMessage
from strawberry.types.unset import UNSET, UnsetType

from datasources.mongo.monitoring import CommandTally, current_tally
from domain.errors import ErrorCode
from domain.users.model import ANONYMOUS, RequestMeta, Viewer
from domain.users.service import Identity
from domain.users.sessions import authenticate, authenticate_api_key
from migratio.observability import request_id_var
from migratio.transport.graphql_http import GraphQLOverHTTP
from migratio.wiring.services import Services
from schema.context import Context

FORBIDDEN_CLOSE = 4403
"""graphql-ws clients retry this close (4401 they do not): they reconnect, reading connectionParams afresh."""


_NOT_LISTED: GraphQLFormattedError = {
    "message": "only the apps' own operations run here",
    "extensions": {"code": "FORBIDDEN"},
}


class TransportWSSubscriptions(BaseGraphQLTransportWSHandler[Context, None]):
    """Each subscribe re-checks the token; a stale one closes the socket so the client reconnects fresh."""

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        if await _closed_if_stale(self):
            return
        if not cast("MigratioGraphQL", self.view).persisted_queries.allows(message["payload"].get("query")):
            await self.send_message(TransportErrorMessage(id=message["id"], type="error", payload=[_NOT_LISTED]))
            return
        await super().handle_subscribe(message)


class LegacyWSSubscriptions(BaseGraphQLWSHandler[Context, None]):
    """The same checks for clients of the older graphql-ws (subscriptions-transport-ws) protocol."""

    async def handle_start(self, message: StartMessage) -> None:
        if await _closed_if_stale(self):
            return
        if not cast("MigratioGraphQL", self.view).persisted_queries.allows(message["payload"].get("query")):
            await self.send_message(LegacyErrorMessage(id=message["id"], type="error", payload=_NOT_LISTED))
            return
        await super().handle_start(message)


async def _closed_if_stale(
    handler: BaseGraphQLTransportWSHandler[Context, None] | BaseGraphQLWSHandler[Context, None],
) -> bool:
    """Closes an acknowledged socket whose token is no longer accepted; True when it did."""
    view = cast("MigratioGraphQL", handler.view)
    if not handler.connection_acknowledged or await view.reauthenticate(handler.context):
        return False
    await handler.websocket.close(code=FORBIDDEN_CLOSE, reason="Forbidden: sign in again or refresh the token")
    return True


class MigratioGraphQL(GraphQLOverHTTP):
    graphql_transport_ws_handler_class = TransportWSSubscriptions
    graphql_ws_handler_class = LegacyWSSubscriptions

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
            loaders=self.services.request_loaders(),
            new_loaders=self.services.request_loaders,
            query_stats=tally,
            viewer=await self._viewer(request),
            meta=request_meta(request),
        )

    async def _viewer(self, request: Request | WebSocket) -> Viewer:
        """Who sent the request; the response cache may have resolved it already."""
        viewer = getattr(request.state, "viewer", None)
        if isinstance(viewer, Viewer):
            return viewer
        return await resolve_viewer(
            self.services.identity, request.headers.get("authorization"), request.headers.get("x-api-key")
        )

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """Browsers cannot set websocket headers: the token comes in connection_init's payload instead."""
        if not await self.reauthenticate(context):
            raise ConnectionRejectionError({"message": context.viewer.auth_error or "invalid token"})
        return UNSET

    async def reauthenticate(self, context: Context) -> bool:
        """Checks the connection's token (again): a socket outlives its access token, and a session may have
        ended since it connected. False when a token was given and is no longer accepted."""
        params = context.connection_params or {}
        token = params.get("authorization") or params.get("Authorization")
        if token is None:
            return True
        context.viewer = await resolve_viewer(self.services.identity, str(token), None)
        return context.viewer.is_user

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        response.headers.update(rate_limit_headers(response_data))
        return response


def request_meta(connection: HTTPConnection) -> RequestMeta:
    """The client's address as uvicorn sees it (X-Forwarded-For only from its trusted proxies)."""
    ip = connection.client.host if connection.client else "unknown"
    return RequestMeta(ip=ip, user_agent=connection.headers.get("user-agent"))


async def resolve_viewer(identity: Identity, authorization: str | None, api_key: str | None) -> Viewer:
    if api_key:
        return await authenticate_api_key(identity, api_key)
    if not authorization:
        return ANONYMOUS
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return Viewer(auth_error="send the access token as 'Authorization: Bearer <token>'")
    return await authenticate(identity, token.strip())


def rate_limit_headers(response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse]) -> Mapping[str, str]:
    """RATE_LIMITED errors also speak HTTP: Retry-After and the RateLimit-* fields, for proxies and clients."""
    results: list[Any] = response_data if isinstance(response_data, list) else [response_data]
    extensions: list[dict[str, Any]] = [
        error.get("extensions") or {} for result in results for error in result.get("errors") or []
    ]
    limited = [ext for ext in extensions if ext.get("code") == ErrorCode.RATE_LIMITED.value]
    if not limited:
        return {}
    retry_after = max(int(str(ext.get("retryAfter", 1))) for ext in limited)
    headers = {"Retry-After": str(retry_after), "RateLimit-Remaining": "0", "RateLimit-Reset": str(retry_after)}
    limits = [int(str(ext["limit"])) for ext in limited if "limit" in ext]
    if limits:
        headers["RateLimit-Limit"] = str(min(limits))
    return headers


class ResponseExtensions(SchemaExtension):
    """Copies what resolvers noted (e.g. a search fallback) and, where exposed, the Mongo round-trip count to
    `extensions`."""

    def __init__(self, expose_query_stats: bool) -> None:
        self.expose_query_stats = expose_query_stats

    def get_results(self) -> dict[str, Any]:
        context = self.execution_context.context
        if not isinstance(context, Context):
            return {}
        results: dict[str, Any] = dict(context.response_extensions)
        if self.expose_query_stats:
            results["mongoCommands"] = context.query_stats.count
        return results
