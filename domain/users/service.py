"""The identity area's dependencies in one bundle, and the steps several use cases share."""

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from domain.analytics.ports import NO_ANALYTICS, Analytics
from domain.errors import RateLimited, Unauthenticated
from domain.users.model import (
    AccessClaims,
    AccountNotice,
    AuditEvent,
    AuditKind,
    RefreshSession,
    RequestMeta,
    Role,
    Ticket,
    TicketPurpose,
    User,
    Viewer,
)
from domain.users.ports import (
    AccountNotices,
    ApiKeyRepository,
    AuditLog,
    Authenticator,
    Background,
    Clock,
    ObjectStore,
    PasswordHasher,
    PersonalData,
    RateLimiter,
    SessionStore,
    SmsSecondFactor,
    TokenDenylist,
    TokenSigner,
    TokenStore,
    UserRepository,
)


@dataclass(frozen=True, slots=True)
class IdentityConfig:
    """Every tunable of the area; the composition root fills it from settings."""

    app_url: str = "http://localhost:3000"
    access_ttl_s: int = 900
    refresh_ttl_s: int = 30 * 86400
    verify_email_ttl_s: int = 86400
    reset_password_ttl_s: int = 3600
    mfa_challenge_ttl_s: int = 300
    password_min_length: int = 10
    failure_window_s: int = 3600
    login_failures_per_account: int = 5
    login_failures_per_ip: int = 5
    reset_requests_per_account: int = 5
    reset_requests_per_ip: int = 5
    registrations_per_ip: int = 20
    deletion_grace_s: int = 30 * 86400
    photo_max_bytes: int = 5 * 1024 * 1024
    photo_content_types: tuple[str, ...] = ("image/jpeg", "image/png", "image/webp")
    upload_ttl_s: int = 900
    download_ttl_s: int = 3600
    recovery_code_count: int = 10


@dataclass(frozen=True)
class Identity:
    users: UserRepository
    sessions: SessionStore
    tickets: TokenStore
    denylist: TokenDenylist
    hasher: PasswordHasher
    signer: TokenSigner
    authenticator: Authenticator
    notices: AccountNotices
    clock: Clock
    limiter: RateLimiter
    audit: AuditLog
    store: ObjectStore
    api_keys: ApiKeyRepository
    background: Background
    personal_data: Sequence[PersonalData] = ()
    config: IdentityConfig = field(default_factory=IdentityConfig)
    analytics: Analytics = NO_ANALYTICS
    sms_factor: SmsSecondFactor | None = None  # SMS codes as a second factor (TOTP stays the recommended one)


@dataclass(frozen=True, slots=True)
class IssuedTokens:
    access_token: str
    access_expires_at: datetime
    refresh_token: str
    refresh_expires_at: datetime
    user: User


def new_id() -> str:
    return secrets.token_hex(12)


def new_secret_token() -> str:
    """256 random bits: safe to store as a plain SHA-256 (no salt or stretching needed at this entropy)."""
    return secrets.token_urlsafe(32)


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


async def record(
    identity: Identity, kind: AuditKind, user_id: str | None, meta: RequestMeta | None, **details: str
) -> None:
    await identity.audit.record(
        AuditEvent(kind=kind, at=identity.clock.now(), user_id=user_id, ip=meta.ip if meta else None, details=details)
    )


async def security_alert(identity: Identity, user: User, subject: str, body: str) -> None:
    """Tell the person something changed on their account, on the channels they chose for security alerts."""
    await identity.notices.send(user.id, AccountNotice.SECURITY_ALERT, subject, body, key=new_id())


async def issue_ticket(identity: Identity, purpose: TicketPurpose, user_id: str, ttl_s: int) -> tuple[str, datetime]:
    """A signed ticket, remembered so it works once; the token and when it expires."""
    ticket = Ticket(purpose, user_id, new_secret_token(), identity.clock.now() + timedelta(seconds=ttl_s))
    await identity.tickets.add(ticket)
    return identity.signer.sign_ticket(ticket), ticket.expires_at


def access_token_for(identity: Identity, user_id: str, role: Role, session_id: str) -> tuple[str, datetime]:
    now = identity.clock.now()
    expires = now + timedelta(seconds=identity.config.access_ttl_s)
    claims = AccessClaims(user_id, role, session_id, new_secret_token()[:22], now, expires)
    return identity.signer.sign_access(claims), expires


async def start_session(
    identity: Identity, user: User, meta: RequestMeta, family_id: str | None = None
) -> IssuedTokens:
    """A new refresh token (in a new family at login, the same family on rotation) and its access token."""
    now = identity.clock.now()
    family = family_id or new_id()
    refresh = new_secret_token()
    session = RefreshSession(
        id=new_id(),
        user_id=user.id,
        family_id=family,
        token_hash=digest(refresh),
        created_at=now,
        expires_at=now + timedelta(seconds=identity.config.refresh_ttl_s),
        ip=meta.ip,
        user_agent=(meta.user_agent or "")[:200] or None,
    )
    await identity.sessions.add(session)
    access, access_expires = access_token_for(identity, user.id, user.role, family)
    return IssuedTokens(access, access_expires, refresh, session.expires_at, user)


async def revoke_sessions(identity: Identity, user_id: str, keep: str | None = None) -> None:
    """Revoke refresh tokens and deny their access tokens at once (not at their expiry)."""
    families = await identity.sessions.revoke_families_of(user_id, identity.clock.now(), keep)
    await identity.denylist.deny_sessions(families, identity.config.access_ttl_s)


@dataclass(frozen=True, slots=True)
class Attempt:
    """An attempt already counted against its keys; `give_back` uncounts it once it proved not to be a failure."""

    id: str
    keys: tuple[str, ...]


async def take_attempt(identity: Identity, limits: Sequence[tuple[str, int]]) -> Attempt:
    """Count this attempt against every (key, limit) before any work, atomically, or refuse it (RATE_LIMITED)
    when a key is spent for the failure window: parallel attempts can never all pass a check made before
    any of them was counted."""
    attempt = Attempt(new_id(), tuple(key for key, _ in limits))
    retry_after = await identity.limiter.acquire(limits, identity.config.failure_window_s, attempt.id)
    if retry_after is not None:
        raise RateLimited(
            f"too many attempts; retry in {retry_after} seconds",
            retry_after_s=retry_after,
            limit=min(limit for _, limit in limits),
        )
    return attempt


async def take_password_attempt(identity: Identity, email: str) -> Attempt:
    """Re-entering a password (or code) while signed in counts against the account's login failures."""
    return await take_attempt(identity, [(f"login:account:{email}", identity.config.login_failures_per_account)])


async def give_back(identity: Identity, attempt: Attempt) -> None:
    await identity.limiter.release(attempt.keys, attempt.id)


async def live_user(identity: Identity, user_id: str) -> User:
    """The signed-in person's account; gone or scheduled for deletion reads as signed out."""
    user = await identity.users.by_id(user_id)
    if user is None or user.deletion_requested_at is not None:
        raise Unauthenticated("this account no longer exists; sign in again")
    return user


def signed_in(viewer: Viewer) -> str:
    """The caller's user id; fields declare this too, this is the second lock."""
    if viewer.user_id is None:
        raise Unauthenticated(viewer.auth_error or "sign in first")
    return viewer.user_id
