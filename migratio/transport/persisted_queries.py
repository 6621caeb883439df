"""Automatic persisted queries as Apollo Client's PersistedQueryLink speaks them (version 1, sha256 hex).

A request names its query by `extensions.persistedQuery.sha256Hash`. Without the query text: the stored
text runs, or the client is told PersistedQueryNotFound and resends the text with the hash, which is checked
and stored once the document has parsed and validated — unless it is over the size cap or its address has
registered too many lately (it still runs; it is just not kept).

With an allowlist (production: the clients' operations, generated at build time) nothing is registered and
only the listed documents run, named by hash or sent whole.
"""

import hashlib
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from cross_web import HTTPException
from graphql import GraphQLError

from domain.errors import ErrorCode

log = logging.getLogger(__name__)

PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
PERSISTED_QUERY_NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


class PersistedQueryStore(Protocol):
    async def get(self, sha256: str) -> str | None: ...

    async def put(self, sha256: str, query: str) -> None: ...

    async def count_registration(self, address: str, window_s: int) -> int:
        """Counts a registration by this address in the current window; the count including this one."""
        ...


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


@dataclass(frozen=True)
class Allowlist:
    """sha256 -> document text, and the operation names they define (bounded labels for metrics)."""

    documents: Mapping[str, str]
    names: frozenset[str]

    @classmethod
    def read(cls, path: Path) -> "Allowlist":
        """The file `npm run allowlist` writes in clients/: [{"name", "sha256", "document"}, …]."""
        entries = json.loads(path.read_text())
        documents = {str(entry["sha256"]).lower(): str(entry["document"]) for entry in entries}
        for sha256, document in documents.items():
            if query_hash(document) != sha256:
                raise ValueError(f"{path}: the document listed under {sha256} has another hash")
        return cls(documents, frozenset(str(entry["name"]) for entry in entries))


@dataclass(frozen=True)
class Registrations:
    """What an anonymous caller may leave in Redis."""

    max_bytes: int = 16 * 1024
    per_address: int = 100
    window_s: int = 3600


class PersistedQueries:
    def __init__(
        self,
        store: PersistedQueryStore | None,
        registrations: Registrations | None = None,
        allowlist: Allowlist | None = None,
    ) -> None:
        """Without a store the server says PersistedQueryNotSupported, and Apollo stops sending hashes."""
        self.store = store
        self.registrations = registrations or Registrations()
        self.allowlist = allowlist

    async def query_for(self, sha256: str | None, query: str | None) -> str | None:
        """The text to run: the stored (or listed) one when only a hash was sent, else the sent one if it
        matches its hash and, with an allowlist, is listed."""
        if self.allowlist is not None:
            return self._listed(sha256, query)
        if sha256 is None:
            return query
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

    def _listed(self, sha256: str | None, query: str | None) -> str | None:
        assert self.allowlist is not None
        if query is not None:
            sent = query_hash(query)
            if sha256 is not None and sent != sha256:
                raise PersistedQueryError("provided sha does not match query", ErrorCode.BAD_USER_INPUT.value)
            sha256 = sent
        if sha256 is None:
            return None
        listed = self.allowlist.documents.get(sha256)
        if listed is None:
            if query is None:
                raise PersistedQueryError("PersistedQueryNotFound", PERSISTED_QUERY_NOT_FOUND)
            raise PersistedQueryError("only the apps' own operations run here", ErrorCode.FORBIDDEN.value)
        return listed

    def allows(self, query: str | None) -> bool:
        """For transports without hashes (websockets): may this text run?"""
        return self.allowlist is None or (query is not None and query_hash(query) in self.allowlist.documents)

    async def register(self, sha256: str, query: str, address: str) -> None:
        """Keeps a validated query under its hash, within the size cap and the address's registration budget."""
        if self.store is None or self.allowlist is not None:
            return
        limits = self.registrations
        if len(query.encode()) > limits.max_bytes:
            return
        if await self.store.count_registration(address, limits.window_s) > limits.per_address:
            log.warning("persisted query registrations over the limit for one address")
            return
        await self.store.put(sha256, query)
