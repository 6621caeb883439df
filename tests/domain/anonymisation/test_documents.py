"""The anonymised copy's rules applied to documents shaped as the repositories write them."""

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.anonymisation.documents import Anonymiser, NoRule, unruled
from domain.anonymisation.fakes import Fakes
from domain.anonymisation.rules import REDACTED, UNUSABLE_PASSWORD_HASH


class Sealer:
    """A stand-in field cipher: text sealed under a named key opens only with that key."""

    def __init__(self, key: str) -> None:
        self.key = key

    def encrypt(self, value: str) -> str:
        return f"{self.key}|{value[::-1]}"

    def decrypt(self, token: str) -> str:
        key, _, sealed = token.partition("|")
        if key != self.key:
            raise ValueError("wrong key")
        return sealed[::-1]


SOURCE, TARGET = Sealer("production"), Sealer("staging")
AT = datetime(2026, 3, 1, 12, tzinfo=UTC)


def anonymiser(key: bytes = b"k" * 32) -> Anonymiser:
    return Anonymiser(Fakes(key), SOURCE, TARGET)


def user(email: str = "Ada.Quill@example.org") -> dict:
    return {
        "_id": "u1",
        "email": email,
        "name": "Ada Quill",
        "locale": "en",
        "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
        "created_at": AT,
        "role": "user",
        "email_verified_at": AT,
        "date_of_birth_enc": SOURCE.encrypt("1987-03-19"),
        "passport_number_enc": SOURCE.encrypt("XK1234567"),
        "photo_key": None,
        "preferences": {"language": "en", "notification_channels": ["email"], "currency": "USD", "ui": {"x": 1}},
        "mfa": {
            "secret_enc": SOURCE.encrypt("JBSWY3DPEHPK3PXP"),
            "pending_secret_enc": None,
            "recovery_code_hashes": ["h1", "h2"],
            "last_step": 7,
        },
        "advisor_id": None,
        "deletion_requested_at": None,
        "purge_after": None,
        "revision": 2,
    }


def test_a_user_keeps_ids_and_settings_and_loses_everything_personal_or_secret() -> None:
    copied = anonymiser().document("users", user())
    assert copied["_id"] == "u1" and copied["preferences"] == user()["preferences"] and copied["revision"] == 2
    assert copied["email"].endswith("@example.com") and "ada" not in copied["email"].lower()
    assert copied["name"] != "Ada Quill" and "Quill" not in copied["name"]
    assert copied["password_hash"] == UNUSABLE_PASSWORD_HASH
    assert copied["mfa"] == {"secret_enc": None, "pending_secret_enc": None, "recovery_code_hashes": [], "last_step": 7}
    born = date.fromisoformat(TARGET.decrypt(copied["date_of_birth_enc"]))
    assert born != date(1987, 3, 19) and abs(born - date(1987, 3, 19)) <= timedelta(days=365)
    passport = TARGET.decrypt(copied["passport_number_enc"])
    assert passport != "XK1234567" and len(passport) == 9 and passport[:2].isalpha() and passport[2:].isdigit()
    with pytest.raises(ValueError):
        SOURCE.decrypt(copied["passport_number_enc"])


def test_the_same_person_gets_the_same_fakes_everywhere_in_one_copy_and_others_in_another() -> None:
    one = anonymiser(b"a" * 32)
    link = {
        "_id": "acme:sub-123",
        "user_id": "u1",
        "provider": "acme",
        "subject": "sub-123",
        "email": "ada.quill@example.org",
        "linked_at": AT,
    }
    copied_user, copied_link = one.document("users", user()), one.document("oauth_identities", link)
    assert copied_link["email"] == copied_user["email"]  # the same address, differently cased
    assert copied_link["_id"] == f"acme:{copied_link['subject']}" and "sub-123" not in str(copied_link)
    dob = {"value": "1987-03-19", "basis": {}}
    answers = one.document("assessments", _assessment({"birth_date": dob}))["answers"]["birth_date"]["value"]
    assert answers == TARGET.decrypt(copied_user["date_of_birth_enc"])
    assert anonymiser(b"b" * 32).document("users", user())["email"] != copied_user["email"]


def _assessment(answers: dict) -> dict:
    return {
        "_id": "a1",
        "owner_id": "u1",
        "token_hash": None,
        "bank_version": 1,
        "created_at": AT,
        "updated_at": AT,
        "completed_at": AT,
        "status": "completed",
        "latest_snapshot_id": "s1",
        "revision": 4,
        "answers": answers,
    }


def test_answers_are_kept_but_dates_of_birth_are_moved() -> None:
    answers = {
        "citizenships": {"value": ["IN"], "basis": {}},
        "partner_birth_date": {"value": "1990-01-02", "basis": {}},
        "education": {"value": [{"level": "master", "completed_on": "2019-12-06"}], "basis": {}},
    }
    copied = anonymiser().document("assessments", _assessment(answers))["answers"]
    assert copied["citizenships"] == answers["citizenships"] and copied["education"] == answers["education"]
    assert copied["partner_birth_date"]["value"] != "1990-01-02"


def test_birth_dates_move_by_one_day_to_a_year_never_zero() -> None:
    fakes = Fakes(b"c" * 32)
    days = [date(1950, 1, 1) + timedelta(days=n * 37) for n in range(600)]
    shifts = [abs((fakes.birth_date(d) - d).days) for d in days]
    assert min(shifts) >= 1 and max(shifts) <= 365
    assert len({fakes.birth_date(d) > d for d in days}) == 2  # earlier and later both occur


def test_a_claim_is_faked_as_the_field_it_sets() -> None:
    one = anonymiser()
    claim = {
        "_id": "u1:3",
        "doc": "u1",
        "at": AT,
        "set": [
            {"path": "name", "value": "Ada Quill"},
            {"path": "mfa", "value": {"secret_enc": SOURCE.encrypt("S"), "recovery_code_hashes": ["h"]}},
        ],
    }
    copied = one.document("users_revisions", claim)
    assert copied["_id"] == "u1:3" and copied["doc"] == "u1"
    assert copied["set"] == [
        {"path": "name", "value": one.document("users", user())["name"]},
        {"path": "mfa", "value": {"secret_enc": None, "recovery_code_hashes": []}},
    ]
    opt_out = one.document(
        "sms_opt_outs_revisions", {"_id": "+14155550123:1", "doc": "+14155550123", "at": AT, "set": []}
    )
    assert opt_out["_id"] == f"{opt_out['doc']}:1" and opt_out["doc"].startswith("+999")


def test_secrets_become_useless_and_free_text_goes() -> None:
    one = anonymiser()
    send = {
        "_id": "verification:x:email",
        "user_id": "u1",
        "kind": "verification",
        "channel": "email",
        "message": {
            "kind": "verification",
            "title": "Confirm",
            "body": "Hello Ada, click",
            "link": "https://app/verify?token=secret",
            "deep_link": None,
            "data": {"token": "secret"},
        },
        "status": "sent",
        "created_at": AT,
        "updated_at": AT,
        "address": "ada.quill@example.org",
        "provider_id": "SM123",
        "error": "Ada's mailbox is full",
        "attempts": 1,
        "capped": False,
        "revision": 2,
    }
    copied = one.document("notification_sends", send)
    assert copied["message"] == {
        "kind": "verification",
        "title": REDACTED,
        "body": REDACTED,
        "link": None,
        "deep_link": None,
        "data": {},
    }
    assert copied["address"] == one.document("users", user())["email"] and copied["error"] is None
    session = {"_id": "s1", "user_id": "u1", "family_id": "s1", "token_hash": "abc", "created_at": AT}
    session |= {"expires_at": AT, "used_at": None, "revoked_at": None, "ip": "203.0.113.9", "user_agent": "Firefox"}
    copied_session = one.document("refresh_sessions", session)
    assert copied_session["token_hash"] == one.fakes.pseudonym("abc") != "abc"
    assert copied_session["ip"].startswith(("192.0.2.", "198.51.100.")) and copied_session["user_agent"] is None
    spent = one.document("spent", {"_id": "refresh:abc", "at": AT, "expires_at": AT})
    assert spent["_id"] == f"refresh:{copied_session['token_hash']}"
    event = {"_id": "evt_1", "type": "x", "created": 1, "received_at": AT, "subscription_id": "sub_9"}
    copied_event = one.document("billing_events", event | {"payload": {"customer_email": "ada@example.org"}})
    assert copied_event["payload"] == {} and copied_event["_id"].startswith("evt_") and copied_event["_id"] != "evt_1"


def test_a_collection_or_field_without_a_rule_is_refused() -> None:
    assert unruled(["users", "users_revisions", "system.views", "crm_notes", "crm_notes_revisions"]) == [
        "crm_notes",
        "crm_notes_revisions",
    ]
    with pytest.raises(NoRule, match="crm_notes"):
        anonymiser().document("crm_notes", {"_id": "n1"})
    with pytest.raises(NoRule, match="users: no rule for the field nickname"):
        anonymiser().document("users", user() | {"nickname": "Ada"})
    with pytest.raises(NoRule, match=r"audit_events: no rule for the field details\.email"):
        anonymiser().document("audit_events", {"_id": "e", "at": AT, "kind": "k", "details": {"email": "a@b.c"}})
