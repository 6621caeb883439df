"""`me`, `updateProfile`, `updatePreferences` and the presigned profile-photo upload, against the real S3."""

from datetime import date

import httpx

from migratio.settings import Settings
from migratio.wiring.identity import field_cipher
from tests.builders.accounts import Client, error_code, mongo, signed_up
from tests.server import LiveServer

PROFILE = """mutation($input: UpdateProfileInput!) {
  updateProfile(input: $input) { name locale dateOfBirth passportNumber }
}"""
PREFERENCES = """mutation($input: UpdatePreferencesInput!) {
  updatePreferences(input: $input) { preferences { language notificationChannels currency ui } }
}"""
UPLOAD = """mutation($type: String!) {
  requestProfilePhotoUpload(contentType: $type) { url key maxBytes expiresAt fields { name value } }
}"""
CONFIRM = "mutation($key: String!) { confirmProfilePhoto(key: $key) { photoUrl } }"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def test_update_profile_changes_the_given_fields_and_keeps_the_others(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "profile")
    changed = account.client.data(
        PROFILE, {"input": {"name": "Ann Lee", "dateOfBirth": "1990-04-02", "passportNumber": "ab 1234567"}}
    )
    assert changed == {
        "updateProfile": {"name": "Ann Lee", "locale": "en", "dateOfBirth": "1990-04-02", "passportNumber": "AB1234567"}
    }
    cleared = account.client.data(PROFILE, {"input": {"passportNumber": None}})
    assert cleared["updateProfile"]["passportNumber"] is None
    assert cleared["updateProfile"]["dateOfBirth"] == "1990-04-02"


def test_date_of_birth_and_passport_number_are_encrypted_at_rest(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "encrypted")
    account.client.data(PROFILE, {"input": {"dateOfBirth": "1985-11-30", "passportNumber": "X9876543"}})
    stored = mongo(settings).users.find_one({"_id": account.id})
    assert stored is not None
    assert "X9876543" not in str(stored) and "1985-11-30" not in str(stored)
    cipher = field_cipher(settings)
    assert cipher.decrypt(stored["passport_number_enc"]) == "X9876543"
    assert date.fromisoformat(cipher.decrypt(stored["date_of_birth_enc"])) == date(1985, 11, 30)


def test_update_preferences_stores_language_channels_currency_and_ui(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "prefs")
    body = account.client.data(
        PREFERENCES,
        {
            "input": {
                "language": "fr",
                "notificationChannels": ["EMAIL", "PUSH"],
                "currency": "CAD",
                "ui": {"theme": "dark"},
            }
        },
    )
    assert body == {
        "updatePreferences": {
            "preferences": {
                "language": "fr",
                "notificationChannels": ["EMAIL", "PUSH"],
                "currency": "CAD",
                "ui": {"theme": "dark"},
            }
        }
    }


def test_an_invalid_currency_is_bad_user_input_naming_the_field(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "currency")
    body = account.client.gql(PREFERENCES, {"input": {"currency": "dollars"}})
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "currency"}


def test_a_photo_uploaded_through_the_presigned_post_becomes_the_profile_photo(
    server: LiveServer, settings: Settings
) -> None:
    account = signed_up(server, settings, "photo")
    upload = account.client.data(UPLOAD, {"type": "image/png"})["requestProfilePhotoUpload"]
    assert upload["key"].startswith(f"users/{account.id}/photo/") and upload["maxBytes"] == settings.photo_max_bytes
    fields = {f["name"]: f["value"] for f in upload["fields"]}
    posted = httpx.post(upload["url"], data=fields, files={"file": ("me.png", PNG, "image/png")}, timeout=30)
    assert posted.status_code == 204, posted.text
    photo_url = account.client.data(CONFIRM, {"key": upload["key"]})["confirmProfilePhoto"]["photoUrl"]
    downloaded = httpx.get(photo_url, timeout=30)
    assert downloaded.status_code == 200 and downloaded.content == PNG
    assert mongo(settings).users.find_one({"_id": account.id})["photo_key"] == upload["key"]  # type: ignore[index]


def test_a_photo_of_a_type_not_allowed_cannot_even_be_requested(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "phototype")
    body = account.client.gql(UPLOAD, {"type": "text/html"})
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "contentType"}


def test_confirming_a_photo_that_was_never_uploaded_is_not_found(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "nophoto")
    upload = account.client.data(UPLOAD, {"type": "image/png"})["requestProfilePhotoUpload"]
    assert error_code(account.client.gql(CONFIRM, {"key": upload["key"]})) == "NOT_FOUND"


def test_profile_fields_need_a_signed_in_person(server: LiveServer) -> None:
    assert error_code(Client(server).gql(PROFILE, {"input": {"name": "X"}})) == "UNAUTHENTICATED"
