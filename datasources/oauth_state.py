"""Pending social sign-ins in Redis under a hash of their `state`: GETDEL hands each one to exactly one caller
(Redis runs commands one at a time), and the key expires with the attempt."""

import hashlib
import json
from datetime import datetime

from redis.asyncio import Redis

from domain.users.oauth_ports import LinkedIdentity, PendingLink, PendingSignIn


class RedisPendingSignIns:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix

    def _key(self, state: str) -> str:
        return f"{self.prefix}:oauth:state:{hashlib.sha256(state.encode()).hexdigest()}"

    async def put(self, state: str, pending: PendingSignIn, ttl_s: int) -> None:
        await self.redis.set(self._key(state), _dump(pending), ex=ttl_s)

    async def take(self, state: str) -> PendingSignIn | None:
        return _load(await self.redis.getdel(self._key(state)))

    async def peek(self, state: str) -> PendingSignIn | None:
        return _load(await self.redis.get(self._key(state)))

    async def amend(self, state: str, pending: PendingSignIn) -> None:
        # XX: a key GETDEL took in the meantime stays gone; KEEPTTL: the attempt expires when it would have
        await self.redis.set(self._key(state), _dump(pending), xx=True, keepttl=True)


def _dump(pending: PendingSignIn) -> str:
    value = {
        "provider": pending.provider,
        "redirect_uri": pending.redirect_uri,
        "nonce": pending.nonce,
        "code_verifier": pending.code_verifier,
        "expires_at": pending.expires_at.isoformat(),
        "user_id": pending.user_id,
        "app_redirect_uri": pending.app_redirect_uri,
        "name": pending.name,
    }
    return json.dumps(value)


def _load(raw: bytes | str | None) -> PendingSignIn | None:
    if raw is None:
        return None
    value = json.loads(raw)
    return PendingSignIn(
        provider=value["provider"],
        redirect_uri=value["redirect_uri"],
        nonce=value["nonce"],
        code_verifier=value["code_verifier"],
        expires_at=datetime.fromisoformat(value["expires_at"]),
        user_id=value["user_id"],
        app_redirect_uri=value.get("app_redirect_uri"),
        name=value.get("name"),
    )


class RedisPendingLinks:
    """Identity links waiting for their mailed code, under a hash of the link token; GETDEL: one try each."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix

    def _key(self, link_token: str) -> str:
        return f"{self.prefix}:oauth:link:{hashlib.sha256(link_token.encode()).hexdigest()}"

    async def put(self, link_token: str, pending: PendingLink, ttl_s: int) -> None:
        link = pending.link
        value = {
            "user_id": link.user_id,
            "provider": link.provider,
            "subject": link.subject,
            "email": link.email,
            "linked_at": link.linked_at.isoformat(),
            "code_hash": pending.code_hash,
        }
        await self.redis.set(self._key(link_token), json.dumps(value), ex=ttl_s)

    async def take(self, link_token: str) -> PendingLink | None:
        raw = await self.redis.getdel(self._key(link_token))
        if raw is None:
            return None
        value = json.loads(raw)
        link = LinkedIdentity(
            value["user_id"],
            value["provider"],
            value["subject"],
            value["email"],
            datetime.fromisoformat(value["linked_at"]),
        )
        return PendingLink(link, value["code_hash"])
