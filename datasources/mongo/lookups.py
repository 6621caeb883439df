"""Reads by `_id` alone: MongoDB's primary key, and the cheapest filter on FerretDB.

FerretDB v1 filters a lone `_id` equality in SQL on both its backends (any equality on PostgreSQL), while
`$in` and `$or` are never pushed down: every document is decoded and matched in Go (bench/lookups.py). So a
batch is one `_id` lookup per distinct key, run concurrently, and a scope (owner, purpose…) is checked on
the document instead of in the filter.
"""

import asyncio
from collections.abc import Iterable, Mapping
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection


def in_scope(doc: Mapping[str, Any], scope: Mapping[str, object]) -> bool:
    """Whether each field equals its value in `scope`, as a Mongo equality would (a missing field is None)."""
    return all(doc.get(name) == value for name, value in scope.items())


async def lookup(collection: AsyncCollection, key: object, **scope: object) -> dict[str, Any] | None:
    """The document with this `_id`, or None when there is none or it is outside `scope`."""
    doc: dict[str, Any] | None = await collection.find_one({"_id": key})
    return doc if doc is not None and in_scope(doc, scope) else None


async def lookup_many(collection: AsyncCollection, keys: Iterable[object]) -> dict[Any, dict[str, Any]]:
    """Documents by `_id`, one concurrent lookup per distinct key; missing keys are absent from the result."""
    distinct = list(dict.fromkeys(keys))
    docs = await asyncio.gather(*(collection.find_one({"_id": key}) for key in distinct))
    return {key: doc for key, doc in zip(distinct, docs, strict=True) if doc is not None}
