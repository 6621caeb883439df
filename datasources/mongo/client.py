"""The Mongo connection: short timeouts so a down server gives UNAVAILABLE quickly, never a hang.

Repositories use motor directly rather than odmantic: they need nested rule trees stored as data, atomic
find-and-modify, compare-and-set version filters and per-field encryption, which odmantic's models fight.
"""

from motor.motor_asyncio import AsyncIOMotorClient, AsyncIOMotorDatabase

from datasources.mongo.monitoring import CommandCounter


def connect(url: str, timeout_s: float, counter: CommandCounter) -> AsyncIOMotorClient:
    ms = int(timeout_s * 1000)
    return AsyncIOMotorClient(
        url,
        serverSelectionTimeoutMS=ms,
        connectTimeoutMS=ms,
        socketTimeoutMS=ms * 5,
        event_listeners=[counter],
        tz_aware=True,
    )


def database(client: AsyncIOMotorClient, name: str) -> AsyncIOMotorDatabase:
    return client[name]
