"""Root fields for staff: admins manage users, roles, advisors and API keys; advisors see their clients."""

from typing import Annotated

import strawberry

from domain.users import admin
from domain.users.admin import MAX_PAGE
from domain.users.model import Role, Scope
from resolvers.users import user_type
from schema.context import Context
from schema.pagination import page_size
from schema.permissions import CanReadUsers, IsAdmin, IsAdvisor, allow
from schema.users import ApiKey, CreateApiKeyPayload, User

Info = strawberry.Info[Context, None]


@strawberry.type
class AdminQuery:
    @strawberry.field(extensions=allow(CanReadUsers()), description="Every account, oldest first.")
    async def users(self, info: Info, offset: int = 0, limit: Annotated[int, page_size(MAX_PAGE)] = 50) -> list[User]:
        found = await admin.list_users(info.context.identity, info.context.viewer, offset, limit)
        return [user_type(info.context, u) for u in found]

    @strawberry.field(extensions=allow(IsAdmin()))
    async def user(self, info: Info, id: strawberry.ID) -> User:
        return user_type(info.context, await admin.user_by_id(info.context.identity, info.context.viewer, str(id)))

    @strawberry.field(extensions=allow(IsAdvisor()), description="The clients assigned to you.")
    async def advisor_clients(self, info: Info) -> list[User]:
        found = await admin.advisor_clients(info.context.identity, info.context.viewer)
        return [user_type(info.context, u) for u in found]

    @strawberry.field(extensions=allow(IsAdvisor()), description="One of your clients (NOT_FOUND otherwise).")
    async def advisor_client(self, info: Info, id: strawberry.ID) -> User:
        client = await admin.advisor_client(info.context.identity, info.context.viewer, str(id))
        return user_type(info.context, client)

    @strawberry.field(extensions=allow(IsAdmin()))
    async def api_keys(self, info: Info) -> list[ApiKey]:
        return [ApiKey.from_domain(k) for k in await admin.list_api_keys(info.context.identity, info.context.viewer)]


@strawberry.type
class AdminMutation:
    @strawberry.mutation(
        extensions=allow(IsAdmin()),
        description="The only way to change a role; ends the person's sessions so it applies at once.",
    )
    async def set_user_role(self, info: Info, user_id: strawberry.ID, role: Role) -> User:
        user = await admin.set_user_role(
            info.context.identity, info.context.viewer, str(user_id), role, info.context.meta
        )
        return user_type(info.context, user)

    @strawberry.mutation(extensions=allow(IsAdmin()), description="Assign an advisor to a client (null unassigns).")
    async def assign_advisor(
        self, info: Info, client_id: strawberry.ID, advisor_id: strawberry.ID | None = None
    ) -> User:
        user = await admin.assign_advisor(
            info.context.identity,
            info.context.viewer,
            str(client_id),
            str(advisor_id) if advisor_id else None,
            info.context.meta,
        )
        return user_type(info.context, user)

    @strawberry.mutation(extensions=allow(IsAdmin()))
    async def create_api_key(self, info: Info, name: str, scopes: list[Scope]) -> CreateApiKeyPayload:
        raw, key = await admin.create_api_key(
            info.context.identity, info.context.viewer, name, scopes, info.context.meta
        )
        return CreateApiKeyPayload(key=raw, api_key=ApiKey.from_domain(key))

    @strawberry.mutation(extensions=allow(IsAdmin()))
    async def revoke_api_key(self, info: Info, id: strawberry.ID) -> bool:
        await admin.revoke_api_key(info.context.identity, info.context.viewer, str(id), info.context.meta)
        return True
