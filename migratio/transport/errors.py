"""Infrastructure failures become UNAVAILABLE for clients: the composition root knows every client's errors."""

from botocore.exceptions import BotoCoreError, EndpointConnectionError
from opensearchpy.exceptions import ConnectionError as OpenSearchConnectionError
from pymongo.errors import ConnectionFailure, ServerSelectionTimeoutError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from domain.errors import DomainError, Unavailable

_DEPENDENCIES: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((ServerSelectionTimeoutError, ConnectionFailure), "mongodb"),
    ((RedisConnectionError, RedisTimeoutError), "redis"),
    ((OpenSearchConnectionError,), "opensearch"),
    ((EndpointConnectionError, BotoCoreError), "s3"),
)


def translate_infrastructure_error(error: BaseException) -> DomainError | None:
    for types, dependency in _DEPENDENCIES:
        if isinstance(error, types):
            return Unavailable(f"{dependency} is unavailable, try again shortly", dependency=dependency)
    return None
