"""SMS sign-in codes (the identity area's SmsSecondFactor port): texted to the verified number, 6 digits, valid
for CODE_TTL, the latest code of a challenge only, spent by the first right answer (a unique-index insert)."""

from __future__ import annotations

import hmac
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from domain.errors import RateLimited
from domain.notifications.model import Kind, Message, NotificationConfig
from domain.notifications.phones import CODE_DIGITS, code_digest
from domain.notifications.ports import PhoneBook, RateLimiter, SingleUse
from domain.notifications.service import Notifications

CODE_TTL = timedelta(minutes=5)


class SignInCodes(Protocol):
    async def enabled(self, user_id: str) -> bool: ...
    async def set_enabled(self, user_id: str, enabled: bool) -> None: ...
    async def put(self, challenge_id: str, user_id: str, code_hash: str, expires_at: datetime) -> None: ...

    async def get(self, challenge_id: str) -> tuple[str, str, datetime] | None:
        """(user id, code hash, expiry) of the challenge's latest code."""


@dataclass
class SmsSignInCodes:
    notifications: Notifications
    phones: PhoneBook
    codes: SignInCodes
    spent: SingleUse
    limiter: RateLimiter
    clock: Callable[[], datetime]
    config: NotificationConfig

    async def enabled(self, user_id: str) -> bool:
        return await self.codes.enabled(user_id) and await self.phones.verified_number(user_id) is not None

    async def set_enabled(self, user_id: str, enabled: bool) -> bool:
        if enabled and await self.phones.verified_number(user_id) is None:
            return False
        await self.codes.set_enabled(user_id, enabled)
        return True

    async def send_code(self, user_id: str, challenge_id: str) -> None:
        number = await self.phones.verified_number(user_id)
        if number is None:
            return
        retry_after = await self.limiter.acquire(
            [(f"sms:signin:{number.e164}", self.config.codes_per_number)], self.config.sms_window_s, uuid.uuid4().hex
        )
        if retry_after is not None:
            raise RateLimited("too many codes sent; try again later", retry_after_s=retry_after)
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        await self.codes.put(challenge_id, user_id, code_digest(challenge_id, code), self.clock() + CODE_TTL)
        message = Message(Kind.SECURITY_ALERT, "Your Migratio sign-in code", f"Your Migratio sign-in code is {code}.")
        await self.notifications.notify_number(user_id, number.e164, message, key=f"signin-{uuid.uuid4().hex}")

    async def accept(self, user_id: str, challenge_id: str, code: str) -> bool:
        found = await self.codes.get(challenge_id)
        if found is None:
            return False
        owner, code_hash, expires_at = found
        if owner != user_id or expires_at <= self.clock():
            return False
        if not hmac.compare_digest(code_digest(challenge_id, code), code_hash):
            return False
        return await self.spent.spend("sms-sign-in", challenge_id, expires_at=expires_at)
