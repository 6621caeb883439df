"""Anonymous catalog reads served from a response cache, with ETags.

Apollo's `useGETForHashedQueries` sends a catalog page as a GET that names its document by hash. When such a
GET carries no credentials and every root field of its operation reads only the catalog (CATALOG_ROOTS), its
answer depends on nothing but (document, variables, operation, media type) and the catalog's generation:
it is kept in Redis under those (catalog writes move the generation, so nothing stale is ever served) and the
next one is answered without running GraphQL at all. Every such answer carries a strong ETag; a client that
sends it back in If-None-Match gets a 304 without a body.
"""

import hashlib
import json
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse
from starlette.requests import Request
from starlette.responses import Response

from datasources.cache import RedisCatalogCache
from migratio.transport.persisted_queries import PersistedQueries, PersistedQueryError, requested_hash

CATALOG_ROOTS = frozenset({"programs", "program", "countries", "__typename"})
"""Root fields whose answers are the same for everyone and change only with a catalog write (the question
bank and the plans change with a deployment, which the generation does not follow: they always run)."""

_CREDENTIALS = ("authorization", "x-api-key", "cookie")
_KNOWN = 1024  # documents whose cacheability is remembered, by hash


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    sent = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in sent or etag in sent


def reads_only_the_catalog(document: str, operation_name: str | None) -> bool:
    try:
        parsed = parse(document)
    except GraphQLError:
        return False
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)]
    if len(chosen) != 1 or chosen[0].operation != OperationType.QUERY:
        return False
    fields = chosen[0].selection_set.selections
    return all(getattr(f, "name", None) is not None and f.name.value in CATALOG_ROOTS for f in fields)  # type: ignore[attr-defined]


class ResponseCache:
    def __init__(self, store: RedisCatalogCache, persisted_queries: PersistedQueries, max_age_s: int) -> None:
        self.store = store
        self.persisted_queries = persisted_queries
        self.max_age_s = max_age_s
        self.cacheable: OrderedDict[tuple[str, str | None], bool] = OrderedDict()

    async def respond(self, request: Request, run: Callable[[], Awaitable[Response]]) -> Response:
        key = await self._key(request)
        if key is None:
            return await run()
        cached, generation = await self.store.get(key)
        if isinstance(cached, dict):
            body, media_type = str(cached["body"]).encode(), str(cached["type"])
            response = Response(body, headers={"content-type": media_type})
        else:
            response = await run()
            body = bytes(response.body)
            if response.status_code == 200 and b'"errors"' not in body:
                await self.store.set(key, {"body": body.decode(), "type": response.headers["content-type"]}, generation)
        if response.status_code != 200:
            return response
        etag = etag_of(body)
        headers = {
            "etag": etag,
            "cache-control": f"public, max-age={self.max_age_s}",
            "vary": "Accept, Authorization, X-Api-Key",
        }
        if matches(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers=headers)
        response.headers.update(headers)
        return response

    async def _key(self, request: Request) -> str | None:
        """The cache key of an anonymous catalog read by persisted GET, or None for any other request."""
        if request.method != "GET" or any(request.headers.get(name) for name in _CREDENTIALS):
            return None
        params = request.query_params
        try:
            extensions = json.loads(params.get("extensions") or "null")
            sha256 = requested_hash(extensions if isinstance(extensions, dict) else None)
        except (json.JSONDecodeError, TypeError, ValueError):
            return None
        if sha256 is None or params.get("query"):
            return None
        operation = params.get("operationName") or None
        if not await self._catalog_only(sha256, operation):
            return None
        parts = [sha256, operation or "", params.get("variables") or "{}", request.headers.get("accept") or ""]
        return "response:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()

    async def _catalog_only(self, sha256: str, operation: str | None) -> bool:
        known = self.cacheable.get((sha256, operation))
        if known is not None:
            return known
        try:
            document = await self.persisted_queries.query_for(sha256, None)
        except PersistedQueryError:
            return False  # not registered (yet): the normal path answers PersistedQueryNotFound
        found = document is not None and reads_only_the_catalog(document, operation)
        self.cacheable[(sha256, operation)] = found
        if len(self.cacheable) > _KNOWN:
            self.cacheable.popitem(last=False)
        return found
