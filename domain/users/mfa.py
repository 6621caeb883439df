"""Optional TOTP two-factor authentication: enrol, confirm with a first code, and hashed single-use
recovery codes for when the phone is lost."""

import secrets
from dataclasses import dataclass, replace

from domain.errors import BadUserInput
from domain.users.model import AuditKind, Mfa, RequestMeta, User, Viewer
from domain.users.service import (
    Identity,
    digest,
    give_back,
    live_user,
    record,
    security_alert,
    signed_in,
    take_password_attempt,
)

_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


@dataclass(frozen=True, slots=True)
class MfaEnrolment:
    secret: str
    otpauth_uri: str


def new_recovery_code() -> str:
    """12 symbols of a 32-letter alphabet: 60 bits, enough for a plain SHA-256 at rest."""
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def recovery_code_hash(code: str) -> str:
    return digest(code.replace("-", "").replace(" ", "").upper())


async def enrol_mfa(identity: Identity, viewer: Viewer) -> MfaEnrolment:
    user = await live_user(identity, signed_in(viewer))
    if user.mfa.enabled:
        raise BadUserInput("two-factor authentication is already on; turn it off first")
    secret = identity.authenticator.new_secret()
    await identity.users.update(replace(user, mfa=replace(user.mfa, pending_secret=secret)), "mfa")
    return MfaEnrolment(secret, identity.authenticator.provisioning_uri(secret, user.email))


async def confirm_mfa(identity: Identity, viewer: Viewer, code: str, meta: RequestMeta) -> list[str]:
    """Turn MFA on once the app shows a right code; returns the recovery codes, shown this once only."""
    user = await live_user(identity, signed_in(viewer))
    pending = user.mfa.pending_secret
    if user.mfa.enabled or pending is None:
        raise BadUserInput("start enrolment first", field="code")
    step = identity.authenticator.matching_step(pending, code.strip(), identity.clock.now())
    if step is None:
        raise BadUserInput("that code is not right; check the time on your device", field="code")
    codes = [new_recovery_code() for _ in range(identity.config.recovery_code_count)]
    mfa = Mfa(secret=pending, recovery_code_hashes=tuple(recovery_code_hash(c) for c in codes), last_step=step)
    await identity.users.update(replace(user, mfa=mfa), "mfa")
    await record(identity, AuditKind.MFA_ENABLED, user.id, meta)
    await mfa_changed(identity, user, "An authenticator app now signs you in as a second step")
    return codes


async def disable_mfa(identity: Identity, viewer: Viewer, password: str, code: str, meta: RequestMeta) -> None:
    user = await live_user(identity, signed_in(viewer))
    if not user.mfa.enabled:
        raise BadUserInput("two-factor authentication is not on")
    attempt = await take_password_attempt(identity, user.email)
    if not await identity.hasher.verify(user.password_hash, password):
        raise BadUserInput("wrong password", field="password")
    if not await accept_second_factor(identity, user, code, meta):
        raise BadUserInput("wrong authentication code", field="code")
    await give_back(identity, attempt)
    await identity.users.update(replace(user, mfa=Mfa()), "mfa")
    await record(identity, AuditKind.MFA_DISABLED, user.id, meta)
    await mfa_changed(identity, user, "Your authenticator app no longer signs you in: the password alone does")


async def mfa_changed(identity: Identity, user: User, change: str) -> None:
    await security_alert(
        identity,
        user,
        "Your Migratio sign-in changed",
        f"{change}.\nNot you? Reset your password now at {identity.config.app_url}/forgot-password\n",
    )


async def accept_second_factor(identity: Identity, user: User, code: str, meta: RequestMeta) -> bool:
    """A TOTP code not used before (no replay within its window), or an unused recovery code (then spent)."""
    secret = user.mfa.secret
    if secret is None:
        return False
    cleaned = code.replace(" ", "")
    if cleaned.isdigit() and len(cleaned) == 6:
        step = identity.authenticator.matching_step(secret, cleaned, identity.clock.now())
        return step is not None and await identity.users.advance_totp_step(user.id, step)
    hashed = recovery_code_hash(cleaned)
    if hashed in user.mfa.recovery_code_hashes and await identity.users.consume_recovery_code(user.id, hashed):
        await record(
            identity, AuditKind.RECOVERY_CODE_USED, user.id, meta, remaining=str(len(user.mfa.recovery_code_hashes) - 1)
        )
        return True
    return False
