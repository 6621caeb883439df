"""A person's rights over their data: a full export, and deletion after a grace period they can cancel."""

import json
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import NoReturn

from domain.errors import BadUserInput, Forbidden
from domain.users.model import AccountNotice, AuditKind, JsonValue, RequestMeta, TicketPurpose, User, Viewer
from domain.users.ports import InvalidToken
from domain.users.service import (
    Identity,
    IssuedTokens,
    give_back,
    issue_ticket,
    live_user,
    new_id,
    record,
    revoke_sessions,
    signed_in,
    start_session,
    take_attempt,
    take_password_attempt,
)


@dataclass(frozen=True, slots=True)
class DataExport:
    url: str
    expires_at: datetime
    key: str


def account_record(user: User) -> dict[str, JsonValue]:
    """Everything the account document holds, decrypted, minus secrets that prove nothing to its owner."""
    prefs = user.preferences
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "locale": user.locale,
        "role": user.role.value,
        "createdAt": user.created_at.isoformat(),
        "emailVerifiedAt": user.email_verified_at.isoformat() if user.email_verified_at else None,
        "dateOfBirth": user.date_of_birth.isoformat() if user.date_of_birth else None,
        "passportNumber": user.passport_number,
        "photoKey": user.photo_key,
        "advisorId": user.advisor_id,
        "mfaEnabled": user.mfa.enabled,
        "recoveryCodesLeft": len(user.mfa.recovery_code_hashes),
        "preferences": {
            "language": prefs.language,
            "notificationChannels": [c.value for c in prefs.notification_channels],
            "currency": prefs.currency,
            "ui": dict(prefs.ui),
        },
    }


async def export_my_data(identity: Identity, viewer: Viewer, meta: RequestMeta) -> DataExport:
    user = await live_user(identity, signed_in(viewer))
    now = identity.clock.now()
    document: dict[str, object] = {"exportedAt": now.isoformat(), "account": account_record(user)}
    for source in identity.personal_data:
        document[source.name] = await source.export(user.id)
    key = f"users/{user.id}/exports/{now:%Y%m%dT%H%M%S}-{new_id()}.json"
    await identity.store.put(key, json.dumps(document, indent=2, default=str).encode(), "application/json")
    ttl = identity.config.download_ttl_s
    await record(identity, AuditKind.DATA_EXPORTED, user.id, meta)
    return DataExport(identity.store.download_url(key, ttl), now + timedelta(seconds=ttl), key)


async def mail_deletion_code(identity: Identity, viewer: Viewer) -> datetime:
    """A single-use code, mailed to the account's address, that confirms `delete_my_account` instead of the
    password: accounts made by social sign-in have none, and the address already proves ownership (it resets
    passwords). Returns when the code expires."""
    user = await live_user(identity, signed_in(viewer))
    config = identity.config
    await take_attempt(identity, [(f"deletion-code:account:{user.id}", config.reset_requests_per_account)])
    code, expires_at = await issue_ticket(
        identity, TicketPurpose.CONFIRM_DELETION, user.id, config.reset_password_ttl_s
    )
    await identity.notices.send(
        user.id,
        AccountNotice.PASSWORD_RESET,  # a code that works like a password: e-mail only, never kept readable
        "Confirm deleting your Migratio account",
        f"To delete your account, confirm within {config.reset_password_ttl_s // 60} minutes:\n"
        f"{config.app_url}/delete-account?code={code}\n\n"
        "If you did not ask for this, ignore this mail: nothing is deleted without this code.\n",
        key=new_id(),
    )
    return expires_at


async def _confirm_deletion(identity: Identity, user: User, password: str | None, code: str | None) -> None:
    """The password, or a code from `mail_deletion_code` (once; wrong codes count as wrong passwords)."""
    attempt = await take_password_attempt(identity, user.email)
    if code is not None:
        invalid = BadUserInput("this confirmation code is wrong, used or expired", field="confirmationCode")
        try:
            ticket = identity.signer.verify_ticket(code, TicketPurpose.CONFIRM_DELETION)
        except InvalidToken:
            raise invalid from None
        now = identity.clock.now()
        if ticket.user_id != user.id or not await identity.tickets.consume(ticket.purpose, ticket.ticket_id, now):
            raise invalid
    elif not user.password_hash:
        await give_back(identity, attempt)
        raise BadUserInput(
            "this account has no password: confirm with the code sendAccountDeletionCode mails you",
            field="confirmationCode",
        )
    elif not await identity.hasher.verify(user.password_hash, password or ""):
        raise BadUserInput("wrong password", field="password")
    await give_back(identity, attempt)


async def delete_my_account(
    identity: Identity, viewer: Viewer, password: str | None, meta: RequestMeta, confirmation_code: str | None = None
) -> datetime:
    """Sign out everywhere now; everything is removed once the grace period ends. Returns when."""
    user = await live_user(identity, signed_in(viewer))
    await _confirm_deletion(identity, user, password, confirmation_code)
    await identity.tickets.discard_for_user(user.id, TicketPurpose.CONFIRM_DELETION)
    now = identity.clock.now()
    purge_after = now + timedelta(seconds=identity.config.deletion_grace_s)
    await identity.users.update(
        replace(user, deletion_requested_at=now, purge_after=purge_after), "deletion_requested_at", "purge_after"
    )
    await revoke_sessions(identity, user.id)
    await identity.tickets.discard_for_user(user.id, TicketPurpose.CANCEL_DELETION)  # none from before may cancel
    await record(identity, AuditKind.DELETION_SCHEDULED, user.id, meta, purge_after=purge_after.isoformat())
    await identity.notices.send(
        user.id,
        AccountNotice.SECURITY_ALERT,
        "Your Migratio account will be deleted",
        "As you asked, your account and everything in it will be deleted on "
        f"{purge_after:%Y-%m-%d %H:%M} UTC. You have been signed out everywhere.\n\n"
        "Changed your mind? Sign in before then and choose to keep your account.\n",
        key=new_id(),
    )
    return purge_after


async def refuse_while_deletion_scheduled(identity: Identity, user: User) -> NoReturn:
    """Deletion ends every session and signing in stays refused, so keeping the account is offered here instead:
    at the end of a sign-in (password and any second factor checked), with a short-lived `cancelToken`."""
    token, _ = await issue_ticket(identity, TicketPurpose.CANCEL_DELETION, user.id, identity.config.mfa_challenge_ttl_s)
    raise Forbidden(
        "this account is scheduled for deletion; the cancel token keeps it",
        reason="ACCOUNT_DELETION_SCHEDULED",
        purgeAfter=user.purge_after.isoformat() if user.purge_after else None,
        cancelToken=token,
    )


async def cancel_account_deletion(identity: Identity, token: str, meta: RequestMeta) -> IssuedTokens:
    """Keep an account during its grace period, with the token its refused sign-in gave; signs the person in."""
    invalid = BadUserInput("this cancellation token is invalid, used or expired; sign in again", field="cancelToken")
    try:
        ticket = identity.signer.verify_ticket(token, TicketPurpose.CANCEL_DELETION)
    except InvalidToken:
        raise invalid from None
    user = await identity.users.by_id(ticket.user_id)
    if user is None:
        raise invalid
    now = identity.clock.now()
    if user.purge_after is None:
        raise BadUserInput("no deletion of this account is pending", field="cancelToken")
    if user.purge_after <= now:  # the purge may be running: refusing is what keeps it from racing this
        raise BadUserInput("the grace period is over; the account is being deleted", field="cancelToken")
    if not await identity.tickets.consume(TicketPurpose.CANCEL_DELETION, ticket.ticket_id, now):
        raise invalid
    user = replace(user, deletion_requested_at=None, purge_after=None)
    await identity.users.update(user, "deletion_requested_at", "purge_after")
    await record(identity, AuditKind.DELETION_CANCELLED, user.id, meta)
    await identity.notices.send(
        user.id,
        AccountNotice.SECURITY_ALERT,
        "Your Migratio account will not be deleted",
        "As you asked, the deletion of your account is cancelled and you are signed in again. If this was not you, "
        "change your password now.\n",
        key=new_id(),
    )
    return await start_session(identity, user, meta)


async def purge_deleted_accounts(identity: Identity) -> list[str]:
    """Remove accounts whose grace period has ended: every data source, stored files, then the account
    itself last, so a purge cut short is simply finished by the next run."""
    purged = []
    for user in await identity.users.due_for_purge(identity.clock.now()):
        for source in identity.personal_data:
            await source.erase(user.id)
        await identity.store.delete_prefix(f"users/{user.id}/")
        await identity.users.delete(user.id)
        await record(identity, AuditKind.ACCOUNT_PURGED, user.id, None)
        purged.append(user.id)
    return purged
