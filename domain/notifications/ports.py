"""What the notification use cases need from outside; `datasources/` provides each of these."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Protocol

from domain.notifications.model import (
    Channel,
    Device,
    Message,
    PhoneChallenge,
    PhoneNumber,
    Preferences,
    PushResult,
    Recipient,
    Send,
)


class PreferenceStore(Protocol):
    async def get(self, user_id: str) -> Preferences | None:
        """The person's per-kind choices, or None when they never made any."""

    async def put(self, user_id: str, preferences: Preferences, at: datetime) -> None: ...


class SendLog(Protocol):
    async def add(self, send: Send) -> bool:
        """Record a send; False when one with its id exists (the notice was already recorded)."""

    async def by_id(self, send_id: str) -> Send | None: ...

    async def by_provider_id(self, provider_id: str) -> Send | None: ...

    async def update(
        self, send_id: str, changes: Callable[[Send], Mapping[str, object]], where: Callable[[Send], bool]
    ) -> Send | None:
        """Compare-and-set: apply `changes(current)` while `where(current)` holds; the new send or None.
        Change keys: status, provider_id, error, attempts, capped, message.body."""

    async def for_user(self, user_id: str, limit: int) -> list[Send]:
        """Newest first."""

    async def pending(self, changed_before: datetime, limit: int) -> list[str]:
        """Ids of sends still queued and unchanged since before `changed_before`, oldest first."""


class PhoneBook(Protocol):
    async def verified_number(self, user_id: str) -> PhoneNumber | None: ...
    async def set_verified(self, number: PhoneNumber) -> None: ...
    async def add_challenge(self, challenge: PhoneChallenge) -> None: ...

    async def challenge(self, user_id: str) -> PhoneChallenge | None:
        """The person's latest challenge."""


class OptOuts(Protocol):
    """Numbers that texted STOP (and not START since)."""

    async def is_opted_out(self, e164: str) -> bool: ...
    async def set_opted_out(self, e164: str, opted_out: bool, at: datetime) -> None: ...


class DeviceRegistry(Protocol):
    async def add(self, device: Device) -> None:
        """Register (or re-register) a token; a token belongs to one person, the latest to register it."""

    async def for_user(self, user_id: str) -> list[Device]: ...

    async def remove(self, user_id: str, token: str) -> bool:
        """False when the person has no such token."""

    async def prune(self, token: str) -> None:
        """Forget a token the push service no longer knows, whoever registered it."""


class Recipients(Protocol):
    async def recipient(self, user_id: str) -> Recipient | None:
        """None for an account that is gone."""


class DeliveryQueue(Protocol):
    async def enqueue_delivery(self, send_id: str) -> None:
        """Have the worker deliver this send (with retries); enqueuing twice delivers once."""


class EmailSender(Protocol):
    async def send(self, to: str, subject: str, body: str) -> None: ...


class SmsSender(Protocol):
    async def send_sms(self, to: str, body: str, status_callback: str | None) -> str:
        """Hand a text to the provider; its id for the message (status callbacks name it)."""


class PushSender(Protocol):
    async def push(self, token: str, message: Message) -> PushResult: ...


class PhoneNumbers(Protocol):
    def normalise(self, raw: str, region: str | None) -> str | None:
        """E.164 form of a possible, valid number; None when it is not one."""


class SingleUse(Protocol):
    async def spend(self, kind: str, key: str, *, expires_at: datetime | None = None) -> bool:
        """True for exactly one caller per (kind, key)."""


class RateLimiter(Protocol):
    async def acquire(self, limits: Sequence[tuple[str, int]], window_s: int, attempt_id: str) -> int | None:
        """Count the attempt against every (key, limit) unless one is full; then the seconds until it frees."""


class DailyCounts(Protocol):
    async def take(self, user_id: str, channel: Channel, day: date, cap: int) -> bool:
        """Take one of the day's `cap` slots for this person and channel; False when all are taken."""
