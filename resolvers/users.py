"""Root fields for the signed-in person's own account: profile, preferences, photo, MFA and privacy."""

from datetime import date, datetime
from typing import Any

import strawberry

from domain.users import mfa, model, privacy, profile
from domain.users.model import NotificationChannel
from schema.context import Context
from schema.permissions import IsAuthenticated, allow
from schema.users import (
    ConfirmMfaPayload,
    DataExport,
    DeleteMyAccountPayload,
    MfaEnrolment,
    PresignedUpload,
    UpdatePreferencesInput,
    UpdateProfileInput,
    User,
)

Info = strawberry.Info[Context, None]


def user_type(context: Context, user: model.User) -> User:
    return User.from_domain(user, profile.photo_url(context.identity, user))


def _given(value: Any) -> Any:
    """An input field left out (UNSET) keeps the stored value."""
    return profile.KEEP if value is strawberry.UNSET else value


def _required(value: Any) -> Any:
    """Fields that cannot be cleared: null means the same as leaving them out."""
    return profile.KEEP if value is strawberry.UNSET or value is None else value


def _profile_changes(data: UpdateProfileInput) -> profile.ProfileChanges:
    born: date | profile.Keep | None = _given(data.date_of_birth)
    passport: str | profile.Keep | None = _given(data.passport_number)
    return profile.ProfileChanges(
        name=_required(data.name), locale=_required(data.locale), date_of_birth=born, passport_number=passport
    )


def _preference_changes(data: UpdatePreferencesInput) -> profile.PreferenceChanges:
    channels: list[NotificationChannel] | profile.Keep = (
        profile.KEEP if data.notification_channels in (strawberry.UNSET, None) else data.notification_channels
    )
    return profile.PreferenceChanges(
        language=_required(data.language),
        currency=_required(data.currency),
        notification_channels=channels,
        ui=profile.KEEP if data.ui in (strawberry.UNSET, None) else data.ui,
    )


@strawberry.type
class UsersQuery:
    @strawberry.field(extensions=allow(IsAuthenticated()), description="The signed-in person.")
    async def me(self, info: Info) -> User:
        return user_type(info.context, await profile.me(info.context.identity, info.context.viewer))


@strawberry.type
class UsersMutation:
    @strawberry.mutation(extensions=allow(IsAuthenticated()))
    async def update_profile(self, info: Info, input: UpdateProfileInput) -> User:
        user = await profile.update_profile(info.context.identity, info.context.viewer, _profile_changes(input))
        return user_type(info.context, user)

    @strawberry.mutation(extensions=allow(IsAuthenticated()))
    async def update_preferences(self, info: Info, input: UpdatePreferencesInput) -> User:
        user = await profile.update_preferences(info.context.identity, info.context.viewer, _preference_changes(input))
        return user_type(info.context, user)

    @strawberry.mutation(extensions=allow(IsAuthenticated()), description="Step 1 of a photo upload.")
    async def request_profile_photo_upload(self, info: Info, content_type: str) -> PresignedUpload:
        post = await profile.request_photo_upload(info.context.identity, info.context.viewer, content_type)
        return PresignedUpload.from_domain(post)

    @strawberry.mutation(extensions=allow(IsAuthenticated()), description="Step 2: adopt the uploaded photo.")
    async def confirm_profile_photo(self, info: Info, key: str) -> User:
        user = await profile.confirm_photo(info.context.identity, info.context.viewer, key)
        return user_type(info.context, user)

    @strawberry.mutation(extensions=allow(IsAuthenticated()), description="Start turning on TOTP two-factor.")
    async def enroll_mfa(self, info: Info) -> MfaEnrolment:
        enrolment = await mfa.enrol_mfa(info.context.identity, info.context.viewer)
        return MfaEnrolment.from_domain(info.context.viewer.user_id or "", enrolment)

    @strawberry.mutation(extensions=allow(IsAuthenticated()), description="Turn two-factor on with a first code.")
    async def confirm_mfa(self, info: Info, code: str) -> ConfirmMfaPayload:
        codes = await mfa.confirm_mfa(info.context.identity, info.context.viewer, code, info.context.meta)
        return ConfirmMfaPayload(owner_id=info.context.viewer.user_id or "", recovery_codes=codes)

    @strawberry.mutation(extensions=allow(IsAuthenticated()), description="Needs the password and a code.")
    async def disable_mfa(self, info: Info, password: str, code: str) -> bool:
        await mfa.disable_mfa(info.context.identity, info.context.viewer, password, code, info.context.meta)
        return True

    @strawberry.mutation(extensions=allow(IsAuthenticated()), description="Everything held about you, as JSON.")
    async def export_my_data(self, info: Info) -> DataExport:
        export = await privacy.export_my_data(info.context.identity, info.context.viewer, info.context.meta)
        return DataExport.from_domain(info.context.viewer.user_id or "", export)

    @strawberry.mutation(
        extensions=allow(IsAuthenticated()),
        description="Mail a single-use code that confirms deleteMyAccount instead of the password (for accounts "
        "made by social sign-in, which have none). Returns when it expires.",
    )
    async def send_account_deletion_code(self, info: Info) -> datetime:
        return await privacy.mail_deletion_code(info.context.identity, info.context.viewer)

    @strawberry.mutation(
        extensions=allow(IsAuthenticated()),
        description="Sign out everywhere; everything is removed after the grace period, unless "
        "you sign in before then and cancelAccountDeletion. Confirm with your password, or with the code "
        "sendAccountDeletionCode mailed (BAD_USER_INPUT on `confirmationCode` when wrong, used or expired).",
    )
    async def delete_my_account(
        self, info: Info, password: str | None = None, confirmation_code: str | None = None
    ) -> DeleteMyAccountPayload:
        purge_after = await privacy.delete_my_account(
            info.context.identity, info.context.viewer, password, info.context.meta, confirmation_code
        )
        return DeleteMyAccountPayload(purge_after=purge_after)
