"""The Mongo connection: short timeouts so a down server gives UNAVAILABLE quickly, never a hang."""

from motor.motor_asyncio import AsyncIOMotorClient, AsyncIOMotorDatabase
from odmantic import AIOEngine

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


def engine(client: AsyncIOMotorClient, database: str) -> AIOEngine:
    return AIOEngine(client=client, database=database)


def database(client: AsyncIOMotorClient, name: str) -> AsyncIOMotorDatabase:
    return client[name]
