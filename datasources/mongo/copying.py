"""Copies collections between databases, each document through a transformation, with the source's indexes,
so an app pointed at the copy finds the unique and TTL indexes its writes rely on."""

from collections.abc import Callable
from typing import Any

from pymongo import IndexModel
from pymongo.asynchronous.collection import AsyncCollection

Transform = Callable[[dict[str, Any]], dict[str, Any]]
_INDEX_OPTIONS = ("unique", "sparse", "expireAfterSeconds", "partialFilterExpression")


async def copy_indexes(source: AsyncCollection, target: AsyncCollection) -> int:
    models = [
        IndexModel(list(spec["key"].items()), name=spec["name"], **{o: spec[o] for o in _INDEX_OPTIONS if o in spec})
        async for spec in await source.list_indexes()
        if spec["name"] != "_id_"
    ]
    await target.database.create_collection(target.name)
    if models:
        await target.create_indexes(models)
    return len(models)


async def copy_documents(source: AsyncCollection, target: AsyncCollection, transform: Transform, batch: int) -> int:
    """Every document of `source`, transformed, inserted into `target` in batches; how many."""
    copied, pending = 0, []
    async for doc in source.find({}).sort("_id", 1):
        pending.append(transform(doc))
        if len(pending) >= batch:
            await target.insert_many(pending, ordered=True)
            copied, pending = copied + len(pending), []
    if pending:
        await target.insert_many(pending, ordered=True)
        copied += len(pending)
    return copied
