"""SMS one-time codes as an optional second factor beside TOTP (TOTP stays the recommended one): turned on and
off with the password, sent on request for a pending sign-in challenge, each code single use for 5 minutes."""

from domain.errors import BadUserInput, Unauthenticated
from domain.users.mfa import mfa_changed
from domain.users.model import AuditKind, RequestMeta, TicketPurpose, Viewer
from domain.users.ports import InvalidToken
from domain.users.service import Identity, give_back, live_user, record, signed_in, take_password_attempt

_CHALLENGE_GONE = "this sign-in attempt is invalid or expired; sign in again"


async def sms_factor_enabled(identity: Identity, user_id: str) -> bool:
    return identity.sms_factor is not None and await identity.sms_factor.enabled(user_id)


async def accept_sms_code(identity: Identity, user_id: str, challenge_id: str, code: str) -> bool:
    if identity.sms_factor is None or not await identity.sms_factor.enabled(user_id):
        return False
    return await identity.sms_factor.accept(user_id, challenge_id, code.replace(" ", ""))


async def set_sms_factor(identity: Identity, viewer: Viewer, password: str, enabled: bool, meta: RequestMeta) -> bool:
    """Turn SMS codes on (a verified phone number needed) or off, after re-entering the password."""
    if identity.sms_factor is None:
        raise BadUserInput("SMS codes are not available", field="enabled")
    user = await live_user(identity, signed_in(viewer))
    attempt = await take_password_attempt(identity, user.email)
    if not await identity.hasher.verify(user.password_hash, password):
        raise BadUserInput("wrong password", field="password")
    await give_back(identity, attempt)
    if not await identity.sms_factor.set_enabled(user.id, enabled):
        raise BadUserInput("verify a phone number first (addPhoneNumber, verifyPhoneNumber)", field="enabled")
    await record(identity, AuditKind.MFA_ENABLED if enabled else AuditKind.MFA_DISABLED, user.id, meta, factor="sms")
    await mfa_changed(
        identity, user, "Texted codes now sign you in" if enabled else "Texted codes no longer sign you in"
    )
    return enabled


async def send_sign_in_code(identity: Identity, mfa_token: str) -> bool:
    """Text a code for the sign-in challenge `mfa_token` (from login) to the account's verified number."""
    now = identity.clock.now()
    try:
        ticket = identity.signer.verify_ticket(mfa_token, TicketPurpose.MFA_CHALLENGE)
    except InvalidToken:
        raise Unauthenticated(_CHALLENGE_GONE) from None
    if not await identity.tickets.is_live(TicketPurpose.MFA_CHALLENGE, ticket.ticket_id, now):
        raise Unauthenticated(_CHALLENGE_GONE)
    if not await sms_factor_enabled(identity, ticket.user_id):
        raise BadUserInput("SMS codes are not turned on for this account; use your authenticator app", field="mfaToken")
    assert identity.sms_factor is not None
    await identity.sms_factor.send_code(ticket.user_id, ticket.ticket_id)
    return True
