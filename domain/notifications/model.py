"""What the notification area knows: kinds of notice, channels, each person's choices and the send log."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.errors import BadUserInput


class Kind(StrEnum):
    VERIFICATION = "verification"
    PASSWORD_RESET = "password_reset"
    SECURITY_ALERT = "security_alert"
    TASK_DUE = "task_due"
    REPORT_READY = "report_ready"
    DOCUMENT_REVIEWED = "document_reviewed"
    PAYMENT_FAILED = "payment_failed"


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    PUSH = "push"


class SendStatus(StrEnum):
    QUEUED = "queued"  # waiting for the worker
    SENT = "sent"  # the provider accepted it
    DELIVERED = "delivered"  # the provider says it reached the device (Twilio status callback)
    FAILED = "failed"  # every attempt failed, or the provider reported a failure
    SKIPPED = "skipped"  # not sent: opted out, over the daily cap, no verified number or device


class Platform(StrEnum):
    ANDROID = "android"
    IOS = "ios"
    WEB = "web"


UNCAPPED = frozenset({Kind.VERIFICATION, Kind.PASSWORD_RESET, Kind.SECURITY_ALERT})
"""Kinds a person needs to act on their account: never held back by the daily cap."""

ALWAYS_ON = frozenset({Kind.SECURITY_ALERT})
"""Kinds that cannot be switched off entirely: at least one channel stays chosen."""

EMAIL_ONLY = frozenset({Kind.VERIFICATION, Kind.PASSWORD_RESET})
"""Kinds whose link proves the mailbox: always by e-mail, and only by e-mail (texted phone codes aside)."""

TERMINAL = frozenset({SendStatus.SENT, SendStatus.DELIVERED, SendStatus.FAILED, SendStatus.SKIPPED})


@dataclass(frozen=True, slots=True)
class Preferences:
    """Per kind, the channels a person wants it on."""

    channels: Mapping[Kind, frozenset[Channel]]

    def for_kind(self, kind: Kind) -> frozenset[Channel]:
        if kind in EMAIL_ONLY:
            return frozenset({Channel.EMAIL})
        return self.channels.get(kind, frozenset())

    @classmethod
    def everywhere(cls, channels: Iterable[Channel]) -> Preferences:
        """Every kind on the same channels (the account's older, kind-less channel list)."""
        chosen = frozenset(channels)
        return cls({kind: chosen if chosen or kind not in ALWAYS_ON else frozenset({Channel.EMAIL}) for kind in Kind})

    def with_changes(self, changes: Mapping[Kind, Iterable[Channel]]) -> Preferences:
        merged = dict(self.channels)
        for kind, channels in changes.items():
            chosen = frozenset(channels)
            if kind in EMAIL_ONLY and chosen != {Channel.EMAIL}:
                raise BadUserInput(f"{kind.value} notices always go by e-mail, and only by e-mail", field="channels")
            if kind in ALWAYS_ON and not chosen:
                raise BadUserInput(f"{kind.value} notices cannot be switched off entirely", field="channels")
            merged[kind] = chosen
        return Preferences(merged)


@dataclass(frozen=True, slots=True)
class Message:
    """What to tell: a title and body for every channel, a web link for e-mail and a deep link for the app."""

    kind: Kind
    title: str
    body: str
    link: str | None = None
    deep_link: str | None = None  # e.g. migratio://roadmaps/<id>
    data: Mapping[str, str] = field(default_factory=dict)

    def text(self) -> str:
        """The SMS and e-mail body: the message, then the link to act on it."""
        return f"{self.body}\n{self.link}" if self.link else self.body


@dataclass(frozen=True, slots=True)
class Send:
    """One message on one channel to one person, as recorded (the log `me { notifications }` shows)."""

    id: str  # <kind>:<key>:<channel>: the same notice is recorded, and so sent, at most once
    user_id: str
    message: Message
    channel: Channel
    status: SendStatus
    created_at: datetime
    updated_at: datetime
    address: str | None = None  # fixed recipient (a number being verified); else the person's own
    provider_id: str | None = None
    error: str | None = None
    attempts: int = 0
    capped: bool = False  # a slot of the daily cap is already taken for it

    @property
    def kind(self) -> Kind:
        return self.message.kind


@dataclass(frozen=True, slots=True)
class PhoneNumber:
    user_id: str
    e164: str
    verified_at: datetime | None


@dataclass(frozen=True, slots=True)
class PhoneChallenge:
    """A code sent to a number being verified; single use, until `expires_at`."""

    id: str
    user_id: str
    e164: str
    code_hash: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Device:
    id: str
    user_id: str
    platform: Platform
    token: str
    registered_at: datetime


@dataclass(frozen=True, slots=True)
class Recipient:
    user_id: str
    name: str
    email: str
    channels: tuple[Channel, ...]  # the account's kind-less channel list, the default for every kind
    deletion_scheduled: bool = False  # only security alerts reach it by e-mail (its deletion, its cancelling)


class PushOutcome(StrEnum):
    SENT = "sent"
    UNREGISTERED = "unregistered"  # the token is gone (app removed): prune it
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class PushResult:
    outcome: PushOutcome
    provider_id: str | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class NotificationConfig:
    daily_cap: int  # per person, per channel, per UTC day (UNCAPPED kinds aside)
    sms_per_number: int  # per number, per window
    sms_window_s: int
    code_ttl_s: int
    codes_per_number: int  # verification codes sent to one number per window
    status_callback_url: str | None  # where Twilio reports delivery (None: no callbacks asked for)
    pending_grace_s: float  # a send queued longer than this is given to the worker again (see `recover`)
