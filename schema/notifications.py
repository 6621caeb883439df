"""Shapes of the notification area: per-kind channel choices, the send log, phone numbers and push devices."""

from datetime import datetime

import strawberry

from domain.notifications import model
from domain.users.model import NotificationChannel
from schema.permissions import IsOwner, Private, guarded

NotificationKind = strawberry.enum(model.Kind, name="NotificationKind", description="What a notice is about.")
NotificationStatus = strawberry.enum(model.SendStatus, name="NotificationStatus")
DevicePlatform = strawberry.enum(model.Platform, name="DevicePlatform")


def to_channel(channel: NotificationChannel) -> model.Channel:
    return model.Channel(channel.value)


def from_channel(channel: model.Channel) -> NotificationChannel:
    return NotificationChannel(channel.value)


@strawberry.type(description="The channels one kind of notice goes out on.", directives=[Private()])
class NotificationPreference:
    owner_id: strawberry.Private[str]
    kind: model.Kind = guarded(IsOwner())
    channels: list[NotificationChannel] = guarded(IsOwner())
    always_on: bool = guarded(
        IsOwner(),
        description="Cannot be switched off: security alerts keep a channel; verification and reset are e-mail only.",
    )

    @classmethod
    def list_from(cls, owner_id: str, preferences: model.Preferences) -> list["NotificationPreference"]:
        return [
            cls(
                owner_id=owner_id,
                kind=kind,
                channels=[from_channel(c) for c in sorted(preferences.for_kind(kind))],
                always_on=kind in model.ALWAYS_ON or kind in model.EMAIL_ONLY,
            )
            for kind in model.Kind
        ]


@strawberry.type(description="One notice sent (or not) on one channel.", directives=[Private()])
class Notification:
    owner_id: strawberry.Private[str]
    id: strawberry.ID = guarded(IsOwner())
    kind: model.Kind = guarded(IsOwner())
    channel: NotificationChannel = guarded(IsOwner())
    status: model.SendStatus = guarded(IsOwner())
    title: str = guarded(IsOwner())
    provider_id: str | None = guarded(IsOwner(), description="The provider's id (Twilio message SID, FCM name).")
    error: str | None = guarded(IsOwner(), description="Why it failed or was skipped.")
    attempts: int = guarded(IsOwner())
    created_at: datetime = guarded(IsOwner())
    updated_at: datetime = guarded(IsOwner())

    @classmethod
    def from_domain(cls, send: model.Send) -> "Notification":
        return cls(
            owner_id=send.user_id,
            id=strawberry.ID(send.id),
            kind=send.kind,
            channel=from_channel(send.channel),
            status=send.status,
            title=send.message.title,
            provider_id=send.provider_id,
            error=send.error,
            attempts=send.attempts,
            created_at=send.created_at,
            updated_at=send.updated_at,
        )


@strawberry.type(description="A code was texted to this number; verifyPhoneNumber with it.", directives=[Private()])
class PhoneVerification:
    owner_id: strawberry.Private[str]
    number: str = guarded(IsOwner(), description="E.164 form.")
    expires_at: datetime = guarded(IsOwner())


@strawberry.type(description="A verified phone number texts are sent to.", directives=[Private()])
class PhoneNumber:
    owner_id: strawberry.Private[str]
    number: str = guarded(IsOwner(), description="E.164 form.")
    verified_at: datetime | None = guarded(IsOwner())


@strawberry.type(description="A device push notifications go to.", directives=[Private()])
class Device:
    owner_id: strawberry.Private[str]
    id: strawberry.ID = guarded(IsOwner())
    platform: model.Platform = guarded(IsOwner())
    registered_at: datetime = guarded(IsOwner())

    @classmethod
    def from_domain(cls, device: model.Device) -> "Device":
        return cls(
            owner_id=device.user_id,
            id=strawberry.ID(device.id),
            platform=device.platform,
            registered_at=device.registered_at,
        )


@strawberry.input
class NotificationPreferenceInput:
    kind: model.Kind
    channels: list[NotificationChannel]


@strawberry.input
class UpdateNotificationPreferencesInput:
    preferences: list[NotificationPreferenceInput]


@strawberry.input
class AddPhoneNumberInput:
    number: str = strawberry.field(description="+<country code><number>, or national with `region`.")
    region: str | None = strawberry.field(default=None, description="ISO 3166 country of a national number.")


@strawberry.input
class VerifyPhoneNumberInput:
    code: str


@strawberry.input
class RegisterDeviceInput:
    platform: model.Platform
    token: str = strawberry.field(description="The FCM registration token the app got.")
