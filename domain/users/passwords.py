"""Password reset by mail and password change. A reset request answers the same whether or not the
address has an account; both end other sessions."""

from dataclasses import replace
from urllib.parse import quote

from domain.errors import BadUserInput
from domain.users.model import AccountNotice, AuditKind, RequestMeta, TicketPurpose, User, Viewer
from domain.users.password_policy import password_problem
from domain.users.ports import InvalidToken
from domain.users.service import (
    Identity,
    give_back,
    issue_ticket,
    live_user,
    new_id,
    record,
    revoke_sessions,
    security_alert,
    signed_in,
    take_attempt,
    take_password_attempt,
)
from domain.users.validation import normalise_email


def _check_policy(identity: Identity, user: User, password: str, field: str) -> None:
    problem = password_problem(
        password, min_length=identity.config.password_min_length, email=user.email, name=user.name
    )
    if problem:
        raise BadUserInput(problem, field=field)


async def request_password_reset(identity: Identity, email: str, meta: RequestMeta) -> None:
    address = normalise_email(email)
    config = identity.config
    limits = [
        (f"reset:ip:{meta.ip}", config.reset_requests_per_ip),
        (f"reset:account:{address}", config.reset_requests_per_account),
    ]
    await take_attempt(identity, limits)
    user = await identity.users.by_email(address)
    await record(identity, AuditKind.PASSWORD_RESET_REQUESTED, user.id if user else None, meta)
    if user is not None and user.deletion_requested_at is None:
        await identity.background.start(_mail_reset_link(identity, user))  # no account and an account: same time


async def _mail_reset_link(identity: Identity, user: User) -> None:
    config = identity.config
    token, _ = await issue_ticket(identity, TicketPurpose.RESET_PASSWORD, user.id, config.reset_password_ttl_s)
    minutes = config.reset_password_ttl_s // 60
    await identity.notices.send(
        user.id,
        AccountNotice.PASSWORD_RESET,
        "Reset your Migratio password",
        "Choose a new password here:\n\n"
        f"{config.app_url}/reset-password?token={quote(token)}\n\n"
        f"The link works once, for {minutes} minutes. If you did not ask for it, ignore this message: "
        "your password stays as it is.\n",
        key=new_id(),
    )


async def reset_password(identity: Identity, token: str, new_password: str, meta: RequestMeta) -> None:
    attempt = await take_attempt(identity, [(f"reset-failures:ip:{meta.ip}", identity.config.login_failures_per_ip)])
    invalid = BadUserInput("this reset link is invalid, used or expired", field="token")
    try:
        ticket = identity.signer.verify_ticket(token, TicketPurpose.RESET_PASSWORD)
    except InvalidToken:
        raise invalid from None
    user = await identity.users.by_id(ticket.user_id)
    if user is None:
        await give_back(identity, attempt)
        raise invalid
    try:
        _check_policy(identity, user, new_password, "newPassword")  # before spending the link on a refused password
    except BadUserInput:
        await give_back(identity, attempt)
        raise
    if not await identity.tickets.consume(TicketPurpose.RESET_PASSWORD, ticket.ticket_id, identity.clock.now()):
        raise invalid
    await give_back(identity, attempt)
    now = identity.clock.now()
    # the mail reached its owner, so the address is proven too
    user = replace(
        user, password_hash=await identity.hasher.hash(new_password), email_verified_at=user.email_verified_at or now
    )
    await identity.users.update(user, "password_hash", "email_verified_at")
    await identity.tickets.discard_for_user(user.id, TicketPurpose.RESET_PASSWORD)
    await revoke_sessions(identity, user.id)
    await record(identity, AuditKind.PASSWORD_RESET, user.id, meta)
    await _notify_changed(identity, user)


async def change_password(
    identity: Identity, viewer: Viewer, current_password: str, new_password: str, meta: RequestMeta
) -> None:
    """Needs the current password; every other session of the account ends, this one stays."""
    user = await live_user(identity, signed_in(viewer))
    attempt = await take_password_attempt(identity, user.email)
    if not await identity.hasher.verify(user.password_hash, current_password):
        raise BadUserInput("wrong password", field="currentPassword")
    await give_back(identity, attempt)
    _check_policy(identity, user, new_password, "newPassword")
    user = replace(user, password_hash=await identity.hasher.hash(new_password))
    await identity.users.update(user, "password_hash")
    await revoke_sessions(identity, user.id, keep=viewer.session_id)
    await record(identity, AuditKind.PASSWORD_CHANGED, user.id, meta)
    await _notify_changed(identity, user)


async def _notify_changed(identity: Identity, user: User) -> None:
    await security_alert(
        identity,
        user,
        "Your Migratio password was changed",
        "Your password was just changed and your other sessions were signed out.\n"
        f"Not you? Reset your password now at {identity.config.app_url}/forgot-password\n",
    )
