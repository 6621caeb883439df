"""Identity work run outside a request, by the CLI or a scheduled worker, each with its own services."""

from collections.abc import Awaitable, Callable
from typing import TypeVar

from datasources.mongo.repos.users import MongoUserRepository
from domain.users import admin, privacy
from domain.users.model import User
from migratio.admin.migrations import apply_migrations
from migratio.settings import Settings
from migratio.wiring.identity import field_cipher
from migratio.wiring.services import Services, open_services

T = TypeVar("T")


async def _with_services(settings: Settings, work: Callable[[Services], Awaitable[T]]) -> T:
    services = open_services(settings)
    try:
        await apply_migrations(services.db, services.settings)
        return await work(services)
    finally:
        await services.close()


async def purge_deleted_accounts(settings: Settings) -> list[str]:
    """Remove every account whose deletion grace period has ended; returns their ids."""
    return await _with_services(settings, lambda s: privacy.purge_deleted_accounts(s.identity))


async def create_admin(settings: Settings, email: str, name: str) -> tuple[User, bool]:
    return await _with_services(settings, lambda s: admin.make_admin(s.identity, email, name))


async def reencrypt_fields(settings: Settings) -> int:
    """After adding a new first FIELD_ENCRYPTION_KEYS entry: re-encrypt, then the old key can be dropped."""
    return await _with_services(settings, lambda s: MongoUserRepository(s.db, field_cipher(settings)).reencrypt_all())
