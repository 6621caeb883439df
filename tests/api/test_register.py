"""`register`, `verifyEmail` and `resendVerificationEmail` over HTTP, reading the mail the SMTP sink received."""

from migratio.settings import Settings
from tests.builders.accounts import (
    LOGIN,
    PASSWORD,
    REGISTER,
    VERIFY,
    Client,
    error_code,
    link_token,
    mails_to,
    mongo,
    unique_email,
    wait_for_mail,
)
from tests.server import LiveServer


def test_register_stores_an_unverified_user_with_an_argon2id_hash_and_mails_a_link(
    server: LiveServer, settings: Settings
) -> None:
    email = unique_email("reg")
    body = Client(server).data(
        REGISTER, {"input": {"email": email.upper(), "password": PASSWORD, "name": "Ann", "locale": "fr-CA"}}
    )
    assert body == {"register": {"email": email}}
    stored = mongo(settings).users.find_one({"email": email})
    assert stored is not None
    assert (stored["role"], stored["locale"], stored["email_verified_at"]) == ("user", "fr-CA", None)
    assert stored["password_hash"].startswith("$argon2id$") and PASSWORD not in str(stored)
    message = wait_for_mail(settings, email, "Confirm your email address")
    assert message["From"] == settings.mail_from
    assert f"{settings.app_url}/verify-email?token=" in message.get_content()


def test_verify_email_link_verifies_once_and_then_is_refused(server: LiveServer, settings: Settings) -> None:
    client, email = Client(server), unique_email("verify")
    client.data(REGISTER, {"input": {"email": email, "password": PASSWORD, "name": "Ann"}})
    token = link_token(wait_for_mail(settings, email, "Confirm your email address"))
    assert client.data(VERIFY, {"token": token}) == {"verifyEmail": {"email": email}}
    assert mongo(settings).users.find_one({"email": email})["email_verified_at"] is not None  # type: ignore[index]
    again = client.gql(VERIFY, {"token": token})
    assert error_code(again) == "BAD_USER_INPUT"
    assert again["errors"][0]["extensions"]["field"] == "token"


def test_login_before_verifying_is_forbidden_with_a_reason(server: LiveServer, settings: Settings) -> None:
    client, email = Client(server), unique_email("unverified")
    client.data(REGISTER, {"input": {"email": email, "password": PASSWORD, "name": "Ann"}})
    body = client.gql(LOGIN, {"email": email, "password": PASSWORD})
    assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN", "reason": "EMAIL_NOT_VERIFIED"}
    user = mongo(settings).users.find_one({"email": email})
    assert user is not None
    assert mongo(settings).refresh_sessions.count_documents({"user_id": user["_id"]}) == 0


def test_registering_a_taken_address_answers_the_same_and_creates_nothing(
    server: LiveServer, settings: Settings
) -> None:
    client, email = Client(server), unique_email("taken")
    first = client.data(REGISTER, {"input": {"email": email, "password": PASSWORD, "name": "Ann"}})
    second = client.data(REGISTER, {"input": {"email": email, "password": "other-secret-99", "name": "Eve"}})
    assert first == second
    assert mongo(settings).users.count_documents({"email": email}) == 1
    wait_for_mail(settings, email, "You already have a Migratio account")
    assert mongo(settings).users.find_one({"email": email})["name"] == "Ann"  # type: ignore[index]


def test_a_common_password_is_refused_and_nothing_is_stored(server: LiveServer, settings: Settings) -> None:
    email = unique_email("weak")
    body = Client(server).gql(REGISTER, {"input": {"email": email, "password": "iloveyou123", "name": "Ann"}})
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "password"}
    assert body["errors"][0]["message"] == "this password is too common; choose another"
    assert mongo(settings).users.count_documents({"email": email}) == 0
    assert mails_to(settings, email) == []


def test_resend_verification_mails_a_new_working_link(server: LiveServer, settings: Settings) -> None:
    client, email = Client(server), unique_email("resend")
    client.data(REGISTER, {"input": {"email": email, "password": PASSWORD, "name": "Ann"}})
    assert client.data("mutation($e: String!) { resendVerificationEmail(email: $e) }", {"e": email}) == {
        "resendVerificationEmail": True
    }
    token = link_token(wait_for_mail(settings, email, "Confirm your email address", count=2))
    assert client.data(VERIFY, {"token": token}) == {"verifyEmail": {"email": email}}
