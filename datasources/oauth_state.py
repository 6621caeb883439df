"""Pending social sign-ins in Redis under a hash of their `state`: GETDEL hands each one to exactly one caller
(Redis runs commands one at a time), and the key expires with the attempt."""

import hashlib
import json
from datetime import datetime

from redis.asyncio import Redis

from domain.users.oauth_ports import PendingSignIn


class RedisPendingSignIns:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix

    def _key(self, state: str) -> str:
        return f"{self.prefix}:oauth:state:{hashlib.sha256(state.encode()).hexdigest()}"

    async def put(self, state: str, pending: PendingSignIn, ttl_s: int) -> None:
        value = {
            "provider": pending.provider,
            "redirect_uri": pending.redirect_uri,
            "nonce": pending.nonce,
            "code_verifier": pending.code_verifier,
            "expires_at": pending.expires_at.isoformat(),
            "user_id": pending.user_id,
        }
        await self.redis.set(self._key(state), json.dumps(value), ex=ttl_s)

    async def take(self, state: str) -> PendingSignIn | None:
        raw = await self.redis.getdel(self._key(state))
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
        )
