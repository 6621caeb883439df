"""Analytics events as OpenSearch holds them for a test's settings, read straight from its indices; apps that
state their origin in the analytics headers."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from migratio.settings import Settings
from tests.builders.accounts import (
    ME,
    REGISTER,
    VERIFY,
    Account,
    Client,
    link_token,
    log_in,
    unique_email,
    wait_for_mail,
)
from tests.server import LiveServer


def stored(settings: Settings) -> list[dict[str, Any]]:
    base, pattern = settings.opensearch_url, f"{settings.opensearch_index_prefix}-events-*"
    httpx.post(f"{base}/{pattern}/_refresh", params={"allow_no_indices": "true"}, timeout=30)
    answer = httpx.post(
        f"{base}/{pattern}/_search",
        params={"allow_no_indices": "true", "ignore_unavailable": "true"},
        json={"size": 10_000, "query": {"match_all": {}}, "sort": ["@timestamp"]},
        timeout=30,
    )
    return [hit["_source"] for hit in answer.json().get("hits", {}).get("hits", [])]


def wait_for(settings: Settings, match: Callable[[dict[str, Any]], bool], count: int) -> list[dict[str, Any]]:
    """The matching events once there are `count` of them (events are flushed every second), or after 20 s."""
    deadline = time.monotonic() + 20
    while True:
        found = [e for e in stored(settings) if match(e)]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.3)


@dataclass
class AppClient(Client):
    """An app: every request states its origin in the analytics headers."""

    headers: dict[str, str] = field(default_factory=dict)

    def post(
        self, query: str, variables: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        return super().post(query, variables, {**self.headers, **(headers or {})})


def app(server: LiveServer, visitor: str, *, country: str = "US", consent: str = "on", **extra: str) -> AppClient:
    headers = {
        "x-visitor-id": visitor,
        "x-session-id": f"session-{visitor}",
        "x-client-platform": "web",
        "x-app-version": "2.4.0",
        "x-residence-country": country,
        "x-analytics-consent": consent,
        **extra,
    }
    return AppClient(server, headers=headers)


def register(client: AppClient, settings: Settings, tag: str) -> Account:
    """Sign up through this client (so its visitor id is stitched to the account), verify, sign in."""
    email = unique_email(tag)
    client.data(REGISTER, {"input": {"email": email, "password": "tangerine-lantern-42", "name": "Stitch Tester"}})
    client.data(VERIFY, {"token": link_token(wait_for_mail(settings, email, "Confirm your email address"))})
    tokens = log_in(client, email, "tangerine-lantern-42")
    return Account(email, "tangerine-lantern-42", client.data(ME)["me"]["id"], client, tokens["refreshToken"])
