"""Signing in with an OpenID Connect provider (authorization code + PKCE), and the accounts it creates or links.

An account that already exists with the provider's e-mail is never taken over by signing in: the person signs
in to it first and links the provider (`link_identity`), so a provider that does not check addresses cannot
hand someone else's account to whoever claims the address there.
"""

import hmac
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from urllib.parse import urlencode, urlsplit

from domain.errors import BadUserInput, Forbidden, NotFound, Unauthenticated, Unavailable
from domain.users.model import AccountNotice, AuditKind, RequestMeta, TicketPurpose, User, Viewer
from domain.users.oauth_ports import (
    IdentityLinks,
    IdTokenRejected,
    LinkedIdentity,
    OidcClient,
    PendingLink,
    PendingLinks,
    PendingSignIn,
    PendingSignIns,
    ProviderClaims,
    ProviderUnavailable,
)
from domain.users.ports import EmailAlreadyRegistered
from domain.users.privacy import refuse_while_deletion_scheduled
from domain.users.registration import report_sign_up
from domain.users.service import (
    Identity,
    IssuedTokens,
    digest,
    issue_ticket,
    live_user,
    new_id,
    record,
    signed_in,
    start_session,
)
from domain.users.sessions import MfaChallenge
from domain.users.validation import normalise_email

_ATTEMPT_GONE = "this sign-in attempt is invalid, used or expired; start again"
_WEB_SCHEMES = ("http", "https")


@dataclass(frozen=True, slots=True)
class Provider:
    name: str
    label: str
    callback_uri: str | None = None  # form_post providers (Apple) post the code to this route of ours


@dataclass(frozen=True, slots=True)
class OAuthConfig:
    providers: tuple[Provider, ...] = ()
    web_origins: tuple[str, ...] = ()
    app_schemes: tuple[str, ...] = ()
    state_ttl_s: int = 600


@dataclass(frozen=True)
class OAuth:
    identity: Identity
    client: OidcClient
    pending: PendingSignIns
    links: IdentityLinks
    pending_links: PendingLinks
    config: OAuthConfig = field(default_factory=OAuthConfig)


@dataclass(frozen=True, slots=True)
class OAuthStart:
    authorization_url: str
    state: str
    expires_at: datetime


def redirect_allowed(uri: str, web_origins: tuple[str, ...], app_schemes: tuple[str, ...]) -> bool:
    """A web page on an allowed origin, or the mobile app's own scheme; never credentials or a fragment."""
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError:
        return False
    if parts.fragment or parts.username or parts.password:
        return False
    scheme = parts.scheme.lower()
    if scheme in _WEB_SCHEMES:
        if not parts.hostname:
            return False
        origin = f"{scheme}://{parts.hostname}" + (f":{port}" if port else "")
        return origin in {o.rstrip("/").lower() for o in web_origins}
    return scheme in {s.lower() for s in app_schemes} and bool(parts.netloc or parts.path)


def providers(oauth: OAuth) -> list[Provider]:
    return list(oauth.config.providers)


def _known(oauth: OAuth, provider: str) -> Provider:
    found = next((p for p in oauth.config.providers if p.name == provider), None)
    if found is None:
        raise BadUserInput(f"unknown sign-in provider {provider!r}", field="provider")
    return found


async def start_sign_in(oauth: OAuth, viewer: Viewer, provider: str, redirect_uri: str) -> OAuthStart:
    """State, nonce and PKCE verifier are kept server-side under the state, for one use within the TTL."""
    callback = _known(oauth, provider).callback_uri
    if not redirect_allowed(redirect_uri, oauth.config.web_origins, oauth.config.app_schemes):
        raise BadUserInput("this redirect URI is not allowed", field="redirectUri")
    state, nonce, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(48)
    expires_at = oauth.identity.clock.now() + timedelta(seconds=oauth.config.state_ttl_s)
    sent_to = callback or redirect_uri  # the exchange must name the redirect URI the provider was given
    try:
        url = await oauth.client.authorization_url(provider, sent_to, state, nonce, verifier)
    except ProviderUnavailable as error:
        raise Unavailable(f"{provider} cannot be reached; try again", dependency=provider) from error
    app_redirect = redirect_uri if callback else None
    pending = PendingSignIn(provider, sent_to, nonce, verifier, expires_at, viewer.user_id, app_redirect)
    await oauth.pending.put(state, pending, oauth.config.state_ttl_s)
    return OAuthStart(url, state, expires_at)


async def hand_back(oauth: OAuth, provider: str, form: Mapping[str, str]) -> str:
    """A form_post provider posted `code` and `state` (or `error`) to our callback: the app's redirect URI with
    them in the query, so web and mobile finish with `completeOAuthSignIn` as with any provider. A name posted
    beside them (Apple's `user`, sent on the first sign-in only and not in the ID token) is kept for the account."""
    state = form.get("state", "")
    pending = await oauth.pending.peek(state) if state else None
    if (
        pending is None
        or pending.provider != _known(oauth, provider).name
        or pending.app_redirect_uri is None
        or pending.expires_at <= oauth.identity.clock.now()
    ):
        raise Unauthenticated(_ATTEMPT_GONE)
    name = posted_name(form.get("user"))
    if name and not pending.name:
        await oauth.pending.amend(state, replace(pending, name=name))
    answer = {key: form[key] for key in ("code", "error") if form.get(key)} | {"state": state}
    separator = "&" if urlsplit(pending.app_redirect_uri).query else "?"
    return pending.app_redirect_uri + separator + urlencode(answer)


def posted_name(user: str | None) -> str | None:
    """`{"name": {"firstName", "lastName"}, "email"}` as Apple posts it; only the name is taken (unsigned)."""
    try:
        parsed = json.loads(user) if user else None
    except ValueError:
        return None
    names = parsed.get("name") if isinstance(parsed, dict) else None
    if not isinstance(names, dict):
        return None
    parts = [names.get("firstName"), names.get("lastName")]
    joined = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
    return joined[:100] or None


async def _verified_claims(
    oauth: OAuth, provider: str, code: str, state: str, meta: RequestMeta
) -> tuple[PendingSignIn, ProviderClaims]:
    _known(oauth, provider)
    pending = await oauth.pending.take(state)
    if pending is None or pending.provider != provider or pending.expires_at <= oauth.identity.clock.now():
        await record(oauth.identity, AuditKind.OAUTH_REFUSED, None, meta, provider=provider, reason="state")
        raise Unauthenticated(_ATTEMPT_GONE)
    try:
        claims = await oauth.client.exchange(provider, code, pending.redirect_uri, pending.code_verifier, pending.nonce)
    except IdTokenRejected as error:
        await record(oauth.identity, AuditKind.OAUTH_REFUSED, None, meta, provider=provider, reason=str(error))
        raise Unauthenticated(f"{provider} sign-in could not be verified; start again") from error
    except ProviderUnavailable as error:
        raise Unavailable(f"{provider} cannot be reached; try again", dependency=provider) from error
    return pending, claims


async def complete_sign_in(
    oauth: OAuth, provider: str, code: str, state: str, meta: RequestMeta
) -> IssuedTokens | MfaChallenge:
    """The linked account, or a new one; an existing account with the address must link the provider itself."""
    identity = oauth.identity
    pending, claims = await _verified_claims(oauth, provider, code, state, meta)
    claims = claims if claims.name else replace(claims, name=pending.name)
    link = await oauth.links.by_identity(provider, claims.subject)
    user = await identity.users.by_id(link.user_id) if link else await _new_account(oauth, provider, claims, meta)
    if user is None:
        raise Unauthenticated("this account no longer exists")
    return await _signed_in(oauth, user, provider, meta)


async def _signed_in(oauth: OAuth, user: User, provider: str, meta: RequestMeta) -> IssuedTokens | MfaChallenge:
    identity = oauth.identity
    if user.deletion_requested_at is not None:
        await refuse_while_deletion_scheduled(identity, user)
    if user.mfa.enabled:
        token, expires_at = await issue_ticket(
            identity, TicketPurpose.MFA_CHALLENGE, user.id, identity.config.mfa_challenge_ttl_s
        )
        return MfaChallenge(token, expires_at)
    tokens = await start_session(identity, user, meta)
    await record(identity, AuditKind.OAUTH_SIGNED_IN, user.id, meta, provider=provider)
    return tokens


async def _new_account(oauth: OAuth, provider: str, claims: ProviderClaims, meta: RequestMeta) -> User:
    identity = oauth.identity
    if not claims.email or not claims.email_verified:
        await record(identity, AuditKind.OAUTH_REFUSED, None, meta, provider=provider, reason="email_not_verified")
        raise Forbidden(f"{provider} has not verified your e-mail address", reason="EMAIL_NOT_VERIFIED")
    email = normalise_email(claims.email)
    existing = await identity.users.by_email(email)
    if existing is not None:
        raise await _offer_link_by_mail(oauth, existing, provider, claims)
    now = identity.clock.now()
    user = User(
        id=new_id(),
        email=email,
        name=(claims.name or email.split("@")[0])[:100],
        locale="en",
        password_hash="",  # no password: a reset mail sets one
        created_at=now,
        email_verified_at=now,
    )
    try:
        await identity.users.add(user)
    except EmailAlreadyRegistered:
        # a parallel first sign-in with this identity made the account: sign in to it if it linked it
        link = await oauth.links.by_identity(provider, claims.subject)
        found = await identity.users.by_id(link.user_id) if link else None
        if found is None:
            raise _account_exists(provider) from None
        return found
    if not await oauth.links.add(LinkedIdentity(user.id, provider, claims.subject, email, now)):
        await identity.users.delete(user.id)
        link = await oauth.links.by_identity(provider, claims.subject)
        found = await identity.users.by_id(link.user_id) if link else None
        if found is None:
            raise Unauthenticated(_ATTEMPT_GONE)
        return found
    report_sign_up(identity, user.id, provider)
    await record(identity, AuditKind.REGISTERED, user.id, meta, provider=provider)
    await record(identity, AuditKind.IDENTITY_LINKED, user.id, meta, provider=provider)
    return user


def _account_exists(provider: str, **details: object) -> Forbidden:
    return Forbidden(
        f"an account with this e-mail address exists: sign in to it and link {provider}, or confirm with "
        "the code we mailed to the address",
        reason="ACCOUNT_EXISTS_LINK_REQUIRED",
        **details,
    )


async def _offer_link_by_mail(oauth: OAuth, user: User, provider: str, claims: ProviderClaims) -> Forbidden:
    """The caller gets a link token, the mailbox a code; `confirm_link_by_mail` needs both, so neither the
    provider's claim alone nor a click in the mail by the owner (without the caller's token) links anything."""
    identity = oauth.identity
    link_token, code = secrets.token_urlsafe(32), secrets.token_urlsafe(16)
    link = LinkedIdentity(user.id, provider, claims.subject, user.email, identity.clock.now())
    await oauth.pending_links.put(link_token, PendingLink(link, digest(code)), oauth.config.state_ttl_s)
    minutes = max(oauth.config.state_ttl_s // 60, 1)
    body = (
        f"Someone signing in with {provider} asked to link that {provider} account to your Migratio account.\n\n"
        f"If it was you, finish on the same device within {minutes} minutes:\n"
        f"{identity.config.app_url}/link-identity?code={code}\n\n"
        "If it was not you, ignore this mail: nothing is linked without this code.\n"
    )
    subject = f"Link {provider} to your account?"
    notice = identity.notices.send(user.id, AccountNotice.PASSWORD_RESET, subject, body, key=new_id())
    await identity.background.start(notice)
    return _account_exists(provider, linkToken=link_token)


async def confirm_link_by_mail(
    oauth: OAuth, link_token: str, code: str, meta: RequestMeta
) -> IssuedTokens | MfaChallenge:
    """Link the provider identity the sign-in was refused for, and sign in; one try per mailed code."""
    identity = oauth.identity
    pending = await oauth.pending_links.take(link_token)
    if pending is None or not hmac.compare_digest(pending.code_hash, digest(code)):
        await record(identity, AuditKind.OAUTH_REFUSED, pending.link.user_id if pending else None, meta, reason="code")
        raise Unauthenticated("this link code is wrong, used or expired; sign in with the provider again")
    link = replace(pending.link, linked_at=identity.clock.now())
    user = await identity.users.by_id(link.user_id)
    if user is None:
        raise Unauthenticated("this account no longer exists")
    if not await oauth.links.add(link):
        existing = await oauth.links.by_identity(link.provider, link.subject)
        if existing is None or existing.user_id != user.id:
            raise Forbidden(f"this {link.provider} account is linked to another account", reason="IDENTITY_IN_USE")
    else:
        await record(identity, AuditKind.IDENTITY_LINKED, user.id, meta, provider=link.provider, via="mail")
    return await _signed_in(oauth, user, link.provider, meta)


async def link_identity(
    oauth: OAuth, viewer: Viewer, provider: str, code: str, state: str, meta: RequestMeta
) -> LinkedIdentity:
    """Link the provider identity to the signed-in account; the attempt must have been started by this account."""
    user_id = signed_in(viewer)
    await live_user(oauth.identity, user_id)
    pending, claims = await _verified_claims(oauth, provider, code, state, meta)
    if pending.user_id != user_id:
        raise Forbidden("start linking while signed in to this account", reason="LINK_NOT_STARTED_HERE")
    now = oauth.identity.clock.now()
    email = normalise_email(claims.email) if claims.email else None
    link = LinkedIdentity(user_id, provider, claims.subject, email, now)
    if not await oauth.links.add(link):
        existing = await oauth.links.by_identity(provider, claims.subject)
        if existing is not None and existing.user_id == user_id:
            return existing
        raise Forbidden(f"this {provider} account is linked to another account", reason="IDENTITY_IN_USE")
    await record(oauth.identity, AuditKind.IDENTITY_LINKED, user_id, meta, provider=provider)
    return link


async def unlink_identity(oauth: OAuth, viewer: Viewer, provider: str, subject: str, meta: RequestMeta) -> None:
    """Refused when it is the account's last way in (no password and no other linked identity)."""
    user = await live_user(oauth.identity, signed_in(viewer))
    links = await oauth.links.for_user(user.id)
    removed = next((link for link in links if link.provider == provider and link.subject == subject), None)
    if removed is None:
        raise NotFound("no such linked identity", provider=provider)
    if not user.password_hash and len(links) == 1:
        raise _last_way_in()
    if not await oauth.links.remove(user.id, provider, subject):
        raise NotFound("no such linked identity", provider=provider)
    if not user.password_hash and not await oauth.links.for_user(user.id):
        # a parallel unlink took the other one after our count: put this one back (the last to count sees all)
        await oauth.links.add(removed)
        raise _last_way_in()
    await record(oauth.identity, AuditKind.IDENTITY_UNLINKED, user.id, meta, provider=provider)


def _last_way_in() -> Forbidden:
    return Forbidden(
        "this is your only way to sign in: set a password (password reset) or link another provider first",
        reason="LAST_SIGN_IN_METHOD",
    )


async def linked_identities(oauth: OAuth, viewer: Viewer, user_id: str) -> list[LinkedIdentity]:
    """The owner's links; anyone else sees none (the field is declared owner-only too)."""
    if signed_in(viewer) != user_id:
        return []
    return await oauth.links.for_user(user_id)
