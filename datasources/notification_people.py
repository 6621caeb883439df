"""The identity area's accounts as the notification area needs them: name, address, kind-less channels."""

from dataclasses import dataclass

from domain.notifications.model import Channel, Recipient
from domain.users.ports import UserRepository


@dataclass
class NotificationRecipients:
    users: UserRepository

    async def recipient(self, user_id: str) -> Recipient | None:
        user = await self.users.by_id(user_id)
        if user is None or user.purge_after is not None:
            return None
        channels = tuple(Channel(c.value) for c in user.preferences.notification_channels)
        return Recipient(user.id, user.name, user.email, channels)
