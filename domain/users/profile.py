"""The signed-in person's own account: profile, preferences and profile photo."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import Enum

from domain.errors import BadUserInput, NotFound
from domain.users.model import JsonValue, NotificationChannel, PresignedPost, User, Viewer
from domain.users.service import Identity, live_user, new_id, signed_in
from domain.users.validation import (
    check_currency,
    check_date_of_birth,
    check_language,
    check_locale,
    check_name,
    check_passport_number,
    check_ui_settings,
)


class Keep(Enum):
    """An input field the client left out: keep the stored value (None means clear it)."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True, slots=True)
class ProfileChanges:
    name: str | Keep = KEEP
    locale: str | Keep = KEEP
    date_of_birth: date | Keep | None = KEEP
    passport_number: str | Keep | None = KEEP


@dataclass(frozen=True, slots=True)
class PreferenceChanges:
    language: str | Keep = KEEP
    notification_channels: Sequence[NotificationChannel] | Keep = KEEP
    currency: str | Keep = KEEP
    ui: object = KEEP


async def me(identity: Identity, viewer: Viewer) -> User:
    return await live_user(identity, signed_in(viewer))


async def update_profile(identity: Identity, viewer: Viewer, changes: ProfileChanges) -> User:
    user = await me(identity, viewer)
    today = identity.clock.now().date()
    updated = replace(
        user,
        name=user.name if isinstance(changes.name, Keep) else check_name(changes.name),
        locale=user.locale if isinstance(changes.locale, Keep) else check_locale(changes.locale),
        date_of_birth=(
            user.date_of_birth
            if isinstance(changes.date_of_birth, Keep)
            else None
            if changes.date_of_birth is None
            else check_date_of_birth(changes.date_of_birth, today)
        ),
        passport_number=(
            user.passport_number
            if isinstance(changes.passport_number, Keep)
            else None
            if changes.passport_number is None
            else check_passport_number(changes.passport_number)
        ),
    )
    await identity.users.update(updated, "name", "locale", "date_of_birth", "passport_number")
    return updated


async def update_preferences(identity: Identity, viewer: Viewer, changes: PreferenceChanges) -> User:
    user = await me(identity, viewer)
    current = user.preferences
    channels = current.notification_channels
    if not isinstance(changes.notification_channels, Keep):
        channels = tuple(dict.fromkeys(changes.notification_channels))
    ui: dict[str, JsonValue] | None = None if isinstance(changes.ui, Keep) else check_ui_settings(changes.ui)
    preferences = replace(
        current,
        language=current.language if isinstance(changes.language, Keep) else check_language(changes.language),
        currency=current.currency if isinstance(changes.currency, Keep) else check_currency(changes.currency),
        notification_channels=channels,
        ui=current.ui if ui is None else ui,
    )
    updated = replace(user, preferences=preferences)
    await identity.users.update(updated, "preferences")
    return updated


def _photo_prefix(user_id: str) -> str:
    return f"users/{user_id}/photo/"


async def request_photo_upload(identity: Identity, viewer: Viewer, content_type: str) -> PresignedPost:
    """A presigned S3 POST whose policy pins the key, the content type and the size range."""
    user_id = signed_in(viewer)
    config = identity.config
    if content_type not in config.photo_content_types:
        allowed = ", ".join(config.photo_content_types)
        raise BadUserInput(f"photo must be one of {allowed}", field="contentType")
    key = _photo_prefix(user_id) + new_id()
    return await identity.store.presigned_post(
        key, content_type, config.photo_max_bytes, config.upload_ttl_s, identity.clock.now()
    )


async def confirm_photo(identity: Identity, viewer: Viewer, key: str) -> User:
    """Adopt an uploaded photo after checking it again here: the S3 policy is the first check, not the only one."""
    user = await me(identity, viewer)
    prefix = _photo_prefix(user.id)
    name = key[len(prefix) :] if key.startswith(prefix) else ""
    if not name.isalnum():
        raise NotFound("no such upload", key=key)
    stored = await identity.store.head(key)
    if stored is None:
        raise NotFound("no such upload", key=key)
    config = identity.config
    if not 0 < stored.size <= config.photo_max_bytes or stored.content_type not in config.photo_content_types:
        await identity.store.delete(key)
        raise BadUserInput("the upload is empty, too large or not an allowed image type", field="key")
    previous = user.photo_key
    user = replace(user, photo_key=key)
    await identity.users.update(user, "photo_key")
    if previous and previous != key:
        await identity.store.delete(previous)
    return user


def photo_url(identity: Identity, user: User) -> str | None:
    return identity.store.download_url(user.photo_key, identity.config.download_ttl_s) if user.photo_key else None
