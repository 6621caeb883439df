"""`migratio anonymised-copy` against the stack: people made through the API, the copy made by the CLI into a
database of the module's own, then every document of the copy searched for what the people gave."""

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr
from pymongo.database import Database

from datasources.crypto import FieldCipher
from domain.anonymisation.documents import NoRule
from migratio.admin.anonymised_copy import CopyRefused, anonymised_copy
from migratio.settings import OAuthProviderSettings, Settings
from migratio.wiring.identity import field_cipher
from migratio.wiring.services import Services
from tests.api.test_oauth import LINK, PROVIDER, provider_login, sign_in
from tests.api.test_oauth import start as start_oauth
from tests.builders.accounts import (
    LOGIN,
    ME,
    Account,
    Client,
    error_code,
    link_token,
    log_in,
    mongo,
    run_cli,
    signed_up,
    wait_for_mail,
)
from tests.builders.answers import reference_quiz
from tests.builders.notifications import REGISTER_DEVICE, new_device_token, verified_phone
from tests.builders.quiz import completed, start
from tests.builders.roadmaps import UPDATE_NAME, create_roadmap, uploaded
from tests.server import LiveServer, LiveWorker, start_server, start_worker

PROFILE = "mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { dateOfBirth passportNumber } }"
RECOMMENDATIONS = "query { myRecommendations(first: 50) { totalCount edges { programSlug } } }"
REQUEST_RESET = "mutation($email: String!) { requestPasswordReset(email: $email) }"
RESET = "mutation($input: ResetPasswordInput!) { resetPassword(input: $input) }"
REFRESH = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }"
STAGING_PASSWORD = "staging-walnut-lamp-7"


@dataclass
class Person:
    account: Account
    name: str
    born: str  # ISO, as answered and as set on the profile
    passport: str
    phone: str
    subject: str  # at the OpenID Connect provider, linked to the account
    recommendations: tuple[int, list[str]]  # how many, and which programs


@dataclass
class Copy:
    name: str
    key: str
    people: list[Person]
    output: str

    def db(self, settings: Settings) -> Database[dict[str, Any]]:
        return mongo(settings).client[self.name]

    def email_of(self, settings: Settings, person: Person) -> str:
        user = self.db(settings).users.find_one({"_id": person.account.id})
        assert user is not None
        return str(user["email"])


def _social(settings: Settings) -> Settings:
    """The settings with a provider on the stack's OpenID Connect server (an issuer of this module's own)."""
    issuer = f"{settings.oidc_mock_url.rstrip('/')}/migratio-copy-{uuid.uuid4().hex[:8]}"
    provider = OAuthProviderSettings(name=PROVIDER, issuer=issuer, client_id="migratio-web", client_secret="s")
    return settings.model_copy(update={"oauth_providers": [provider], "oauth_web_origins": ["http://localhost:3000"]})


@pytest.fixture(scope="module")
def social(settings: Settings) -> Settings:
    return _social(settings)


@pytest.fixture(scope="module")
def server(social: Settings, worker: LiveWorker) -> Iterator[LiveServer]:
    """The module's API, with social sign-in, so people have provider links to copy."""
    live = start_server(social)
    yield live
    live.stop()


def _claims(account: Account) -> dict[str, Any]:
    return {"email": account.email, "email_verified": True}


def _person(server: LiveServer, settings: Settings, tag: str, name: str, born: str, passport: str) -> Person:
    account = signed_up(server, settings, tag)
    subject = f"sub-{uuid.uuid4().hex}"
    code, state = provider_login(start_oauth(account.client)["authorizationUrl"], subject, **_claims(account))
    account.client.data(LINK, {"provider": PROVIDER, "code": code, "state": state})
    account.client.data(UPDATE_NAME, {"name": name})
    account.client.data(PROFILE, {"input": {"dateOfBirth": born, "passportNumber": passport}})
    phone = verified_phone(settings, account)
    account.client.data(REGISTER_DEVICE, {"t": new_device_token(settings)})
    completed(account.client, reference_quiz(birth_date=born))
    create_roadmap(account, date.today())
    uploaded(account)
    return Person(account, name, born, passport, phone, subject, _recommended(account.client))


def _recommended(client: Client) -> tuple[int, list[str]]:
    """In no order: the date of birth, moved up to a year, may change age points and so the ranking."""
    found = client.data(RECOMMENDATIONS)["myRecommendations"]
    return found["totalCount"], sorted(edge["programSlug"] for edge in found["edges"])


@pytest.fixture(scope="module")
def copy(server: LiveServer, settings: Settings, seeded: Services) -> Copy:
    people = [
        _person(server, settings, "zenobia", "Zenobia Quartermaine", "1987-03-19", "ZQ7654321"),
        _person(server, settings, "bartholomew", "Bartholomew Ostrowski", "1979-11-04", "BO1122334"),
    ]
    start(Client(server))  # an anonymous assessment, with its resume token's hash
    key = Fernet.generate_key().decode()
    name = f"{settings.mongodb_db}_copy"
    output = run_cli(settings, "anonymised-copy", "--target-db", name, "--target-key", key)
    return Copy(name, key, people, output)


def _values(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _values(item)
    elif isinstance(value, list):
        for item in value:
            yield from _values(item)
    else:
        yield value


def _texts(db: Database[dict[str, Any]], cipher: FieldCipher) -> list[str]:
    """Every key and value of every document, as text; sealed fields also opened with `cipher`."""
    found: list[str] = []
    for name in db.list_collection_names():
        for doc in db[name].find():
            for value in _values(doc):
                found.append(value.isoformat() if isinstance(value, datetime | date) else str(value))
                if isinstance(value, str) and value.startswith("gAAAAA"):
                    found.append(cipher.decrypt(value))
    return found


def _needles(person: Person) -> tuple[set[str], set[str]]:
    """What the person gave as the source stores it (e-mail, name and its parts, passport, date of birth,
    phone, the client's address), and other forms it may take (day-first, month-first, compact, a midnight time,
    the phone without `+`)."""
    born = date.fromisoformat(person.born)
    stored = {
        person.account.email,
        person.account.email.split("@")[0],
        person.name,
        *person.name.split(),
        person.passport,
        person.born,
        person.phone,
        person.subject,
        person.account.client.ip,
    }
    others = {born.strftime(f) for f in ("%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%Y%m%d")}
    return stored, others | {f"{person.born}T00:00:00", person.phone.lstrip("+")}


def test_the_cli_copies_every_collection_and_prints_the_counts(settings: Settings, copy: Copy) -> None:
    source, target = mongo(settings), copy.db(settings)
    names = sorted(source.list_collection_names())
    assert sorted(target.list_collection_names()) == names
    counts = {name: source[name].count_documents({}) for name in names}
    assert {name: target[name].count_documents({}) for name in names} == counts
    assert copy.output.splitlines()[0] == f"copied {sum(counts.values())} document(s) into {copy.name}"
    assert {n: source[n].count_documents({}) for n in ("users", "refresh_sessions", "push_devices")} == {
        "users": 2,
        "refresh_sessions": 2,
        "push_devices": 2,
    }
    for name in names:
        assert [i["name"] for i in target[name].list_indexes()] == [i["name"] for i in source[name].list_indexes()]


def test_no_e_mail_name_passport_birth_date_phone_or_address_of_the_source_survives(
    settings: Settings, copy: Copy
) -> None:
    source_texts = "\n".join(_texts(mongo(settings), field_cipher(settings)))
    target_texts = "\n".join(_texts(copy.db(settings), FieldCipher([copy.key])))
    for person in copy.people:
        stored, others = _needles(person)
        missing = [n for n in stored if n not in source_texts]
        assert missing == [], missing  # each is there to be found in the source
        survived = [n for n in stored | others if n.lower() in target_texts.lower()]
        assert survived == [], survived
    hashes = [u["password_hash"] for u in mongo(settings).users.find()]
    assert all(h.startswith("$argon2id$") and h not in target_texts for h in hashes)
    tokens = [s["token_hash"] for s in mongo(settings).refresh_sessions.find()]
    assert tokens and not any(t in target_texts for t in tokens)


def test_the_same_person_has_the_same_fakes_in_every_collection(settings: Settings, copy: Copy) -> None:
    target, cipher = copy.db(settings), FieldCipher([copy.key])
    for person in copy.people:
        user_id = person.account.id
        fake = target.users.find_one({"_id": user_id})
        assert fake is not None and re.fullmatch(r"person-[0-9a-f]{16}@example\.com", fake["email"])
        [link] = target.oauth_identities.find({"user_id": user_id})
        assert link["email"] == fake["email"] and link["_id"] == f"{PROVIDER}:{link['subject']}"
        [number] = target.phone_numbers.find({"_id": user_id})
        texts = target.notification_sends.find({"user_id": user_id, "channel": "sms"})
        assert number["e164"].startswith("+999") and {s["address"] for s in texts} == {number["e164"]}
        born = cipher.decrypt(fake["date_of_birth_enc"])
        assert born != person.born and abs((date.fromisoformat(born) - date.fromisoformat(person.born)).days) <= 365
        [assessment] = target.assessments.find({"owner_id": user_id})
        [snapshot] = target.profile_snapshots.find({"owner_id": user_id})
        assert assessment["answers"]["birth_date"]["value"] == snapshot["profile"]["birth_date"] == born
        ips = {e["ip"] for e in target.audit_events.find({"user_id": user_id, "ip": {"$ne": None}})}
        assert len(ips) == 1 and ips <= {s["ip"] for s in target.refresh_sessions.find({"user_id": user_id})}


@pytest.fixture(scope="module")
def staging(settings: Settings, copy: Copy, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """An API and worker on the copy, with the copy's field key, as a staging deployment would run."""
    staged = _social(settings).model_copy(
        update={
            "mongodb_db": copy.name,
            "field_encryption_keys": [SecretStr(copy.key)],
            "job_queue": f"{settings.redis_key_prefix}-staging-jobs",
        }
    )
    worker = start_worker(staged, tmp_path_factory.mktemp("staging") / "worker.log")
    live = start_server(staged)
    yield live
    live.stop()
    worker.kill()


def test_production_credentials_do_not_sign_in_on_the_copy(staging: LiveServer, settings: Settings, copy: Copy) -> None:
    person = copy.people[0]
    fake_email = copy.email_of(settings, person)
    for email in (person.account.email, fake_email):
        body = Client(staging).gql(LOGIN, {"email": email, "password": person.account.password})
        assert error_code(body) == "UNAUTHENTICATED"
    assert error_code(Client(staging).gql(REFRESH, {"t": person.account.refresh_token})) == "UNAUTHENTICATED"
    # the provider account is no longer linked: signing in with it makes a new account, not theirs
    tokens = sign_in(Client(staging), person.subject, _claims(person.account))
    assert Client(staging, token=tokens["accessToken"]).data(ME)["me"]["id"] != person.account.id


def test_on_the_copy_a_person_resets_the_password_by_the_fake_address_and_reads_recommendations_of_the_same_programs(
    staging: LiveServer, settings: Settings, copy: Copy
) -> None:
    person = copy.people[0]
    fake_email = copy.email_of(settings, person)
    Client(staging).data(REQUEST_RESET, {"email": fake_email})
    token = link_token(wait_for_mail(settings, fake_email, "Reset your Migratio password"))
    Client(staging).data(RESET, {"input": {"token": token, "newPassword": STAGING_PASSWORD}})
    tester = Client(staging)
    log_in(tester, fake_email, STAGING_PASSWORD)
    me = tester.data("query { me { id email name dateOfBirth passportNumber } }")["me"]
    assert me["id"] == person.account.id and me["email"] == fake_email and me["name"] != person.name
    assert me["dateOfBirth"] != person.born and me["passportNumber"] not in (None, person.passport)
    assert _recommended(tester) == person.recommendations and person.recommendations[0] > 0
    assert tester.data(ME)["me"]["emailVerified"] is True


async def test_a_collection_without_a_rule_refuses_the_copy_and_writes_nothing(settings: Settings) -> None:
    scratch = settings.model_copy(update={"mongodb_db": f"{settings.mongodb_db}_unruled"})
    source = mongo(settings).client[scratch.mongodb_db]
    source.users.insert_one({"_id": "u1", "email": "x@example.com"})
    source.crm_notes.insert_one({"_id": "n1", "text": "called Ada about her visa"})
    target = f"{settings.mongodb_db}_unruled_copy"
    key = Fernet.generate_key().decode()

    with pytest.raises(NoRule, match="no anonymisation rule for the collection\\(s\\) crm_notes: nothing copied"):
        await anonymised_copy(scratch, target, target_key=key)

    assert target not in mongo(settings).client.list_database_names()


async def test_a_field_without_a_rule_found_midway_drops_the_partial_copy(settings: Settings) -> None:
    scratch = settings.model_copy(update={"mongodb_db": f"{settings.mongodb_db}_unknown_field"})
    source = mongo(settings).client[scratch.mongodb_db]
    source.countries.insert_one({"_id": "CA", "name": "Canada"})
    source.users.insert_one({"_id": "u1", "email": "x@example.com", "nickname": "Ada"})
    target = f"{settings.mongodb_db}_unknown_field_copy"

    with pytest.raises(NoRule, match="users: no rule for the field nickname"):
        await anonymised_copy(scratch, target, target_key=Fernet.generate_key().decode())

    assert target not in mongo(settings).client.list_database_names()


async def test_a_copy_into_the_source_a_non_empty_database_without_a_key_or_under_a_source_key_is_refused(
    settings: Settings, copy: Copy
) -> None:
    key = Fernet.generate_key().decode()
    source_key = settings.field_encryption_keys[0]
    other = f"{settings.mongodb_db}_other"
    refusals = [
        (settings, settings.mongodb_db, key, "the target is the source database"),
        (settings, copy.name, key, f"the target database {copy.name} is not empty"),
        (settings, other, None, "give the target's field-cipher key: --target-key or ANONYMISED_COPY_FIELD_KEY"),
        (settings.model_copy(update={"anonymised_copy_field_key": source_key}), other, None, "not be one of"),
    ]
    for configured, target, target_key, message in refusals:
        with pytest.raises(CopyRefused, match=message):
            await anonymised_copy(configured, target, target_key=target_key)
    assert other not in mongo(settings).client.list_database_names()
