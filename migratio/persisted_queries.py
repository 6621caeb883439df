"""Automatic persisted queries as Apollo Client's PersistedQueryLink speaks them (version 1, sha256 hex).

A request names its query by `extensions.persistedQuery.sha256Hash`. Without the query text: the stored
text runs, or the client is told PersistedQueryNotFound and resends the text with the hash, which is checked
and stored once the document has parsed and validated.
"""

import hashlib
import re
from collections.abc import Mapping
from typing import Any, Protocol

from cross_web import HTTPException
from graphql import GraphQLError

from domain.errors import ErrorCode

PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
PERSISTED_QUERY_NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


class PersistedQueryStore(Protocol):
    async def get(self, sha256: str) -> str | None: ...

    async def put(self, sha256: str, query: str) -> None: ...


class PersistedQueryError(Exception):
    """A refusal the client acts on: Apollo matches the message (older links) or the code (newer ones)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def as_graphql_error(self) -> GraphQLError:
        return GraphQLError(self.message, extensions={"code": self.code})


def requested_hash(extensions: Mapping[str, Any] | None) -> str | None:
    """The sha256 the request names, or None; a malformed `persistedQuery` is a bad request (HTTP 400)."""
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, Mapping) or persisted.get("version") != 1:
        raise HTTPException(400, "Unsupported persisted query version")
    sha256 = persisted.get("sha256Hash")
    if not isinstance(sha256, str) or not _SHA256_HEX.fullmatch(sha256.lower()):
        raise HTTPException(400, "persistedQuery.sha256Hash must be a sha256 hex digest")
    return sha256.lower()


def query_hash(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


class PersistedQueries:
    def __init__(self, store: PersistedQueryStore | None) -> None:
        """Without a store the server says PersistedQueryNotSupported, and Apollo stops sending hashes."""
        self.store = store

    async def query_for(self, sha256: str, query: str | None) -> str:
        """The text to run for this hash: the stored one when none was sent, else the sent one if it matches."""
        if self.store is None:
            raise PersistedQueryError("PersistedQueryNotSupported", PERSISTED_QUERY_NOT_SUPPORTED)
        if query is None:
            stored = await self.store.get(sha256)
            if stored is None:
                raise PersistedQueryError("PersistedQueryNotFound", PERSISTED_QUERY_NOT_FOUND)
            return stored
        if query_hash(query) != sha256:
            raise PersistedQueryError("provided sha does not match query", ErrorCode.BAD_USER_INPUT.value)
        return query

    async def register(self, sha256: str, query: str) -> None:
        if self.store is not None:
            await self.store.put(sha256, query)
