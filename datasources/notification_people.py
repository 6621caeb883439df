"""The notification area beside the others: accounts as its recipients (name, address, kind-less channels), and
the identity area's account notices and billing's payment notices as its notices of the same kinds."""

from dataclasses import dataclass

from domain.notifications.model import Channel, Kind, Message, Recipient
from domain.notifications.service import Notifications
from domain.users.model import AccountNotice
from domain.users.ports import UserRepository


@dataclass
class NotificationRecipients:
    users: UserRepository

    async def recipient(self, user_id: str) -> Recipient | None:
        user = await self.users.by_id(user_id)
        if user is None:
            return None
        channels = tuple(Channel(c.value) for c in user.preferences.notification_channels)
        return Recipient(user.id, user.name, user.email, channels, deletion_scheduled=user.purge_after is not None)


@dataclass
class AccountNoticesSent:
    """Account notices are urgent: tried at once (in the request's background task), the worker retrying."""

    notifications: Notifications

    async def send(self, user_id: str, kind: AccountNotice, subject: str, body: str, key: str) -> None:
        await self.notifications.notify_now(user_id, Message(Kind(kind.value), subject, body), key)


@dataclass
class PaymentNoticesSent:
    """Sent at once from the webhook that reports the failure, as its mail was; the worker retries a failure."""

    notifications: Notifications

    async def payment_failed(self, owner_id: str, subject: str, body: str, key: str) -> None:
        await self.notifications.notify_now(owner_id, Message(Kind.PAYMENT_FAILED, subject, body), key)
