"""Phone numbers: verified by a one-time code texted to them, and STOP/START from the number honoured.

A code is single use: the first correct answer spends the challenge (a unique-index insert), so parallel
answers with the right code verify the number once and every other gets BAD_USER_INPUT.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.errors import BadUserInput, RateLimited
from domain.notifications.model import Kind, Message, NotificationConfig, PhoneChallenge, PhoneNumber
from domain.notifications.ports import OptOuts, PhoneBook, PhoneNumbers, RateLimiter, SingleUse
from domain.notifications.service import Notifications

STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"})
START_WORDS = frozenset({"START", "YES", "UNSTOP", "OPTIN"})
"""Twilio's default opt-out and opt-in keywords (Advanced Opt-Out), matched on the whole trimmed body."""

CODE_DIGITS = 6
WRONG_CODES_PER_CHALLENGE = 10  # tries at one code (counted before judged): 1 in 100,000 to guess it


def code_digest(challenge_id: str, code: str) -> str:
    return hashlib.sha256(f"{challenge_id}:{code}".encode()).hexdigest()


@dataclass
class PhoneVerification:
    notifications: Notifications
    phones: PhoneBook
    opt_outs: OptOuts
    numbers: PhoneNumbers
    spent: SingleUse
    limiter: RateLimiter
    clock: Callable[[], datetime]
    config: NotificationConfig

    async def add_phone_number(self, user_id: str, raw: str, region: str | None) -> PhoneChallenge:
        """Text a code to the number (E.164-normalised); it counts as the person's once verified."""
        e164 = self.numbers.normalise(raw, region.upper() if region else None)
        if e164 is None:
            raise BadUserInput("not a valid phone number (use +<country code><number>)", field="number")
        limits = [(f"sms:codes:{e164}", self.config.codes_per_number), (f"sms:codes:user:{user_id}", 10)]
        retry_after = await self.limiter.acquire(limits, self.config.sms_window_s, uuid.uuid4().hex)
        if retry_after is not None:
            raise RateLimited("too many codes sent; try again later", retry_after_s=retry_after)
        challenge_id = uuid.uuid4().hex
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        expires_at = self.clock() + timedelta(seconds=self.config.code_ttl_s)
        challenge = PhoneChallenge(challenge_id, user_id, e164, code_digest(challenge_id, code), expires_at)
        await self.phones.add_challenge(challenge)
        message = Message(Kind.VERIFICATION, "Your Migratio code", f"Your Migratio verification code is {code}.")
        await self.notifications.notify_number(user_id, e164, message, key=challenge_id)
        return challenge

    async def verify_phone_number(self, user_id: str, code: str) -> PhoneNumber:
        challenge = await self.phones.challenge(user_id)
        now = self.clock()
        if challenge is None or challenge.expires_at <= now:
            raise BadUserInput("no code is waiting; add the number again", field="code")
        retry_after = await self.limiter.acquire(
            [(f"sms:verify:{challenge.id}", WRONG_CODES_PER_CHALLENGE)], self.config.code_ttl_s, uuid.uuid4().hex
        )
        if retry_after is not None:
            raise RateLimited("too many wrong codes; add the number again", retry_after_s=retry_after)
        right = hmac.compare_digest(code_digest(challenge.id, code.strip()), challenge.code_hash)
        if not right or not await self.spent.spend("phone-code", challenge.id, expires_at=challenge.expires_at):
            raise BadUserInput("wrong or used code", field="code")
        number = PhoneNumber(user_id, challenge.e164, now)
        await self.phones.set_verified(number)
        return number

    async def inbound_text(self, from_number: str, body: str) -> bool | None:
        """A text to our number: STOP-like words opt the sender out, START-like back in; returns the new
        opted-out state, or None when the text was neither."""
        word = body.strip().upper()
        if word in STOP_WORDS:
            opted_out = True
        elif word in START_WORDS:
            opted_out = False
        else:
            return None
        e164 = self.numbers.normalise(from_number, None)
        if e164 is None:
            return None
        await self.opt_outs.set_opted_out(e164, opted_out, self.clock())
        return opted_out
