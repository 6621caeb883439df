"""OpenSearch connection (async client); no retries, so an outage is reported within the timeout."""

from opensearchpy import AsyncOpenSearch


def connect(url: str, timeout_s: float) -> AsyncOpenSearch:
    return AsyncOpenSearch(hosts=[url], timeout=timeout_s, max_retries=0, retry_on_timeout=False)
