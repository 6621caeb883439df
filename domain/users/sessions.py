"""Signing in and out: login (with its MFA step), refresh-token rotation with reuse detection, logout,
and turning a bearer token or API key into a Viewer."""

from dataclasses import dataclass, replace
from datetime import datetime

from domain.errors import Forbidden, NotFound, RateLimited, Unauthenticated
from domain.users.mfa import accept_second_factor
from domain.users.model import AuditKind, RefreshSession, RequestMeta, TicketPurpose, User, Viewer
from domain.users.ports import InvalidToken
from domain.users.privacy import refuse_while_deletion_scheduled
from domain.users.service import (
    Attempt,
    Identity,
    IssuedTokens,
    digest,
    give_back,
    issue_ticket,
    record,
    signed_in,
    start_session,
    take_attempt,
)
from domain.users.sms_factor import accept_sms_code, sms_factor_enabled
from domain.users.validation import normalise_email

_WRONG_CREDENTIALS = "wrong email or password"
_CHALLENGE_GONE = "this sign-in attempt is invalid or expired; sign in again"


@dataclass(frozen=True, slots=True)
class MfaChallenge:
    """Password accepted; `token` and a TOTP or recovery code complete the sign-in."""

    token: str
    expires_at: datetime


def _limit_keys(identity: Identity, email: str, meta: RequestMeta) -> list[tuple[str, int]]:
    config = identity.config
    return [
        (f"login:ip:{meta.ip}", config.login_failures_per_ip),
        (f"login:account:{email}", config.login_failures_per_account),
    ]


async def _limits(identity: Identity, email: str, user_id: str | None, meta: RequestMeta) -> Attempt:
    try:
        return await take_attempt(identity, _limit_keys(identity, email, meta))
    except RateLimited:
        await record(identity, AuditKind.LOGIN_RATE_LIMITED, user_id, meta)
        raise


async def login(identity: Identity, email: str, password: str, meta: RequestMeta) -> IssuedTokens | MfaChallenge:
    address = normalise_email(email)
    user = await identity.users.by_email(address)
    attempt = await _limits(identity, address, user.id if user else None, meta)
    if user is None:
        await identity.hasher.hash(password)  # as slow as a real check, so timing does not reveal unknown addresses
    if user is None or not await identity.hasher.verify(user.password_hash, password):
        await record(identity, AuditKind.LOGIN_FAILED, user.id if user else None, meta, reason="password")
        raise Unauthenticated(_WRONG_CREDENTIALS)
    await give_back(identity, attempt)  # the right password is no failure, whatever follows
    _check_can_sign_in(user)
    if identity.hasher.needs_rehash(user.password_hash):
        await identity.users.update(await _rehashed(identity, user, password), "password_hash")
    if user.mfa.enabled or await sms_factor_enabled(identity, user.id):
        ttl = identity.config.mfa_challenge_ttl_s
        token, expires_at = await issue_ticket(identity, TicketPurpose.MFA_CHALLENGE, user.id, ttl)
        return MfaChallenge(token, expires_at)
    return await _signed_in(identity, user, attempt, meta, mfa=False)


async def login_with_mfa(identity: Identity, mfa_token: str, code: str, meta: RequestMeta) -> IssuedTokens:
    now = identity.clock.now()
    try:
        ticket = identity.signer.verify_ticket(mfa_token, TicketPurpose.MFA_CHALLENGE)
    except InvalidToken:
        raise Unauthenticated(_CHALLENGE_GONE) from None
    user = await identity.users.by_id(ticket.user_id)
    if user is None or not await identity.tickets.is_live(TicketPurpose.MFA_CHALLENGE, ticket.ticket_id, now):
        raise Unauthenticated(_CHALLENGE_GONE)
    attempt = await _limits(identity, user.email, user.id, meta)
    if not await accept_second_factor(identity, user, code, meta) and not await accept_sms_code(
        identity, user.id, ticket.ticket_id, code
    ):
        await record(identity, AuditKind.LOGIN_FAILED, user.id, meta, reason="mfa")
        raise Unauthenticated("wrong authentication code")
    await give_back(identity, attempt)
    if not await identity.tickets.consume(TicketPurpose.MFA_CHALLENGE, ticket.ticket_id, now):
        raise Unauthenticated(_CHALLENGE_GONE)
    _check_can_sign_in(user)
    return await _signed_in(identity, user, attempt, meta, mfa=True)


def _check_can_sign_in(user: User) -> None:
    """Scheduled deletion is checked in `_signed_in`, after the second factor: only then is keeping it offered."""
    if user.email_verified_at is None:
        raise Forbidden("confirm your email address first; we sent you a link", reason="EMAIL_NOT_VERIFIED")


async def _rehashed(identity: Identity, user: User, password: str) -> User:
    return replace(user, password_hash=await identity.hasher.hash(password))


async def _signed_in(identity: Identity, user: User, attempt: Attempt, meta: RequestMeta, *, mfa: bool) -> IssuedTokens:
    await identity.limiter.clear(attempt.keys[1])  # the account's failures are forgiven; the address's are not
    if user.deletion_requested_at is not None:
        await refuse_while_deletion_scheduled(identity, user)
    tokens = await start_session(identity, user, meta)
    await record(identity, AuditKind.LOGIN_SUCCEEDED, user.id, meta, mfa=str(mfa).lower())
    return tokens


async def refresh(identity: Identity, refresh_token: str, meta: RequestMeta) -> IssuedTokens:
    """Rotate: the presented token is spent and a new one issued. A spent token presented again means it
    was stolen (or the client is broken): the whole family is revoked and every access token from it denied."""
    now = identity.clock.now()
    invalid = Unauthenticated("this refresh token is no longer valid; sign in again")
    token_hash = digest(refresh_token)
    claimed = await identity.sessions.claim(token_hash, now)
    if claimed is None:
        spent = await identity.sessions.by_token_hash(token_hash)
        if spent is not None and spent.used_at is not None and spent.revoked_at is None:
            await _revoke_family(identity, spent)
            await record(identity, AuditKind.REFRESH_TOKEN_REUSED, spent.user_id, meta, session=spent.family_id)
        raise invalid
    if claimed.expires_at <= now:
        raise invalid
    user = await identity.users.by_id(claimed.user_id)
    if user is None or user.deletion_requested_at is not None:
        await _revoke_family(identity, claimed)
        raise invalid
    return await start_session(identity, user, meta, family_id=claimed.family_id)


async def _revoke_family(identity: Identity, session: RefreshSession) -> None:
    await identity.sessions.revoke_family(session.family_id, identity.clock.now())
    await identity.denylist.deny_sessions([session.family_id], identity.config.access_ttl_s)


async def logout(identity: Identity, viewer: Viewer, meta: RequestMeta) -> None:
    """Ends this session now: its access token is denied until it would have expired, its refresh token revoked."""
    user_id = signed_in(viewer)
    if viewer.token_id is not None and viewer.token_expires_at is not None:
        remaining = int((viewer.token_expires_at - identity.clock.now()).total_seconds()) + 1
        await identity.denylist.deny_token(viewer.token_id, max(remaining, 1))
    if viewer.session_id is not None:
        await identity.sessions.revoke_family(viewer.session_id, identity.clock.now())
        await identity.denylist.deny_sessions([viewer.session_id], identity.config.access_ttl_s)
    await record(identity, AuditKind.LOGGED_OUT, user_id, meta)


async def authenticate(identity: Identity, access_token: str) -> Viewer:
    """A Viewer for a bearer token; an invalid one gives an anonymous Viewer that says why."""
    try:
        claims = identity.signer.verify_access(access_token)
    except InvalidToken as error:
        return Viewer(auth_error=f"invalid access token: {error}")
    if await identity.denylist.is_denied(claims.token_id, claims.session_id):
        return Viewer(auth_error="this session has ended; sign in again")
    return Viewer(
        user_id=claims.user_id,
        role=claims.role,
        session_id=claims.session_id,
        token_id=claims.token_id,
        token_expires_at=claims.expires_at,
    )


async def authenticate_api_key(identity: Identity, raw_key: str) -> Viewer:
    key = await identity.api_keys.by_hash(digest(raw_key))
    if key is None or key.revoked_at is not None:
        return Viewer(auth_error="invalid or revoked API key")
    return Viewer(api_key_id=key.id, scopes=frozenset(key.scopes))


async def my_sessions(identity: Identity, viewer: Viewer) -> list[RefreshSession]:
    return await identity.sessions.active_for_owner(signed_in(viewer), identity.clock.now())


async def revoke_session(identity: Identity, viewer: Viewer, session_id: str, meta: RequestMeta) -> None:
    user_id = signed_in(viewer)
    if not await identity.sessions.revoke_for_owner(user_id, session_id, identity.clock.now()):
        raise NotFound("no such session", id=session_id)
    await identity.denylist.deny_sessions([session_id], identity.config.access_ttl_s)
    await record(identity, AuditKind.SESSION_REVOKED, user_id, meta, session=session_id)
