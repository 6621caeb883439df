"""Root fields of the notification area: choices per kind × channel, phone numbers and push devices."""

import strawberry

from domain.users import sms_factor
from domain.users.service import signed_in
from schema.context import Info
from schema.notifications import (
    AddPhoneNumberInput,
    Device,
    NotificationPreference,
    PhoneNumber,
    PhoneVerification,
    RegisterDeviceInput,
    UpdateNotificationPreferencesInput,
    VerifyPhoneNumberInput,
    to_channel,
)
from schema.permissions import IsAuthenticated, allow


@strawberry.type
class NotificationsQuery:
    @strawberry.field(extensions=allow(IsAuthenticated()), description="Where each kind of notice goes.")
    async def notification_preferences(self, info: Info) -> list[NotificationPreference]:
        user_id = signed_in(info.context.viewer)
        return NotificationPreference.list_from(
            user_id, await info.context.services.notifications.preferences_of(user_id)
        )

    @strawberry.field(extensions=allow(IsAuthenticated()), description="Devices registered for push.")
    async def my_devices(self, info: Info) -> list[Device]:
        user_id = signed_in(info.context.viewer)
        return [Device.from_domain(d) for d in await info.context.services.notifications.devices_of(user_id)]


@strawberry.type
class NotificationsMutation:
    @strawberry.mutation(extensions=allow(IsAuthenticated()))
    async def update_notification_preferences(
        self, info: Info, input: UpdateNotificationPreferencesInput
    ) -> list[NotificationPreference]:
        user_id = signed_in(info.context.viewer)
        changes = {p.kind: [to_channel(c) for c in p.channels] for p in input.preferences}
        updated = await info.context.services.notifications.update_preferences(user_id, changes)
        return NotificationPreference.list_from(user_id, updated)

    @strawberry.mutation(extensions=allow(IsAuthenticated()), description="Text a code to the number.")
    async def add_phone_number(self, info: Info, input: AddPhoneNumberInput) -> PhoneVerification:
        user_id = signed_in(info.context.viewer)
        challenge = await info.context.services.phone_verification.add_phone_number(user_id, input.number, input.region)
        return PhoneVerification(owner_id=user_id, number=challenge.e164, expires_at=challenge.expires_at)

    @strawberry.mutation(extensions=allow(IsAuthenticated()), description="The texted code; works once.")
    async def verify_phone_number(self, info: Info, input: VerifyPhoneNumberInput) -> PhoneNumber:
        user_id = signed_in(info.context.viewer)
        number = await info.context.services.phone_verification.verify_phone_number(user_id, input.code)
        return PhoneNumber(owner_id=user_id, number=number.e164, verified_at=number.verified_at)

    @strawberry.mutation(extensions=allow(IsAuthenticated()))
    async def register_device(self, info: Info, input: RegisterDeviceInput) -> Device:
        user_id = signed_in(info.context.viewer)
        device = await info.context.services.notifications.register_device(user_id, input.platform, input.token)
        return Device.from_domain(device)

    @strawberry.mutation(extensions=allow(IsAuthenticated()))
    async def unregister_device(self, info: Info, token: str) -> bool:
        return await info.context.services.notifications.unregister_device(signed_in(info.context.viewer), token)

    @strawberry.mutation(
        extensions=allow(IsAuthenticated()),
        description="Turn SMS sign-in codes on (a verified phone number needed) or off; an authenticator app "
        "(enrollMfa) stays the recommended second factor.",
    )
    async def set_sms_second_factor(self, info: Info, password: str, enabled: bool) -> bool:
        return await sms_factor.set_sms_factor(
            info.context.identity, info.context.viewer, password, enabled, info.context.meta
        )

    @strawberry.mutation(description="Text a sign-in code for the `mfaToken` login returned (SMS codes on).")
    async def send_sign_in_code(self, info: Info, mfa_token: str) -> bool:
        return await sms_factor.send_sign_in_code(info.context.identity, mfa_token)
