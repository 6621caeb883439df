"""Signed tokens (PyJWT, HMAC keys chosen by `kid` so they can rotate) and the Redis denylist that makes a
logout or a revoked session take effect before the access token expires."""

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import jwt
from redis.asyncio import Redis

from domain.users.model import AccessClaims, Role, Ticket, TicketPurpose
from domain.users.ports import InvalidToken

ALLOWED_ALGORITHMS = frozenset({"HS256", "HS384", "HS512"})
_REQUIRED = ["exp", "iat", "sub", "jti", "aud", "iss"]


class JwtTokenSigner:
    """Signs with the current kid; verifies with whichever configured kid the header names, and only with
    the one pinned algorithm, so `alg: none` or an algorithm swap is refused before any signature check."""

    def __init__(
        self,
        keys: Mapping[str, str],
        current_kid: str,
        *,
        algorithm: str = "HS256",
        issuer: str = "migratio",
        audience: str = "migratio-api",
        leeway_s: int = 5,
    ) -> None:
        if current_kid not in keys:
            raise ValueError(f"jwt_current_kid {current_kid!r} is not among the configured keys")
        if algorithm not in ALLOWED_ALGORITHMS:
            raise ValueError(f"jwt algorithm must be one of {sorted(ALLOWED_ALGORITHMS)}")
        self.keys = dict(keys)
        self.current_kid = current_kid
        self.algorithm = algorithm
        self.issuer = issuer
        self.audience = audience
        self.leeway_s = leeway_s

    def _encode(self, payload: dict[str, Any]) -> str:
        return jwt.encode(
            payload, self.keys[self.current_kid], algorithm=self.algorithm, headers={"kid": self.current_kid}
        )

    def _decode(self, token: str, audience: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise InvalidToken("malformed") from None
        if header.get("alg") != self.algorithm:
            raise InvalidToken("algorithm not allowed")
        key = self.keys.get(str(header.get("kid")))
        if key is None:
            raise InvalidToken("unknown signing key")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[self.algorithm],
                audience=audience,
                issuer=self.issuer,
                leeway=self.leeway_s,
                options={"require": _REQUIRED},
            )
        except jwt.ExpiredSignatureError:
            raise InvalidToken("expired") from None
        except jwt.PyJWTError:
            raise InvalidToken("bad signature or claims") from None
        return claims

    def sign_access(self, claims: AccessClaims) -> str:
        return self._encode(
            {
                "iss": self.issuer,
                "aud": self.audience,
                "sub": claims.user_id,
                "role": claims.role.value,
                "sid": claims.session_id,
                "jti": claims.token_id,
                "iat": int(claims.issued_at.timestamp()),
                "exp": int(claims.expires_at.timestamp()),
            }
        )

    def verify_access(self, token: str) -> AccessClaims:
        claims = self._decode(token, self.audience)
        try:
            return AccessClaims(
                user_id=str(claims["sub"]),
                role=Role(claims["role"]),
                session_id=str(claims["sid"]),
                token_id=str(claims["jti"]),
                issued_at=datetime.fromtimestamp(claims["iat"], UTC),
                expires_at=datetime.fromtimestamp(claims["exp"], UTC),
            )
        except (KeyError, ValueError, TypeError):
            raise InvalidToken("bad claims") from None

    def _ticket_audience(self, purpose: TicketPurpose) -> str:
        return f"{self.audience}:{purpose.value}"

    def sign_ticket(self, ticket: Ticket) -> str:
        return self._encode(
            {
                "iss": self.issuer,
                "aud": self._ticket_audience(ticket.purpose),
                "sub": ticket.user_id,
                "jti": ticket.ticket_id,
                "iat": int(datetime.now(UTC).timestamp()),
                "exp": int(ticket.expires_at.timestamp()),
            }
        )

    def verify_ticket(self, token: str, purpose: TicketPurpose) -> Ticket:
        claims = self._decode(token, self._ticket_audience(purpose))
        return Ticket(purpose, str(claims["sub"]), str(claims["jti"]), datetime.fromtimestamp(claims["exp"], UTC))


class RedisTokenDenylist:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix

    def _token(self, token_id: str) -> str:
        return f"{self.prefix}:deny:jti:{token_id}"

    def _session(self, session_id: str) -> str:
        return f"{self.prefix}:deny:sid:{session_id}"

    async def deny_token(self, token_id: str, ttl_s: int) -> None:
        await self.redis.set(self._token(token_id), "1", ex=ttl_s)

    async def deny_sessions(self, session_ids: Sequence[str], ttl_s: int) -> None:
        if not session_ids:
            return
        async with self.redis.pipeline(transaction=False) as pipe:
            for session_id in session_ids:
                pipe.set(self._session(session_id), "1", ex=ttl_s)
            await pipe.execute()

    async def is_denied(self, token_id: str, session_id: str) -> bool:
        found: int = await self.redis.exists(self._token(token_id), self._session(session_id))
        return found > 0
