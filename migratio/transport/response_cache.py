"""Catalog pages and a person's results served from a response cache, with ETags.

Apollo's `useGETForHashedQueries` sends a query as a GET that names its document by hash. Two kinds of such
GETs are answered without running GraphQL when the same one was answered before:
- no credentials, and every root field reads only the catalog (CATALOG_ROOTS): the answer depends on nothing
  but (document, variables, operation, media type) and the catalog's generation; shared caches may keep it.
- a signed-in person's results (RESULTS): the answer is a pure function of the same request, the person, their
  results' version (latest snapshot, today: `Recommendations.version`), the catalog's generation and the code
  that computed it. Kept per person; the client must revalidate (`private, no-cache`).
Both stores are catalog caches: they keep entries under the generation they looked up, which keys need not name.
Catalog writes move the generation and a completion makes a new snapshot, so nothing stale is ever served.
Every such answer carries a strong ETag; a client that sends it back in If-None-Match gets a 304 without a body.
"""

import hashlib
import json
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse
from starlette.requests import Request
from starlette.responses import Response

from datasources.cache import RedisCatalogCache
from domain.users.model import Viewer
from migratio.transport.persisted_queries import PersistedQueries, PersistedQueryError, requested_hash

CATALOG_ROOTS = frozenset({"programs", "program", "countries", "__typename"})
"""Root fields whose answers are the same for everyone and change only with a catalog write (the question
bank and the plans change with a deployment, which the generation does not follow: they always run)."""

RESULTS = frozenset({"myRecommendations", "pointsBreakdown", "gapAnalysis"})
"""Root fields computed from the viewer's latest snapshot, the catalog and the day alone."""

_CREDENTIALS = ("authorization", "x-api-key", "cookie")
_KNOWN = 1024  # documents whose root fields are remembered, by hash


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    sent = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in sent or etag in sent


def query_roots(document: str, operation_name: str | None) -> frozenset[str]:
    """The root fields of the query the request runs; empty for a mutation, subscription or bad document."""
    try:
        parsed = parse(document)
    except GraphQLError:
        return frozenset()
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)]
    if len(chosen) != 1 or chosen[0].operation != OperationType.QUERY:
        return frozenset()
    names = [getattr(f, "name", None) for f in chosen[0].selection_set.selections]
    if any(name is None for name in names):
        return frozenset()  # a fragment spread or inline fragment at the root: not worth resolving here
    return frozenset(name.value for name in names if name is not None)


def reads_only_results(roots: frozenset[str]) -> bool:
    return bool(roots & RESULTS) and roots <= RESULTS | {"__typename"}


@dataclass(frozen=True)
class PersonalResults:
    """What the results cache needs: who is asking (once per request: the view reuses it), their results'
    version, and a fingerprint of the code, since entries outlive a deployment."""

    viewer: Callable[[str], Awaitable[Viewer]]
    version: Callable[[str], Awaitable[str | None]]
    code: str
    store: RedisCatalogCache


@dataclass(frozen=True)
class _Entry:
    key: str
    store: RedisCatalogCache
    cache_control: str


class ResponseCache:
    def __init__(
        self,
        store: RedisCatalogCache,
        persisted_queries: PersistedQueries,
        max_age_s: int,
        results: PersonalResults | None = None,
    ) -> None:
        self.store = store
        self.persisted_queries = persisted_queries
        self.max_age_s = max_age_s
        self.results = results
        self.roots: OrderedDict[tuple[str, str | None], frozenset[str]] = OrderedDict()

    async def respond(self, request: Request, run: Callable[[], Awaitable[Response]]) -> Response:
        entry = await self._entry(request)
        if entry is None:
            return await run()
        cached, generation = await entry.store.get(entry.key)
        if isinstance(cached, dict):
            body, media_type = str(cached["body"]).encode(), str(cached["type"])
            response = Response(body, headers={"content-type": media_type})
        else:
            response = await run()
            body = bytes(response.body)
            if response.status_code == 200 and b'"errors"' not in body:
                value = {"body": body.decode(), "type": response.headers["content-type"]}
                await entry.store.set(entry.key, value, generation)
        if response.status_code != 200:
            return response
        etag = etag_of(body)
        headers = {"etag": etag, "cache-control": entry.cache_control, "vary": "Accept, Authorization, X-Api-Key"}
        if matches(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers=headers)
        response.headers.update(headers)
        return response

    async def _entry(self, request: Request) -> _Entry | None:
        """Where a cacheable request's answer is kept, or None for any other request."""
        if request.method != "GET" or request.headers.get("x-api-key") or request.headers.get("cookie"):
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
        roots = await self._roots(sha256, operation)
        parts = [sha256, operation or "", params.get("variables") or "{}", request.headers.get("accept") or ""]
        authorization = request.headers.get("authorization")
        if not authorization:
            if not roots or not roots <= CATALOG_ROOTS:
                return None
            return _Entry("response:" + _digest(parts), self.store, f"public, max-age={self.max_age_s}")
        if self.results is None or not reads_only_results(roots):
            return None
        viewer = await self.results.viewer(authorization)
        request.state.viewer = viewer
        if viewer.user_id is None:
            return None  # not signed in: the view answers UNAUTHENTICATED
        version = await self.results.version(viewer.user_id)
        if version is None:
            return None
        key = "results:" + _digest([viewer.user_id, version, self.results.code, *parts])
        return _Entry(key, self.results.store, "private, no-cache")

    async def _roots(self, sha256: str, operation: str | None) -> frozenset[str]:
        known = self.roots.get((sha256, operation))
        if known is not None:
            return known
        try:
            document = await self.persisted_queries.query_for(sha256, None)
        except PersistedQueryError:
            return frozenset()  # not registered (yet): the normal path answers PersistedQueryNotFound
        found = frozenset() if document is None else query_roots(document, operation)
        self.roots[(sha256, operation)] = found
        if len(self.roots) > _KNOWN:
            self.roots.popitem(last=False)
        return found


def _digest(parts: list[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()
