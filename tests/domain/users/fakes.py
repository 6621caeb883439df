"""In-memory stand-ins for every identity port, so the use cases run with no services and a movable clock."""

from __future__ import annotations

import itertools
import json
from collections.abc import Coroutine, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.users.model import (
    AccessClaims,
    AccountNotice,
    ApiKey,
    AuditEvent,
    JsonValue,
    PresignedPost,
    RefreshSession,
    Role,
    StoredObject,
    Ticket,
    TicketPurpose,
    User,
)
from domain.users.ports import EmailAlreadyRegistered, InvalidToken
from domain.users.service import Identity, IdentityConfig


@dataclass
class Clock:
    current: datetime = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


@dataclass
class Users:
    by_key: dict[str, User] = field(default_factory=dict)

    async def add(self, user: User) -> None:
        if any(u.email == user.email for u in self.by_key.values()):
            raise EmailAlreadyRegistered(user.email)
        self.by_key[user.id] = user

    async def by_id(self, user_id: str) -> User | None:
        return self.by_key.get(user_id)

    async def by_email(self, email: str) -> User | None:
        return next((u for u in self.by_key.values() if u.email == email), None)

    async def update(self, user: User, *fields: str) -> None:
        stored = self.by_key[user.id]
        self.by_key[user.id] = replace(stored, **{name: getattr(user, name) for name in fields})

    async def consume_recovery_code(self, user_id: str, code_hash: str) -> bool:
        user = self.by_key[user_id]
        if code_hash not in user.mfa.recovery_code_hashes:
            return False
        left = tuple(h for h in user.mfa.recovery_code_hashes if h != code_hash)
        self.by_key[user_id] = replace(user, mfa=replace(user.mfa, recovery_code_hashes=left))
        return True

    async def advance_totp_step(self, user_id: str, step: int) -> bool:
        user = self.by_key[user_id]
        if user.mfa.last_step >= step:
            return False
        self.by_key[user_id] = replace(user, mfa=replace(user.mfa, last_step=step))
        return True

    async def page(self, offset: int, limit: int) -> list[User]:
        return sorted(self.by_key.values(), key=lambda u: u.created_at)[offset : offset + limit]

    async def clients_of(self, advisor_id: str) -> list[User]:
        return [u for u in self.by_key.values() if u.advisor_id == advisor_id]

    async def client_of(self, advisor_id: str, client_id: str) -> User | None:
        user = self.by_key.get(client_id)
        return user if user and user.advisor_id == advisor_id else None

    async def due_for_purge(self, now: datetime) -> list[User]:
        return [u for u in self.by_key.values() if u.purge_after is not None and u.purge_after <= now]

    async def delete(self, user_id: str) -> None:
        self.by_key.pop(user_id, None)


@dataclass
class Sessions:
    rows: list[RefreshSession] = field(default_factory=list)

    async def add(self, session: RefreshSession) -> None:
        self.rows.append(session)

    def _set(self, index: int, **changes: object) -> None:
        self.rows[index] = replace(self.rows[index], **changes)  # type: ignore[arg-type]

    async def claim(self, token_hash: str, now: datetime) -> RefreshSession | None:
        for i, row in enumerate(self.rows):
            if row.token_hash == token_hash and row.used_at is None and row.revoked_at is None:
                self._set(i, used_at=now)
                return row
        return None

    async def by_token_hash(self, token_hash: str) -> RefreshSession | None:
        return next((r for r in self.rows if r.token_hash == token_hash), None)

    async def revoke_family(self, family_id: str, now: datetime) -> None:
        for i, row in enumerate(self.rows):
            if row.family_id == family_id and row.revoked_at is None:
                self._set(i, revoked_at=now)

    async def revoke_families_of(self, user_id: str, now: datetime, keep: str | None = None) -> list[str]:
        families = sorted(
            {r.family_id for r in self.rows if r.user_id == user_id and r.revoked_at is None and r.family_id != keep}
        )
        for family in families:
            await self.revoke_family(family, now)
        return families

    async def active_for_owner(self, user_id: str, now: datetime) -> list[RefreshSession]:
        return [
            r
            for r in self.rows
            if r.user_id == user_id and r.used_at is None and r.revoked_at is None and r.expires_at > now
        ]

    async def revoke_for_owner(self, user_id: str, family_id: str, now: datetime) -> bool:
        if not any(r.user_id == user_id and r.family_id == family_id and r.revoked_at is None for r in self.rows):
            return False
        await self.revoke_family(family_id, now)
        return True


@dataclass
class Tickets:
    live: dict[str, Ticket] = field(default_factory=dict)

    async def add(self, ticket: Ticket) -> None:
        self.live[ticket.ticket_id] = ticket

    async def consume(self, purpose: TicketPurpose, ticket_id: str, now: datetime) -> bool:
        ticket = self.live.get(ticket_id)
        if ticket is None or ticket.purpose is not purpose or ticket.expires_at <= now:
            return False
        del self.live[ticket_id]
        return True

    async def is_live(self, purpose: TicketPurpose, ticket_id: str, now: datetime) -> bool:
        ticket = self.live.get(ticket_id)
        return ticket is not None and ticket.purpose is purpose and ticket.expires_at > now

    async def discard_for_user(self, user_id: str, purpose: TicketPurpose) -> None:
        for key in [k for k, t in self.live.items() if t.user_id == user_id and t.purpose is purpose]:
            del self.live[key]


@dataclass
class Denylist:
    tokens: set[str] = field(default_factory=set)
    sessions: set[str] = field(default_factory=set)

    async def deny_token(self, token_id: str, ttl_s: int) -> None:
        self.tokens.add(token_id)

    async def deny_sessions(self, session_ids: Sequence[str], ttl_s: int) -> None:
        self.sessions.update(session_ids)

    async def is_denied(self, token_id: str, session_id: str) -> bool:
        return token_id in self.tokens or session_id in self.sessions


class Hasher:
    """Fast and obviously fake: argon2 itself is tested through the API."""

    async def hash(self, password: str) -> str:
        return "plain:" + password

    async def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == "plain:" + password

    def needs_rehash(self, password_hash: str) -> bool:
        return False


@dataclass
class Signer:
    """Tokens are opaque counters; what they stand for lives here, checked against the shared clock."""

    clock: Clock
    issued: dict[str, object] = field(default_factory=dict)
    counter: itertools.count[int] = field(default_factory=itertools.count)

    def _remember(self, what: object) -> str:
        token = f"token-{next(self.counter)}"
        self.issued[token] = what
        return token

    def sign_access(self, claims: AccessClaims) -> str:
        return self._remember(claims)

    def verify_access(self, token: str) -> AccessClaims:
        claims = self.issued.get(token)
        if not isinstance(claims, AccessClaims):
            raise InvalidToken("unknown")
        if claims.expires_at <= self.clock.now():
            raise InvalidToken("expired")
        return claims

    def sign_ticket(self, ticket: Ticket) -> str:
        return self._remember(ticket)

    def verify_ticket(self, token: str, purpose: TicketPurpose) -> Ticket:
        ticket = self.issued.get(token)
        if not isinstance(ticket, Ticket) or ticket.purpose is not purpose:
            raise InvalidToken("unknown")
        if ticket.expires_at <= self.clock.now():
            raise InvalidToken("expired")
        return ticket


class Authenticator:
    """The right code for a time step is the step number itself, zero-padded: easy to compute in a test."""

    def new_secret(self) -> str:
        return "SECRET"

    def provisioning_uri(self, secret: str, account: str) -> str:
        return f"otpauth://totp/Migratio:{account}?secret={secret}"

    def matching_step(self, secret: str, code: str, at: datetime) -> int | None:
        step = int(at.timestamp()) // 30
        for candidate in (step, step - 1, step + 1):
            if code == code_for_step(candidate):
                return candidate
        return None


def code_for_step(step: int) -> str:
    return f"{step % 1_000_000:06d}"


def current_code(clock: Clock) -> str:
    return code_for_step(int(clock.now().timestamp()) // 30)


@dataclass
class Mail:
    to: str
    subject: str
    body: str


@dataclass
class Mailer:
    sent: list[Mail] = field(default_factory=list)

    async def send(self, to: str, subject: str, body: str) -> None:
        self.sent.append(Mail(to, subject, body))

    def to(self, address: str) -> list[Mail]:
        return [m for m in self.sent if m.to == address]


@dataclass
class Notices:
    """The notification area as identity sees it: each notice mailed to the account's address, its kind kept."""

    users: Users
    mailer: Mailer
    kinds: list[tuple[str, AccountNotice]] = field(default_factory=list)  # (user id, kind)

    async def send(self, user_id: str, kind: AccountNotice, subject: str, body: str, key: str) -> None:
        user = await self.users.by_id(user_id)
        assert user is not None
        self.kinds.append((user_id, kind))
        await self.mailer.send(user.email, subject, body)


@dataclass
class Limiter:
    clock: Clock
    hits: dict[str, list[tuple[datetime, str]]] = field(default_factory=dict)

    def _recent(self, key: str, window_s: int) -> list[tuple[datetime, str]]:
        since = self.clock.now() - timedelta(seconds=window_s)
        self.hits[key] = [hit for hit in self.hits.get(key, []) if hit[0] > since]
        return self.hits[key]

    async def acquire(self, limits: Sequence[tuple[str, int]], window_s: int, attempt_id: str) -> int | None:
        waits = []
        for key, limit in limits:
            recent = self._recent(key, window_s)
            if len(recent) >= limit:
                frees_at = recent[len(recent) - limit][0] + timedelta(seconds=window_s)
                waits.append(max(1, int((frees_at - self.clock.now()).total_seconds())))
        if waits:
            return max(waits)
        for key, _ in limits:
            self.hits[key].append((self.clock.now(), attempt_id))
        return None

    async def release(self, keys: Sequence[str], attempt_id: str) -> None:
        for key in keys:
            self.hits[key] = [hit for hit in self.hits.get(key, []) if hit[1] != attempt_id]

    async def clear(self, key: str) -> None:
        self.hits.pop(key, None)


class Inline:
    """Background work runs before the call returns, so a test sees its mail at once."""

    async def start(self, work: Coroutine[Any, Any, None]) -> None:
        await work


@dataclass
class Audit:
    events: list[AuditEvent] = field(default_factory=list)

    async def record(self, event: AuditEvent) -> None:
        self.events.append(event)

    def kinds(self, user_id: str | None = None) -> list[str]:
        return [e.kind.value for e in self.events if user_id is None or e.user_id == user_id]


@dataclass
class Store:
    objects: dict[str, tuple[bytes, str]] = field(default_factory=dict)

    async def presigned_post(
        self, key: str, content_type: str, max_bytes: int, expires_s: int, now: datetime
    ) -> PresignedPost:
        return PresignedPost(
            "http://s3/bucket",
            {"key": key, "Content-Type": content_type},
            key,
            now + timedelta(seconds=expires_s),
            max_bytes,
        )

    async def head(self, key: str) -> StoredObject | None:
        found = self.objects.get(key)
        return StoredObject(key, len(found[0]), found[1]) if found else None

    async def put(self, key: str, body: bytes, content_type: str) -> None:
        self.objects[key] = (body, content_type)

    def download_url(self, key: str, expires_s: int) -> str:
        return f"http://s3/bucket/{key}?expires={expires_s}"

    async def delete(self, key: str) -> None:
        self.objects.pop(key, None)

    async def delete_prefix(self, prefix: str) -> int:
        keys = [k for k in self.objects if k.startswith(prefix)]
        for key in keys:
            del self.objects[key]
        return len(keys)

    def json(self, key: str) -> dict[str, object]:
        loaded: dict[str, object] = json.loads(self.objects[key][0])
        return loaded


@dataclass
class ApiKeys:
    keys: dict[str, ApiKey] = field(default_factory=dict)

    async def add(self, key: ApiKey) -> None:
        self.keys[key.id] = key

    async def by_hash(self, key_hash: str) -> ApiKey | None:
        return next((k for k in self.keys.values() if k.key_hash == key_hash), None)

    async def all(self) -> list[ApiKey]:
        return list(self.keys.values())

    async def revoke(self, key_id: str, now: datetime) -> bool:
        key = self.keys.get(key_id)
        if key is None or key.revoked_at is not None:
            return False
        self.keys[key_id] = replace(key, revoked_at=now)
        return True


@dataclass
class Notes:
    """A personal-data source of some other area: remembers what it was asked to export and erase."""

    held: dict[str, list[str]] = field(default_factory=dict)
    name: str = "notes"

    async def export(self, user_id: str) -> JsonValue | Mapping[str, JsonValue]:
        return list(self.held.get(user_id, []))

    async def erase(self, user_id: str) -> None:
        self.held.pop(user_id, None)


@dataclass
class World:
    """One Identity on fakes, with each fake reachable for assertions."""

    clock: Clock = field(default_factory=Clock)
    config: IdentityConfig = field(default_factory=IdentityConfig)

    def __post_init__(self) -> None:
        self.users, self.sessions, self.tickets, self.denylist = Users(), Sessions(), Tickets(), Denylist()
        self.signer, self.mailer, self.limiter = Signer(self.clock), Mailer(), Limiter(self.clock)
        self.audit, self.store, self.api_keys, self.notes = Audit(), Store(), ApiKeys(), Notes()
        self.notices = Notices(self.users, self.mailer)
        self.identity = Identity(
            users=self.users,
            sessions=self.sessions,
            tickets=self.tickets,
            denylist=self.denylist,
            hasher=Hasher(),
            signer=self.signer,
            authenticator=Authenticator(),
            notices=self.notices,
            clock=self.clock,
            limiter=self.limiter,
            audit=self.audit,
            store=self.store,
            api_keys=self.api_keys,
            background=Inline(),
            personal_data=(self.notes,),
            config=self.config,
        )

    async def verified_user(
        self, email: str = "ann@example.com", password: str = "tangerine-lantern-42", role: Role = Role.USER
    ) -> User:
        user = User(
            id=email.split("@")[0],
            email=email,
            name="Ann Example",
            locale="en",
            password_hash="plain:" + password,
            created_at=self.clock.now(),
            role=role,
            email_verified_at=self.clock.now(),
        )
        await self.users.add(user)
        return user
