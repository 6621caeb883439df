"""The identity area's accounts, as the roadmap and document areas need them: contact and advisor."""

from dataclasses import dataclass

from domain.roadmaps.ports import Contact
from domain.users.model import NotificationChannel
from domain.users.ports import UserRepository


@dataclass
class UserDirectory:
    users: UserRepository

    async def contact(self, user_id: str) -> Contact | None:
        user = await self.users.by_id(user_id)
        if user is None or user.purge_after is not None:
            return None
        wants_email = NotificationChannel.EMAIL in user.preferences.notification_channels
        return Contact(user.id, user.name, user.email, wants_email)

    async def advisor_of(self, user_id: str) -> str | None:
        user = await self.users.by_id(user_id)
        return None if user is None else user.advisor_id
