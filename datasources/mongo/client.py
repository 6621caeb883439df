"""The Mongo connection: short timeouts so a down server gives UNAVAILABLE quickly, never a hang.

PyMongo's own async client (Motor reached end of life on 2026-05-14). There is no ODM: odmantic is built on
Motor with no PyMongo-async release, and repositories need nested rule trees stored as data, per-field
encryption and writes built on unique-index inserts, which an ODM's models fight.
"""

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from datasources.mongo.monitoring import CommandCounter


def connect(url: str, timeout_s: float, counter: CommandCounter) -> AsyncMongoClient:
    ms = int(timeout_s * 1000)
    return AsyncMongoClient(
        url,
        serverSelectionTimeoutMS=ms,
        connectTimeoutMS=ms,
        socketTimeoutMS=ms * 5,
        event_listeners=[counter],
        tz_aware=True,
    )


def database(client: AsyncMongoClient, name: str) -> AsyncDatabase:
    return client[name]
