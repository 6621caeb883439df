"""Sign-up and email verification. The answer never tells whether an address already has an account."""

from dataclasses import replace
from urllib.parse import quote

from domain.analytics.model import EventName, ServerEvent
from domain.errors import BadUserInput
from domain.users.model import AccountNotice, AuditKind, RequestMeta, Role, TicketPurpose, User
from domain.users.password_policy import password_problem
from domain.users.ports import EmailAlreadyRegistered, InvalidToken
from domain.users.service import Identity, issue_ticket, new_id, record, security_alert, take_attempt
from domain.users.validation import check_locale, check_name, normalise_email


async def register(identity: Identity, email: str, password: str, name: str, locale: str, meta: RequestMeta) -> str:
    """Create an unverified account and mail a verification link; returns the normalised address."""
    await take_attempt(identity, [(f"register:ip:{meta.ip}", identity.config.registrations_per_ip)])
    address = normalise_email(email)
    name = check_name(name)
    locale = check_locale(locale)
    problem = password_problem(password, min_length=identity.config.password_min_length, email=address, name=name)
    if problem:
        raise BadUserInput(problem, field="password")
    # Both branches hash and leave their mail to the background: the answer's timing must not tell either.
    password_hash = await identity.hasher.hash(password)
    if await identity.users.by_email(address) is not None:
        await identity.background.start(_mail_already_registered(identity, address))
        return address
    user = User(
        id=new_id(),
        email=address,
        name=name,
        locale=locale,
        password_hash=password_hash,
        created_at=identity.clock.now(),
        role=Role.USER,
    )
    try:
        await identity.users.add(user)
    except EmailAlreadyRegistered:
        await identity.background.start(_mail_already_registered(identity, address))
        return address
    report_sign_up(identity, user.id, "password")
    await identity.background.start(_welcome(identity, user, meta))
    return address


def report_sign_up(identity: Identity, user_id: str, method: str) -> None:
    """`signed_up` with how (password or the provider's name); the request's visitor id is stitched to the account."""
    identity.analytics.emit(ServerEvent(EventName.SIGNED_UP, user_id, props={"method": method}))


async def _welcome(identity: Identity, user: User, meta: RequestMeta) -> None:
    await record(identity, AuditKind.REGISTERED, user.id, meta)
    await send_verification(identity, user)


async def send_verification(identity: Identity, user: User) -> None:
    token, _ = await issue_ticket(identity, TicketPurpose.VERIFY_EMAIL, user.id, identity.config.verify_email_ttl_s)
    hours = identity.config.verify_email_ttl_s // 3600
    await identity.notices.send(
        user.id,
        AccountNotice.VERIFICATION,
        "Confirm your email address",
        "Confirm your email address to start using Migratio:\n\n"
        f"{identity.config.app_url}/verify-email?token={quote(token)}\n\n"
        f"The link works once, for {hours} hours. If you did not sign up, ignore this message.\n",
        key=new_id(),
    )


async def _mail_already_registered(identity: Identity, address: str) -> None:
    user = await identity.users.by_email(address)
    if user is None:  # gone again since
        return
    await security_alert(
        identity,
        user,
        "You already have a Migratio account",
        "Someone (probably you) tried to sign up with this address, which already has an account.\n\n"
        f"Forgot your password? Reset it at {identity.config.app_url}/forgot-password\n",
    )


async def resend_verification(identity: Identity, email: str, meta: RequestMeta) -> None:
    address = normalise_email(email)
    config = identity.config
    await take_attempt(
        identity,
        [
            (f"verify:ip:{meta.ip}", config.reset_requests_per_ip),
            (f"verify:account:{address}", config.reset_requests_per_account),
        ],
    )
    user = await identity.users.by_email(address)
    if user is not None and user.email_verified_at is None:
        await identity.background.start(send_verification(identity, user))


async def verify_email(identity: Identity, token: str, meta: RequestMeta) -> User:
    invalid = BadUserInput("this verification link is invalid, used or expired", field="token")
    try:
        ticket = identity.signer.verify_ticket(token, TicketPurpose.VERIFY_EMAIL)
    except InvalidToken:
        raise invalid from None
    if not await identity.tickets.consume(TicketPurpose.VERIFY_EMAIL, ticket.ticket_id, identity.clock.now()):
        raise invalid
    user = await identity.users.by_id(ticket.user_id)
    if user is None:
        raise invalid
    if user.email_verified_at is None:
        user = replace(user, email_verified_at=identity.clock.now())
        await identity.users.update(user, "email_verified_at")
        await record(identity, AuditKind.EMAIL_VERIFIED, user.id, meta)
    return user
