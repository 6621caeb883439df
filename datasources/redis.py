"""Redis connection with timeouts on connect and on every read, so a stopped server fails fast."""

from redis.asyncio import Redis


def connect(url: str, timeout_s: float, client_name: str | None = None) -> Redis:
    return Redis.from_url(
        url,
        socket_connect_timeout=timeout_s,
        socket_timeout=timeout_s,
        retry_on_timeout=False,
        decode_responses=True,
        client_name=client_name,
    )
