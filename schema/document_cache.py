"""Parse and validation caches: a query text is parsed once and its document validated once per process."""

from collections import OrderedDict
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from graphql import DocumentNode, parse
from strawberry.extensions import SchemaExtension


class DocumentCache:
    """A process's parsed documents by query text and the texts whose documents passed validation, each kept
    for the `size` most recently used texts."""

    def __init__(self, size: int = 256) -> None:
        self.parse: Callable[..., DocumentNode] = lru_cache(maxsize=size)(self._parse)
        self.size = size
        self.valid: OrderedDict[tuple[str, tuple[Any, ...]], None] = OrderedDict()

    @staticmethod
    def _parse(query: str, options: tuple[tuple[str, Any], ...]) -> DocumentNode:
        return parse(query, **dict(options))

    def known_valid(self, key: tuple[str, tuple[Any, ...]]) -> bool:
        if key in self.valid:
            self.valid.move_to_end(key)
            return True
        return False

    def add_valid(self, key: tuple[str, tuple[Any, ...]]) -> None:
        self.valid[key] = None
        if len(self.valid) > self.size:
            self.valid.popitem(last=False)


class CachedDocuments(SchemaExtension):
    """Parses a query text once and validates its document once per process (the profile's largest share of
    a small request: bench/profile.py). A text that fails either is handled every time as before; the shape
    limits, which depend on variables, still run on every request before this."""

    def __init__(self, cache: DocumentCache) -> None:
        self.cache = cache

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is None and context.query:
            try:
                options = tuple(sorted(context.parse_options.items()))
                context.graphql_document = self.cache.parse(context.query, options)
            except Exception:  # strawberry parses it again and reports the error as it always has
                pass
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        key = (context.query or "", tuple(context.validation_rules))
        known = context.query is not None and context.pre_execution_errors is None and self.cache.known_valid(key)
        if known:
            context.pre_execution_errors = []
        yield
        if not known and context.query is not None and context.pre_execution_errors == []:
            self.cache.add_valid(key)
