"""The Mongo connection: short timeouts so a down server gives UNAVAILABLE quickly, never a hang.

An unreachable server must give UNAVAILABLE within the budget (DEPENDENCY_TIMEOUT_S). With server selection
given the whole budget it did not: PyMongo checks the selection deadline only when it wakes, every half
second (so up to 0.5 s late), a read or write whose pooled connection was cut is retried once through a fresh
selection, and the request's own work comes on top — measured with a 2 s setting: 2.5 s for a killed server,
2.7 s for a sign-up, 3.9 s seen under load. So selection gets half the budget. Reads keep a longer socket
timeout: a slow query on the embedded store is not an outage (a server that accepts connections and never
answers is cut off by PyMongo's monitor, in about 5 s).

PyMongo's own async client (Motor reached end of life on 2026-05-14). There is no ODM: odmantic is built on
Motor with no PyMongo-async release, and repositories need nested rule trees stored as data, per-field
encryption and writes built on unique-index inserts, which an ODM's models fight.
"""

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from datasources.mongo.monitoring import CommandCounter

SELECTION_SHARE = 0.5  # of DEPENDENCY_TIMEOUT_S; the rest covers PyMongo's 0.5 s wake-ups and the request


def connect(url: str, timeout_s: float, counter: CommandCounter) -> AsyncMongoClient:
    ms = int(timeout_s * 1000)
    return AsyncMongoClient(
        url,
        serverSelectionTimeoutMS=int(timeout_s * SELECTION_SHARE * 1000),
        connectTimeoutMS=ms,
        socketTimeoutMS=ms * 5,
        event_listeners=[counter],
        tz_aware=True,
    )


def database(client: AsyncMongoClient, name: str) -> AsyncDatabase:
    return client[name]
