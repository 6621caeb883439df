"""Shapes of the identity area. Nothing here can set a role: roles change only through admin mutations."""

from datetime import date, datetime
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from domain.users import model, oauth
from domain.users.mfa import MfaEnrolment as DomainMfaEnrolment
from domain.users.privacy import DataExport as DomainDataExport
from domain.users.service import IssuedTokens
from domain.users.sessions import MfaChallenge as DomainMfaChallenge
from schema.billing import BillingSubscription
from schema.notifications import Notification
from schema.oauth import LinkedIdentity
from schema.pagination import page_size
from schema.permissions import CanSeePerson, IsAdmin, IsOwner, Private, allow, guarded

# strawberry.enum registers the domain's own enums (it returns the class it was given)
Role = strawberry.enum(model.Role, description="What a person may do: user < advisor < admin.")
NotificationChannel = strawberry.enum(model.NotificationChannel)
Scope = strawberry.enum(model.Scope, description="What a server-to-server API key may do.")


async def _subscription(root: "User", info: strawberry.Info) -> BillingSubscription:
    standing = await info.context.loaders.subscription_by_owner.load(root.owner_id)
    return BillingSubscription.from_domain(root.owner_id, standing)


@strawberry.type(description="A person's preferences.", directives=[Private()])
class Preferences:
    owner_id: strawberry.Private[str]
    advisor_id: strawberry.Private[str | None]
    language: str = guarded(CanSeePerson())
    notification_channels: list[model.NotificationChannel] = guarded(CanSeePerson())
    currency: str = guarded(CanSeePerson(), description="ISO 4217 code amounts are shown in.")
    ui: JSON = guarded(CanSeePerson(), description="Free-form settings the client keeps for itself.")

    @classmethod
    def from_domain(cls, user: model.User) -> "Preferences":
        prefs = user.preferences
        return cls(
            owner_id=user.id,
            advisor_id=user.advisor_id,
            language=prefs.language,
            notification_channels=list(prefs.notification_channels),
            currency=prefs.currency,
            ui=JSON(dict(prefs.ui)),
        )


@strawberry.type(description="An account.", directives=[Private()])
class User:
    owner_id: strawberry.Private[str]
    id: strawberry.ID = guarded(CanSeePerson())
    email: str = guarded(CanSeePerson())
    name: str = guarded(CanSeePerson())
    locale: str = guarded(CanSeePerson())
    role: model.Role = guarded(CanSeePerson())
    email_verified: bool = guarded(CanSeePerson())
    created_at: datetime = guarded(CanSeePerson())
    date_of_birth: date | None = guarded(CanSeePerson(), description="Encrypted at rest.")
    passport_number: str | None = guarded(IsOwner(), description="Encrypted at rest; only its owner sees it.")
    photo_url: str | None = guarded(CanSeePerson(), description="Short-lived presigned link.")
    preferences: Preferences = guarded(CanSeePerson())
    mfa_enabled: bool = guarded(CanSeePerson())
    recovery_codes_left: int = guarded(IsOwner())
    subscription: BillingSubscription = guarded(
        IsOwner(), resolver=_subscription, description="Your plan in force, its subscription and this month's usage."
    )
    advisor_id: strawberry.ID | None = guarded(CanSeePerson())
    deletion_scheduled_for: datetime | None = guarded(CanSeePerson())

    @strawberry.field(extensions=allow(IsOwner()), description="Sign-in providers linked to this account.")
    async def linked_identities(self, info: strawberry.Info) -> list[LinkedIdentity]:
        found = await oauth.linked_identities(info.context.services.oauth, info.context.viewer, self.owner_id)
        return [LinkedIdentity.from_domain(link) for link in found]

    @classmethod
    def from_domain(cls, user: model.User, photo_url: str | None) -> "User":
        return cls(
            owner_id=user.id,
            id=strawberry.ID(user.id),
            email=user.email,
            name=user.name,
            locale=user.locale,
            role=user.role,
            email_verified=user.email_verified_at is not None,
            created_at=user.created_at,
            date_of_birth=user.date_of_birth,
            passport_number=user.passport_number,
            photo_url=photo_url,
            preferences=Preferences.from_domain(user),
            mfa_enabled=user.mfa.enabled,
            recovery_codes_left=len(user.mfa.recovery_code_hashes),
            advisor_id=strawberry.ID(user.advisor_id) if user.advisor_id else None,
            deletion_scheduled_for=user.purge_after,
        )

    @guarded(IsOwner(), description="Notices sent to this person, newest first.")
    async def notifications(
        self, info: strawberry.Info, first: Annotated[int, page_size(100)] = 20
    ) -> list[Notification]:
        sent = await info.context.services.notifications.history(self.owner_id, first)
        return [Notification.from_domain(send) for send in sent]


@strawberry.type(description="A signed-in device or browser.", directives=[Private()])
class Session:
    owner_id: strawberry.Private[str]
    id: strawberry.ID = guarded(IsOwner())
    started_at: datetime = guarded(IsOwner())
    expires_at: datetime = guarded(IsOwner())
    ip: str | None = guarded(IsOwner())
    user_agent: str | None = guarded(IsOwner())
    current: bool = guarded(IsOwner(), description="The session making this request.")

    @classmethod
    def from_domain(cls, session: model.RefreshSession, current_id: str | None) -> "Session":
        return cls(
            owner_id=session.user_id,
            id=strawberry.ID(session.family_id),
            started_at=session.created_at,
            expires_at=session.expires_at,
            ip=session.ip,
            user_agent=session.user_agent,
            current=session.family_id == current_id,
        )


@strawberry.type(
    description="A server-to-server key; the secret itself is shown once, at creation.", directives=[Private()]
)
class ApiKey:
    id: strawberry.ID = guarded(IsAdmin())
    name: str = guarded(IsAdmin())
    prefix: str = guarded(IsAdmin(), description="The key's first characters, to recognise it.")
    scopes: list[model.Scope] = guarded(IsAdmin())
    created_at: datetime = guarded(IsAdmin())
    revoked_at: datetime | None = guarded(IsAdmin())

    @classmethod
    def from_domain(cls, key: model.ApiKey) -> "ApiKey":
        return cls(
            id=strawberry.ID(key.id),
            name=key.name,
            prefix=key.prefix,
            scopes=list(key.scopes),
            created_at=key.created_at,
            revoked_at=key.revoked_at,
        )


@strawberry.type(
    description="Signed in: send `accessToken` as `Authorization: Bearer …`; trade the "
    "single-use `refreshToken` for new tokens with `refreshToken`."
)
class AuthTokens:
    access_token: str
    access_token_expires_at: datetime
    refresh_token: str
    refresh_token_expires_at: datetime
    token_type: str = "Bearer"

    @classmethod
    def from_domain(cls, tokens: IssuedTokens) -> "AuthTokens":
        return cls(
            access_token=tokens.access_token,
            access_token_expires_at=tokens.access_expires_at,
            refresh_token=tokens.refresh_token,
            refresh_token_expires_at=tokens.refresh_expires_at,
        )


@strawberry.type(description="Password accepted; complete with `loginWithMfa` and a TOTP or recovery code.")
class MfaChallenge:
    mfa_token: str
    expires_at: datetime

    @classmethod
    def from_domain(cls, challenge: DomainMfaChallenge) -> "MfaChallenge":
        return cls(mfa_token=challenge.token, expires_at=challenge.expires_at)


LoginResult = Annotated[AuthTokens | MfaChallenge, strawberry.union("LoginResult")]


@strawberry.type(
    description="Scan `otpauthUri` (or type `secret`) into an authenticator app, then confirmMfa.",
    directives=[Private()],
)
class MfaEnrolment:
    owner_id: strawberry.Private[str]
    secret: str = guarded(IsOwner())
    otpauth_uri: str = guarded(IsOwner())

    @classmethod
    def from_domain(cls, owner_id: str, enrolment: DomainMfaEnrolment) -> "MfaEnrolment":
        return cls(owner_id=owner_id, secret=enrolment.secret, otpauth_uri=enrolment.otpauth_uri)


@strawberry.type(
    description="Single-use codes for when the authenticator is lost; shown only this once.", directives=[Private()]
)
class ConfirmMfaPayload:
    owner_id: strawberry.Private[str]
    recovery_codes: list[str] = guarded(IsOwner())


@strawberry.type(description="One form field to send with the upload, before the file.")
class FormField:
    name: str
    value: str


@strawberry.type(
    description="POST the file as multipart/form-data to `url` with `fields` first; S3 enforces "
    "the type and size, then call confirmProfilePhoto with `key`."
)
class PresignedUpload:
    url: str
    fields: list[FormField]
    key: str
    expires_at: datetime
    max_bytes: int

    @classmethod
    def from_domain(cls, post: model.PresignedPost) -> "PresignedUpload":
        return cls(
            url=post.url,
            fields=[FormField(name=k, value=v) for k, v in post.fields.items()],
            key=post.key,
            expires_at=post.expires_at,
            max_bytes=post.max_bytes,
        )


@strawberry.type(
    description="Everything held about you, as one JSON file behind a short-lived link.", directives=[Private()]
)
class DataExport:
    owner_id: strawberry.Private[str]
    url: str = guarded(IsOwner())
    expires_at: datetime = guarded(IsOwner())

    @classmethod
    def from_domain(cls, owner_id: str, export: DomainDataExport) -> "DataExport":
        return cls(owner_id=owner_id, url=export.url, expires_at=export.expires_at)


@strawberry.type
class RegisterPayload:
    email: str = strawberry.field(description="Where the verification link was sent (if the address is new).")


@strawberry.type
class VerifyEmailPayload:
    email: str


@strawberry.type
class DeleteMyAccountPayload:
    purge_after: datetime = strawberry.field(description="When everything will be removed.")


@strawberry.type
class CreateApiKeyPayload:
    key: str = strawberry.field(description="The secret, shown this once: send it as the X-API-Key header.")
    api_key: ApiKey


@strawberry.input
class RegisterInput:
    email: str
    password: str
    name: str
    locale: str = "en"


@strawberry.input(description="Leave a field out to keep it; send null to clear an optional one.")
class UpdateProfileInput:
    name: str | None = strawberry.UNSET
    locale: str | None = strawberry.UNSET
    date_of_birth: date | None = strawberry.UNSET
    passport_number: str | None = strawberry.UNSET


@strawberry.input(description="Leave a field out to keep it.")
class UpdatePreferencesInput:
    language: str | None = strawberry.UNSET
    notification_channels: list[model.NotificationChannel] | None = strawberry.UNSET
    currency: str | None = strawberry.UNSET
    ui: JSON | None = strawberry.UNSET


@strawberry.input
class ResetPasswordInput:
    token: str
    new_password: str


@strawberry.input
class ChangePasswordInput:
    current_password: str
    new_password: str
