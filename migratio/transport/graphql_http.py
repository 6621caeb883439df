"""GraphQL over HTTP (https://graphql.github.io/graphql-over-http/draft/) on top of strawberry's ASGI view.

What strawberry lacks and this adds: `application/graphql-response+json` with its status codes, 406 for an
Accept that allows neither JSON type, 415 for other bodies, 405 (with Allow) for a mutation over GET,
Cache-Control on GET, automatic persisted queries (or an allowlist), GraphiQL's files served locally, and size
caps: the body (413), the query text and JSON nesting (400), a websocket message (closed with 1009).
"""

import json
from collections.abc import AsyncGenerator, Mapping
from dataclasses import dataclass
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException, parse_content_type
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.base import BaseRequestProtocol
from strawberry.http.exceptions import NonJsonMessageReceived, NonTextMessageReceived
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult

from domain.errors import ErrorCode
from migratio.transport.graphiql import GraphiQLAssets
from migratio.transport.persisted_queries import (
    PERSISTED_QUERY_NOT_FOUND,
    PersistedQueries,
    PersistedQueryError,
    requested_hash,
)
from migratio.transport.response_cache import ResponseCache
from schema.context import Context

APPLICATION_JSON = "application/json"
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
# Which 4xx/5xx a request error earns under application/graphql-response+json; any other code is a 400.
_STATUS_BY_CODE = {
    PERSISTED_QUERY_NOT_FOUND: 404,
    ErrorCode.RATE_LIMITED.value: 429,
    ErrorCode.INTERNAL.value: 500,
    ErrorCode.UNAVAILABLE.value: 503,
}
_CREDENTIALS = ("authorization", "x-api-key")


@dataclass(frozen=True)
class RequestCaps:
    """How large a request may be before anything parses it further."""

    body_bytes: int = 256 * 1024
    query_bytes: int = 64 * 1024
    json_depth: int = 32
    ws_message_bytes: int = 64 * 1024


class JSONTooDeep(json.JSONDecodeError):
    pass


def decode_bounded_json(data: str | bytes, max_depth: int) -> object:
    """json.loads, refusing documents nested deeper than `max_depth` (checked without recursion)."""
    try:
        value = json.loads(data)
    except RecursionError:
        raise JSONTooDeep(f"JSON nested deeper than {max_depth} levels", "", 0) from None
    level: list[tuple[object, int]] = [(value, 1)]
    while level:
        item, depth = level.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > max_depth:
            raise JSONTooDeep(f"JSON nested deeper than {max_depth} levels", "", 0)
        level.extend((child, depth + 1) for child in children)
    return value


class BoundedWebSocketAdapter(ASGIWebSocketAdapter):
    """Closes the socket (1009, message too big) on a message over the cap, before decoding it."""

    async def iter_json(self, *, ignore_parsing_errors: bool = False) -> AsyncGenerator[object, None]:
        caps: RequestCaps = getattr(self.view, "caps", RequestCaps())
        try:
            while self.ws.application_state != WebSocketState.DISCONNECTED:
                text = await self.ws.receive_text()
                if len(text.encode()) > caps.ws_message_bytes:
                    await self.ws.close(code=1009, reason=f"message larger than {caps.ws_message_bytes} bytes")
                    return
                try:
                    yield self.view.decode_json(text)
                except json.JSONDecodeError:
                    if not ignore_parsing_errors:
                        raise NonJsonMessageReceived from None
        except KeyError as error:
            raise NonTextMessageReceived from error
        except WebSocketDisconnect:
            pass


class HTTPError(HTTPException):
    """An HTTPException with response headers (a 405 must say what is allowed)."""

    def __init__(self, status_code: int, reason: str, headers: Mapping[str, str]) -> None:
        super().__init__(status_code, reason)
        self.headers = dict(headers)


def negotiate(accept: str | None) -> str | None:
    """The JSON type to answer in: the one the client ranks higher; application/json on a tie or no Accept.

    None when the client accepts neither (a 406).
    """
    if not accept or not accept.strip():
        return APPLICATION_JSON
    ranges: list[tuple[str, float]] = []
    for part in accept.split(","):
        media_range, *params = (piece.strip().lower() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((media_range, quality))

    def rank(media_type: str) -> tuple[float, int, int]:
        """(q, how specific the matching range is, earlier in the header first)."""
        best = (0.0, -1, 0)
        for position, (media_range, quality) in enumerate(ranges):
            specificity = {media_type: 2, "application/*": 1, "*/*": 0}.get(media_range, -1)
            if specificity > best[1]:
                best = (quality, specificity, -position)
        return best

    chosen = max((APPLICATION_JSON, GRAPHQL_RESPONSE_JSON), key=rank)  # max keeps the first of equals
    return chosen if rank(chosen)[0] > 0 else None


def is_request_error(result: ExecutionResult) -> bool:
    """Execution never started: no data, and no error belongs to a field (parse, validation, variables)."""
    return result.data is None and bool(result.errors) and not any(error.path for error in result.errors or [])


def graphql_response_status(response: GraphQLHTTPResponse) -> int:
    """application/graphql-response+json: 200 once execution started (`data` present), else a 4xx/5xx."""
    if "data" in response:
        return 200
    codes = [
        (error.get("extensions") or {}).get("code") for error in response.get("errors") or [] if isinstance(error, dict)
    ]
    return next((_STATUS_BY_CODE[code] for code in codes if code in _STATUS_BY_CODE), 400)


def cache_control(headers: Mapping[str, str], max_age_s: int) -> str:
    """For a GET: shared caches may keep an anonymous answer; anything sent with credentials is private."""
    if any(headers.get(name) for name in _CREDENTIALS):
        return "private, no-store"
    return f"public, max-age={max_age_s}"


class GraphQLOverHTTP(GraphQL[Context, None]):
    websocket_adapter_class = BoundedWebSocketAdapter  # type: ignore[assignment]

    def __init__(
        self,
        schema: Any,
        *,
        persisted_queries: PersistedQueries | None = None,
        get_max_age_s: int = 60,
        graphiql: GraphiQLAssets | None = None,
        caps: RequestCaps | None = None,
        response_cache: ResponseCache | None = None,
        **options: Any,
    ) -> None:
        super().__init__(schema, **options)
        self.response_cache = response_cache
        self.persisted_queries = persisted_queries or PersistedQueries(None)
        self.get_max_age_s = get_max_age_s
        self.graphiql = graphiql
        self.caps = caps or RequestCaps()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            body = await self.read_body(Request(scope=scope, receive=receive))

            async def replay() -> Message:
                return {"type": "http.request", "body": body, "more_body": False}

            request = Request(scope=scope, receive=replay)
            if self.response_cache is None:
                response = await self.run(request)
            else:
                response = await self.response_cache.respond(request, lambda: self.run(request))
        except HTTPException as error:
            headers = error.headers if isinstance(error, HTTPError) else {}
            if error.status_code == 405:
                headers = {"Allow": "GET, POST", **headers}
            response = PlainTextResponse(error.reason, status_code=error.status_code, headers=headers)
        await response(scope, receive, send)

    async def read_body(self, request: Request) -> bytes:
        """The whole body, refused (413) as soon as it is known to be over the cap: from Content-Length, or
        while it streams in."""
        limit = self.caps.body_bytes
        too_large = HTTPException(413, f"The request body is larger than {limit} bytes")
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise too_large
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                raise too_large
        return bytes(body)

    def decode_json(self, data: str | bytes) -> object:
        return decode_bounded_json(data, self.caps.json_depth)

    def parse_json(self, data: str | bytes) -> Any:
        try:
            return self.decode_json(data)
        except JSONTooDeep as error:
            raise HTTPException(400, f"The request's {error.msg}") from error
        except json.JSONDecodeError as error:
            raise HTTPException(400, "Unable to parse request body as JSON") from error

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        """Not for a hash-only GET: Apollo sends `Accept: */*`-style headers and no `query` parameter."""
        return super().should_render_graphql_ide(request) and "extensions" not in request.query_params

    async def render_graphql_ide(self, request: Request) -> Response:
        local = self.graphiql is not None and self.graphql_ide == "graphiql"
        return HTMLResponse(self.graphiql.page if local and self.graphiql else self.graphql_ide_html)

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        sub_response.media_type = negotiate(request.headers.get("accept"))
        if isinstance(request, Request) and request.method == "GET":
            sub_response.headers["cache-control"] = cache_control(request.headers, self.get_max_age_s)
            sub_response.headers["vary"] = "Accept, Authorization, X-Api-Key"
        return sub_response

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> GraphQLRequestData | list[GraphQLRequestData]:
        if negotiate(request.headers.get("accept")) is None:
            raise HTTPException(406, f"Accept {GRAPHQL_RESPONSE_JSON} or {APPLICATION_JSON}")
        if request.method == "POST":
            content_type, _ = parse_content_type(request.content_type or "")
            if content_type == APPLICATION_JSON:
                if not isinstance(self.parse_json(await request.get_body()), dict | list):
                    raise HTTPException(400, "The request body must be a JSON object")
            elif not (self.multipart_uploads_enabled and content_type == "multipart/form-data"):
                raise HTTPException(415, f"Send the GraphQL request as {APPLICATION_JSON}")
        return await super().parse_http_body(request)

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        sha256 = requested_hash(request_data.extensions)
        sent_query = request_data.query
        if sent_query is not None and len(sent_query.encode()) > self.caps.query_bytes:
            raise HTTPException(413, f"The query is longer than {self.caps.query_bytes} bytes")
        try:
            request_data.query = await self.persisted_queries.query_for(sha256, sent_query)
        except PersistedQueryError as error:
            return ExecutionResult(data=None, errors=[error.as_graphql_error()])
        try:
            result = await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )
        except HTTPException as error:
            if isinstance(error.__cause__, InvalidOperationTypeError) and request_adapter.method == "GET":
                raise HTTPError(405, error.reason, {"Allow": "POST"}) from error
            raise
        if sha256 is not None and sent_query is not None and not is_request_error(result):
            await self.persisted_queries.register(sha256, sent_query, context.meta.ip)
        return result

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        response = await super().process_result(request, result)
        if negotiate(request.headers.get("accept")) == GRAPHQL_RESPONSE_JSON and is_request_error(result):
            response.pop("data", None)  # the spec's sign that the request never executed
        return response

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        results = response_data if isinstance(response_data, list) else [response_data]
        if sub_response.media_type == GRAPHQL_RESPONSE_JSON:
            response.headers["content-type"] = f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8"
            if not sub_response.status_code:
                response.status_code = max(graphql_response_status(result) for result in results)
        if "cache-control" in response.headers and any(result.get("errors") for result in results):
            # Errors are never shared: a cached PersistedQueryNotFound would outlive the registration.
            response.headers["cache-control"] = "no-store"
        return response
