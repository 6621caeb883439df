"""Staff use cases: admins manage users, roles, advisor assignments and API keys; advisors see their clients.
Roles change only here (or through the CLI's create-admin), never through a person's own input."""

import secrets
from dataclasses import replace

from domain.errors import BadUserInput, Forbidden, NotFound
from domain.users.model import AccountNotice, ApiKey, AuditKind, RequestMeta, Role, Scope, TicketPurpose, User, Viewer
from domain.users.ports import EmailAlreadyRegistered
from domain.users.service import (
    Identity,
    digest,
    issue_ticket,
    new_id,
    new_secret_token,
    record,
    revoke_sessions,
    signed_in,
)
from domain.users.validation import check_name, normalise_email

MAX_PAGE = 100


def require_admin(viewer: Viewer) -> str:
    user_id = signed_in(viewer)
    if not viewer.has_role(Role.ADMIN):
        raise Forbidden("only administrators may do this")
    return user_id


def require_staff(viewer: Viewer) -> str:
    user_id = signed_in(viewer)
    if not viewer.has_role(Role.ADVISOR, Role.ADMIN):
        raise Forbidden("only advisors may do this")
    return user_id


async def list_users(identity: Identity, viewer: Viewer, offset: int, limit: int) -> list[User]:
    if not (viewer.has_role(Role.ADMIN) or viewer.has_scope(Scope.USERS_READ)):
        raise Forbidden("only administrators and API keys with users:read may list users")
    if offset < 0 or not 1 <= limit <= MAX_PAGE:
        raise BadUserInput(f"offset must be >= 0 and limit 1..{MAX_PAGE}", field="limit")
    return await identity.users.page(offset, limit)


async def user_by_id(identity: Identity, viewer: Viewer, user_id: str) -> User:
    require_admin(viewer)
    user = await identity.users.by_id(user_id)
    if user is None:
        raise NotFound("no such user", id=user_id)
    return user


async def set_user_role(identity: Identity, viewer: Viewer, user_id: str, role: Role, meta: RequestMeta) -> User:
    """Also ends the person's sessions, so the new role (lower or higher) applies from their next sign-in."""
    admin_id = require_admin(viewer)
    if user_id == admin_id:
        raise BadUserInput("administrators cannot change their own role", field="userId")
    user = await user_by_id(identity, viewer, user_id)
    if user.role != role:
        user = replace(user, role=role)
        await identity.users.update(user, "role")
        await revoke_sessions(identity, user.id)
        await record(identity, AuditKind.ROLE_CHANGED, user.id, meta, role=role.value, by=admin_id)
    return user


async def assign_advisor(
    identity: Identity, viewer: Viewer, client_id: str, advisor_id: str | None, meta: RequestMeta
) -> User:
    admin_id = require_admin(viewer)
    client = await user_by_id(identity, viewer, client_id)
    if advisor_id is not None:
        advisor = await identity.users.by_id(advisor_id)
        if advisor is None or advisor.role is not Role.ADVISOR:
            raise BadUserInput("that user is not an advisor", field="advisorId")
        if advisor_id == client_id:
            raise BadUserInput("an advisor cannot advise themselves", field="advisorId")
    client = replace(client, advisor_id=advisor_id)
    await identity.users.update(client, "advisor_id")
    await record(identity, AuditKind.ADVISOR_ASSIGNED, client.id, meta, advisor=advisor_id or "", by=admin_id)
    return client


async def advisor_clients(identity: Identity, viewer: Viewer) -> list[User]:
    return await identity.users.clients_of(require_staff(viewer))


async def advisor_client(identity: Identity, viewer: Viewer, client_id: str) -> User:
    client = await identity.users.client_of(require_staff(viewer), client_id)
    if client is None:
        raise NotFound("no such client", id=client_id)
    return client


async def create_api_key(
    identity: Identity, viewer: Viewer, name: str, scopes: list[Scope], meta: RequestMeta
) -> tuple[str, ApiKey]:
    """The raw key is returned this once; only its hash is kept."""
    admin_id = require_admin(viewer)
    if not scopes:
        raise BadUserInput("give the key at least one scope", field="scopes")
    raw = f"mig_{secrets.token_hex(4)}_{new_secret_token()}"
    key = ApiKey(
        id=new_id(),
        name=check_name(name),
        prefix=raw[:12],
        key_hash=digest(raw),
        scopes=tuple(dict.fromkeys(scopes)),
        created_by=admin_id,
        created_at=identity.clock.now(),
    )
    await identity.api_keys.add(key)
    await record(identity, AuditKind.API_KEY_CREATED, admin_id, meta, key=key.id)
    return raw, key


async def list_api_keys(identity: Identity, viewer: Viewer) -> list[ApiKey]:
    require_admin(viewer)
    return await identity.api_keys.all()


async def revoke_api_key(identity: Identity, viewer: Viewer, key_id: str, meta: RequestMeta) -> None:
    admin_id = require_admin(viewer)
    if not await identity.api_keys.revoke(key_id, identity.clock.now()):
        raise NotFound("no such active API key", id=key_id)
    await record(identity, AuditKind.API_KEY_REVOKED, admin_id, meta, key=key_id)


async def make_admin(identity: Identity, email: str, name: str) -> tuple[User, bool]:
    """For the operator's CLI: promote an account, or create it (verified, with a mailed link to set a
    password) when there is none. Returns the admin and whether the account was created."""
    address = normalise_email(email)
    user = await identity.users.by_email(address)
    created = user is None
    if user is None:
        now = identity.clock.now()
        user = User(
            id=new_id(),
            email=address,
            name=check_name(name),
            locale="en",
            password_hash=await identity.hasher.hash(new_secret_token()),
            created_at=now,
            role=Role.ADMIN,
            email_verified_at=now,
        )
        try:
            await identity.users.add(user)
        except EmailAlreadyRegistered:
            return await make_admin(identity, email, name)
        token, _ = await issue_ticket(
            identity, TicketPurpose.RESET_PASSWORD, user.id, identity.config.verify_email_ttl_s
        )
        await identity.notices.send(
            user.id,
            AccountNotice.PASSWORD_RESET,
            "Your Migratio administrator account",
            f"Set your password: {identity.config.app_url}/reset-password?token={token}\n",
            key=new_id(),
        )
    elif user.role is not Role.ADMIN:
        user = replace(user, role=Role.ADMIN)
        await identity.users.update(user, "role")
        await revoke_sessions(identity, user.id)
    await record(identity, AuditKind.ROLE_CHANGED, user.id, None, role=Role.ADMIN.value, by="cli")
    return user, created
