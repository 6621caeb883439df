"""What the identity use cases need from the outside world; `datasources/` provides each of these."""

from collections.abc import Coroutine, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from domain.users.model import (
    AccessClaims,
    AccountNotice,
    ApiKey,
    AuditEvent,
    JsonValue,
    PresignedPost,
    RefreshSession,
    StoredObject,
    Ticket,
    TicketPurpose,
    User,
)


class EmailAlreadyRegistered(Exception):
    """Raised by `UserRepository.add` when the unique email index refuses the insert."""


class InvalidToken(Exception):
    """Raised by a `TokenSigner` for any token it did not sign, or that is expired or malformed."""


class UserRepository(Protocol):
    async def add(self, user: User) -> None: ...
    async def by_id(self, user_id: str) -> User | None: ...
    async def by_email(self, email: str) -> User | None: ...

    async def update(self, user: User, *fields: str) -> None:
        """Write only the named attributes of `user` (one atomic `$set`), so unrelated edits never clash."""

    async def consume_recovery_code(self, user_id: str, code_hash: str) -> bool:
        """Remove one recovery code atomically; False when it was not there (unknown or already used)."""

    async def advance_totp_step(self, user_id: str, step: int) -> bool:
        """Record the TOTP time step just used; False when it (or a later one) was used already: no replay."""

    async def page(self, offset: int, limit: int) -> list[User]: ...
    async def clients_of(self, advisor_id: str) -> list[User]: ...

    async def client_of(self, advisor_id: str, client_id: str) -> User | None:
        """The client only when assigned to this advisor, so a forgotten check yields NOT_FOUND."""

    async def due_for_purge(self, now: datetime) -> list[User]: ...
    async def delete(self, user_id: str) -> None: ...


class SessionStore(Protocol):
    async def add(self, session: RefreshSession) -> None: ...

    async def claim(self, token_hash: str, now: datetime) -> RefreshSession | None:
        """Mark an unused, unrevoked token used, atomically; the token as it was, or None."""

    async def by_token_hash(self, token_hash: str) -> RefreshSession | None: ...
    async def revoke_family(self, family_id: str, now: datetime) -> None: ...

    async def revoke_families_of(self, user_id: str, now: datetime, keep: str | None = None) -> list[str]:
        """Revoke every session of the user except `keep`; the ids of the families revoked."""

    async def active_for_owner(self, user_id: str, now: datetime) -> list[RefreshSession]: ...

    async def revoke_for_owner(self, user_id: str, family_id: str, now: datetime) -> bool:
        """Revoke one of the owner's sessions; False when the owner has no such active session."""


class TokenStore(Protocol):
    """Remembers issued tickets (by hash of their id) so that each one works only once."""

    async def add(self, ticket: Ticket) -> None: ...

    async def consume(self, purpose: TicketPurpose, ticket_id: str, now: datetime) -> bool:
        """Delete the ticket atomically; True only for the one caller that removed an unexpired ticket."""

    async def is_live(self, purpose: TicketPurpose, ticket_id: str, now: datetime) -> bool: ...
    async def discard_for_user(self, user_id: str, purpose: TicketPurpose) -> None: ...


class TokenDenylist(Protocol):
    """Access tokens are stateless; these let a logout or a revoked session take effect at once."""

    async def deny_token(self, token_id: str, ttl_s: int) -> None: ...
    async def deny_sessions(self, session_ids: Sequence[str], ttl_s: int) -> None: ...
    async def is_denied(self, token_id: str, session_id: str) -> bool: ...


class PasswordHasher(Protocol):
    """Deliberately slow (argon2): implementations run it off the event loop, a bounded number at a time."""

    async def hash(self, password: str) -> str: ...
    async def verify(self, password_hash: str, password: str) -> bool: ...
    def needs_rehash(self, password_hash: str) -> bool: ...


class TokenSigner(Protocol):
    def sign_access(self, claims: AccessClaims) -> str: ...

    def verify_access(self, token: str) -> AccessClaims:
        """Raises InvalidToken."""

    def sign_ticket(self, ticket: Ticket) -> str: ...

    def verify_ticket(self, token: str, purpose: TicketPurpose) -> Ticket:
        """Raises InvalidToken, also when the ticket was issued for another purpose."""


class Authenticator(Protocol):
    """Time-based one-time passwords (RFC 6238)."""

    def new_secret(self) -> str: ...
    def provisioning_uri(self, secret: str, account: str) -> str: ...

    def matching_step(self, secret: str, code: str, at: datetime) -> int | None:
        """The time step whose code equals `code` (one step of clock drift allowed), or None."""


class AccountNotices(Protocol):
    """Notices about the account, sent by the notification area: recorded in its send log and on the channels its
    kind allows (domain.notifications)."""

    async def send(self, user_id: str, kind: AccountNotice, subject: str, body: str, key: str) -> None:
        """`key` names the notice: the same key again is recorded, and sent, once."""


class Background(Protocol):
    async def start(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` after the answer: what only one branch does must not show in the response time."""


class Clock(Protocol):
    def now(self) -> datetime: ...


class RateLimiter(Protocol):
    async def acquire(self, limits: Sequence[tuple[str, int]], window_s: int, attempt_id: str) -> int | None:
        """Count the attempt against every (key, limit) in one atomic step — unless a key already holds `limit`
        attempts in the window: then count nothing and return the seconds until it frees one."""

    async def release(self, keys: Sequence[str], attempt_id: str) -> None:
        """Uncount an attempt that turned out not to be a failure."""

    async def clear(self, key: str) -> None: ...


class AuditLog(Protocol):
    async def record(self, event: AuditEvent) -> None: ...


class ObjectStore(Protocol):
    async def presigned_post(
        self, key: str, content_type: str, max_bytes: int, expires_s: int, now: datetime
    ) -> PresignedPost: ...

    async def head(self, key: str) -> StoredObject | None: ...
    async def put(self, key: str, body: bytes, content_type: str) -> None: ...
    def download_url(self, key: str, expires_s: int) -> str: ...
    async def delete(self, key: str) -> None: ...
    async def delete_prefix(self, prefix: str) -> int: ...


class ApiKeyRepository(Protocol):
    async def add(self, key: ApiKey) -> None: ...
    async def by_hash(self, key_hash: str) -> ApiKey | None: ...
    async def all(self) -> list[ApiKey]: ...
    async def revoke(self, key_id: str, now: datetime) -> bool: ...


class PersonalData(Protocol):
    """One place that holds data about a person: what an export shows and what an erasure removes."""

    name: str

    async def export(self, user_id: str) -> JsonValue | Mapping[str, JsonValue]: ...
    async def erase(self, user_id: str) -> None: ...


class SmsSecondFactor(Protocol):
    """One-time codes texted to the person's verified number, as a second factor beside TOTP
    (domain.notifications.second_factor)."""

    async def enabled(self, user_id: str) -> bool: ...

    async def set_enabled(self, user_id: str, enabled: bool) -> bool:
        """False when turning it on without a verified phone number."""

    async def send_code(self, user_id: str, challenge_id: str) -> None:
        """Text a fresh code for this sign-in challenge (the latest one sent is the one accepted)."""

    async def accept(self, user_id: str, challenge_id: str, code: str) -> bool:
        """True once for the right, unexpired code of this challenge."""
