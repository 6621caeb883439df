"""Accounts for API tests, made the way a person makes them: register, read the real mail, verify, log in.

Each Client sends its own X-Forwarded-For address (uvicorn trusts it from loopback), so a test that trips
a per-IP rate limit never limits another test.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from email.message import EmailMessage
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

import httpx
from pymongo import MongoClient
from pymongo.database import Database

from devstack import read_mail
from migratio.settings import PROJECT_ROOT, Settings
from tests.server import LiveServer

PASSWORD = "tangerine-lantern-42"

LOGIN = """mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) {
    __typename
    ... on AuthTokens { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt tokenType }
    ... on MfaChallenge { mfaToken expiresAt }
  }
}"""
REGISTER = "mutation Register($input: RegisterInput!) { register(input: $input) { email } }"
VERIFY = "mutation Verify($token: String!) { verifyEmail(token: $token) { email } }"
ME = "query Me { me { id email name role emailVerified mfaEnabled } }"


def unique_email(tag: str = "user") -> str:
    return f"{tag}-{uuid.uuid4().hex[:10]}@example.com"


def unique_ip() -> str:
    """From 198.18.0.0/15 (RFC 2544, benchmarking): only ever a header value, never contacted."""
    return f"198.{random.randint(18, 19)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


@lru_cache
def _mongo(url: str, name: str) -> Database[dict[str, Any]]:
    client: MongoClient[dict[str, Any]] = MongoClient(url, tz_aware=True)
    return client[name]


def mongo(settings: Settings) -> Database[dict[str, Any]]:
    """A plain synchronous handle on this run's database, for before/after assertions."""
    return _mongo(settings.mongodb_url, settings.mongodb_db)


@dataclass
class Client:
    server: LiveServer
    token: str | None = None
    ip: str = field(default_factory=unique_ip)

    def post(
        self, query: str, variables: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        sent = {"x-forwarded-for": self.ip, "user-agent": "migratio-tests"}
        if self.token:
            sent["authorization"] = f"Bearer {self.token}"
        sent.update(headers or {})
        return httpx.post(
            self.server.graphql_url, json={"query": query, "variables": variables or {}}, headers=sent, timeout=30
        )

    def gql(self, query: str, variables: dict[str, Any] | None = None, **headers: str) -> dict[str, Any]:
        body: dict[str, Any] = self.post(query, variables, {k.replace("_", "-"): v for k, v in headers.items()}).json()
        return body

    def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The data of an operation that must succeed."""
        body = self.gql(query, variables)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data


def error_code(body: dict[str, Any]) -> str:
    [error] = body["errors"]
    code: str = error["extensions"]["code"]
    return code


def wait_for_mail(settings: Settings, to: str, subject: str, count: int = 1, timeout_s: float = 30) -> EmailMessage:
    """The `count`-th message with this subject sent to `to` (they arrive as files written by the sink)."""
    deadline = time.monotonic() + timeout_s
    while True:
        found = [m for m in read_mail(settings.stack_dir, to=to) if m["Subject"] == subject]
        if len(found) >= count:
            return found[count - 1]
        if time.monotonic() > deadline:
            raise AssertionError(f"no mail {subject!r} #{count} to {to}; got {[m['Subject'] for m in found]}")
        time.sleep(0.05)


def mails_to(settings: Settings, to: str) -> list[str]:
    return [str(m["Subject"]) for m in read_mail(settings.stack_dir, to=to)]


def link_token(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    found = re.search(r"token=(\S+)", body.get_content())
    assert found, body.get_content()
    return unquote(found.group(1))


@dataclass
class Account:
    email: str
    password: str
    id: str
    client: Client
    refresh_token: str


def log_in(client: Client, email: str, password: str = PASSWORD) -> dict[str, Any]:
    tokens: dict[str, Any] = client.data(LOGIN, {"email": email, "password": password})["login"]
    assert tokens["__typename"] == "AuthTokens", tokens
    client.token = tokens["accessToken"]
    return tokens


def signed_up(server: LiveServer, settings: Settings, tag: str = "user", password: str = PASSWORD) -> Account:
    client = Client(server)
    email = unique_email(tag)
    client.data(REGISTER, {"input": {"email": email, "password": password, "name": f"{tag.title()} Tester"}})
    client.data(VERIFY, {"token": link_token(wait_for_mail(settings, email, "Confirm your email address"))})
    tokens = log_in(client, email, password)
    user_id = client.data(ME)["me"]["id"]
    return Account(email, password, user_id, client, tokens["refreshToken"])


def cli_env(settings: Settings) -> dict[str, str]:
    """The environment that points `python -m migratio.entrypoints.cli` at this run's database, bucket, keys and
    job queue."""
    return {
        **os.environ,
        "ENVIRONMENT": settings.environment,
        "MONGODB_DB": settings.mongodb_db,
        "S3_BUCKET": settings.s3_bucket,
        "OPENSEARCH_INDEX_PREFIX": settings.opensearch_index_prefix,
        "REDIS_KEY_PREFIX": settings.redis_key_prefix,
        "JOB_QUEUE": settings.job_queue,
        "LOG_LEVEL": "WARNING",
    }


def run_cli(settings: Settings, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "migratio.entrypoints.cli", *args],
        env=cli_env(settings),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def admin(server: LiveServer, settings: Settings) -> Account:
    """A fresh admin, promoted by the operator's CLI (which ends their sessions, so they log in again)."""
    account = signed_up(server, settings, "admin")
    run_cli(settings, "create-admin", account.email)
    tokens = log_in(account.client, account.email)
    account.refresh_token = tokens["refreshToken"]
    return account


def with_role(server: LiveServer, settings: Settings, boss: Account, role: str, tag: str) -> Account:
    account = signed_up(server, settings, tag)
    boss.client.data(
        "mutation($id: ID!, $role: Role!) { setUserRole(userId: $id, role: $role) { role } }",
        {"id": account.id, "role": role},
    )
    account.refresh_token = log_in(account.client, account.email)["refreshToken"]
    return account
