"""Social sign-in against the stack's real OpenID Connect provider (mock-oauth2-server, devstack service `oidc`).

The provider's interactive login is driven over HTTP: a POST of `username` (the subject) and `claims` (JSON merged
into the ID token, which also lets a test forge a wrong nonce, audience, issuer or expiry at the provider
itself, signed with its real key) to the authorization URL answers with the redirect carrying the code.
"""

import json
import re
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pyotp
import pytest
from redis import Redis

from domain.analytics.privacy import pseudonym
from migratio.settings import OAuthProviderSettings, Settings
from migratio.wiring.analytics import pseudonym_key
from tests.builders.accounts import ME, Client, error_code, mongo, signed_up, unique_email, wait_for_mail
from tests.builders.analytics import stored, wait_for
from tests.builders.loopback import JsonHandler
from tests.server import LiveServer, start_server

PROVIDER = "acme"
KEYED = "keyed"
ROTATING = "rotating"
CLIENT_ID = "migratio-web"
WEB_REDIRECT = "http://localhost:3000/auth/callback"
APP_REDIRECT = "migratio://auth/callback"

START = """mutation Start($provider: String!, $redirectUri: String!) {
  startOAuthSignIn(provider: $provider, redirectUri: $redirectUri) { authorizationUrl state expiresAt }
}"""
COMPLETE = """mutation Complete($provider: String!, $code: String!, $state: String!) {
  completeOAuthSignIn(provider: $provider, code: $code, state: $state) {
    __typename
    ... on AuthTokens { accessToken refreshToken tokenType }
    ... on MfaChallenge { mfaToken }
  }
}"""
LINK = """mutation Link($provider: String!, $code: String!, $state: String!) {
  linkIdentity(provider: $provider, code: $code, state: $state) { provider subject email }
}"""
UNLINK = (
    "mutation Unlink($provider: String!, $subject: String!) { unlinkIdentity(provider: $provider, subject: $subject) }"
)
CONFIRM_LINK = """mutation Confirm($linkToken: String!, $code: String!) {
  confirmIdentityLink(linkToken: $linkToken, code: $code) { __typename ... on AuthTokens { accessToken } }
}"""
LINKED = "query { me { id email name emailVerified linkedIdentities { provider subject email } } }"


@pytest.fixture(scope="module")
def issuer(settings: Settings) -> str:
    """An issuer of this module's own on the provider (each path is an issuer with its own signing key)."""
    return f"{settings.oidc_mock_url.rstrip('/')}/migratio-{uuid.uuid4().hex[:8]}"


class KeyedIssuer:
    """A loopback issuer whose discovery document sends the code exchange to the provider's issuer `upstream`
    but whose key set is whatever the test serves: the provider's own, another issuer's, or another key under
    the provider's key id. Only the key set differs from the real provider; tokens come from it, signed by it."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.jwks: dict[str, Any] = httpx.get(f"{upstream}/jwks", timeout=5).json()
        self.jwks_requests = 0
        handler = self._handler()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/keyed"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        issuer = self

        class Handler(JsonHandler):
            def do_GET(self) -> None:
                if self.path == "/keyed/.well-known/openid-configuration":
                    upstream = httpx.get(f"{issuer.upstream}/.well-known/openid-configuration", timeout=5).json()
                    body = {**upstream, "issuer": issuer.url, "jwks_uri": f"{issuer.url}/jwks"}
                elif self.path == "/keyed/jwks":
                    issuer.jwks_requests += 1
                    body = issuer.jwks
                else:
                    self.send_error(404)
                    return
                self.answer(200, body)

        return Handler

    def stop(self) -> None:
        self.httpd.shutdown()


@pytest.fixture(scope="module")
def keyed(settings: Settings) -> Iterator[KeyedIssuer]:
    served = KeyedIssuer(f"{settings.oidc_mock_url.rstrip('/')}/migratio-keyed-{uuid.uuid4().hex[:8]}")
    yield served
    served.stop()


@pytest.fixture(scope="module")
def rotating(settings: Settings) -> Iterator[KeyedIssuer]:
    served = KeyedIssuer(f"{settings.oidc_mock_url.rstrip('/')}/migratio-rotating-{uuid.uuid4().hex[:8]}")
    yield served
    served.stop()


@pytest.fixture(scope="module")
def server(settings: Settings, issuer: str, keyed: KeyedIssuer, rotating: KeyedIssuer) -> Iterator[LiveServer]:
    provider = OAuthProviderSettings(
        name=PROVIDER, label="Acme ID", issuer=issuer, client_id=CLIENT_ID, client_secret="acme-secret"
    )
    keyed_provider = OAuthProviderSettings(name=KEYED, issuer=keyed.url, client_id=CLIENT_ID, client_secret="k")
    rotating_provider = OAuthProviderSettings(name=ROTATING, issuer=rotating.url, client_id=CLIENT_ID)
    configured = settings.model_copy(
        update={
            "oauth_providers": [provider, keyed_provider, rotating_provider],
            "oauth_web_origins": ["http://localhost:3000"],
            "oauth_app_schemes": ["migratio"],
        }
    )
    live = start_server(configured)
    yield live
    live.stop()


def start(client: Client, redirect_uri: str = WEB_REDIRECT) -> dict[str, Any]:
    started: dict[str, Any] = client.data(START, {"provider": PROVIDER, "redirectUri": redirect_uri})[
        "startOAuthSignIn"
    ]
    return started


def provider_login(authorization_url: str, subject: str, **claims: Any) -> tuple[str, str]:
    """Sign in at the provider as `subject` with these claims; the code and state it redirects back with."""
    answer = httpx.post(
        authorization_url,
        data={"username": subject, "claims": json.dumps(claims)},
        follow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text
    query = parse_qs(urlsplit(answer.headers["location"]).query)
    return query["code"][0], query["state"][0]


def person(tag: str = "social") -> tuple[str, dict[str, Any]]:
    """A fresh provider subject and the claims of a verified address."""
    return f"sub-{uuid.uuid4().hex}", {"email": unique_email(tag), "email_verified": True, "name": "Ada Lovelace"}


def complete(client: Client, code: str, state: str) -> dict[str, Any]:
    return client.gql(COMPLETE, {"provider": PROVIDER, "code": code, "state": state})


def sign_in(client: Client, subject: str, claims: dict[str, Any]) -> dict[str, Any]:
    code, state = provider_login(start(client)["authorizationUrl"], subject, **claims)
    body = complete(client, code, state)
    assert "errors" not in body, body["errors"]
    tokens: dict[str, Any] = body["data"]["completeOAuthSignIn"]
    return tokens


def refusal(body: dict[str, Any]) -> tuple[str, str | None]:
    [error] = body["errors"]
    return error["extensions"]["code"], error["extensions"].get("reason")


def test_oauth_providers_lists_the_configured_providers(server: LiveServer) -> None:
    assert Client(server).data("{ oauthProviders { name label } }") == {
        "oauthProviders": [
            {"name": PROVIDER, "label": "Acme ID"},
            {"name": KEYED, "label": KEYED},
            {"name": ROTATING, "label": ROTATING},
        ]
    }


def test_the_authorization_url_carries_state_nonce_and_an_s256_pkce_challenge(server: LiveServer, issuer: str) -> None:
    started = start(Client(server))
    url = urlsplit(started["authorizationUrl"])
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{issuer}/authorize"
    assert query["state"] == started["state"]
    assert (query["client_id"], query["redirect_uri"], query["response_type"]) == (CLIENT_ID, WEB_REDIRECT, "code")
    assert query["scope"].split() == ["openid", "email", "profile"]
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert len(query["nonce"]) >= 40
    assert "code_verifier" not in query  # the verifier stays on the server


def test_first_sign_in_creates_a_verified_passwordless_account_and_returns_login_tokens(
    server: LiveServer, settings: Settings
) -> None:
    subject, claims = person("first")
    client = Client(server)
    tokens = sign_in(client, subject, claims)
    assert tokens["__typename"] == "AuthTokens" and tokens["tokenType"] == "Bearer"
    me = Client(server, token=tokens["accessToken"]).data(LINKED)["me"]
    assert me["email"] == claims["email"] and me["name"] == "Ada Lovelace" and me["emailVerified"] is True
    assert me["linkedIdentities"] == [{"provider": PROVIDER, "subject": subject, "email": claims["email"]}]
    stored = mongo(settings).users.find_one({"_id": me["id"]})
    assert stored is not None and stored["password_hash"] == ""
    kinds = [e["kind"] for e in mongo(settings).audit_events.find({"user_id": me["id"]}).sort("at", 1)]
    assert kinds == ["registered", "identity_linked", "oauth_signed_in"]


def test_a_first_social_sign_in_reports_signed_up_stitched_to_the_visitor_and_a_second_does_not(
    server: LiveServer, settings: Settings
) -> None:
    subject, claims = person("stitched")
    app = {"x_visitor_id": "visitor-social-01", "x_residence_country": "US", "x_analytics_consent": "on"}
    client = Client(server)
    for _ in range(2):
        code, state = provider_login(start(client)["authorizationUrl"], subject, **claims)
        body = client.gql(COMPLETE, {"provider": PROVIDER, "code": code, "state": state}, **app)
        assert body["data"]["completeOAuthSignIn"]["__typename"] == "AuthTokens"
    user_id = Client(server, token=body["data"]["completeOAuthSignIn"]["accessToken"]).data(ME)["me"]["id"]

    key = pseudonym_key(settings)
    actor = pseudonym(key, "user", user_id)
    [signed] = wait_for(settings, lambda e: e["actor"] == actor, 1)
    assert (signed["name"], signed["props"]) == ("signed_up", {"method": PROVIDER})
    assert signed["linked_actors"] == [pseudonym(key, "visitor", "visitor-social-01")]
    time.sleep(settings.analytics_flush_interval_s * 2)  # the second sign-in's events would be sent by now
    assert [e["name"] for e in stored(settings) if e["actor"] == actor] == ["signed_up"]


def test_the_same_provider_account_signs_in_to_the_same_account_again(server: LiveServer) -> None:
    subject, claims = person("again")
    first = sign_in(Client(server), subject, claims)
    second = sign_in(Client(server), subject, claims)
    first_id = Client(server, token=first["accessToken"]).data(ME)["me"]["id"]
    assert Client(server, token=second["accessToken"]).data(ME)["me"]["id"] == first_id
    assert second["refreshToken"] != first["refreshToken"]


def test_the_mobile_apps_custom_scheme_is_an_allowed_redirect(server: LiveServer) -> None:
    subject, claims = person("mobile")
    client = Client(server)
    code, state = provider_login(start(client, APP_REDIRECT)["authorizationUrl"], subject, **claims)
    assert complete(client, code, state)["data"]["completeOAuthSignIn"]["__typename"] == "AuthTokens"


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://evil.example/auth/callback",
        "http://localhost:3001/auth/callback",
        "http://localhost:3000.evil.example/cb",
        "http://user@localhost:3000/cb",
        "http://localhost:3000/cb#fragment",
        "javascript://localhost:3000/%0aalert(1)",
        "otherapp://auth/callback",
        "not a uri",
    ],
)
def test_a_redirect_uri_outside_the_allowlist_is_bad_user_input(server: LiveServer, redirect_uri: str) -> None:
    body = Client(server).gql(START, {"provider": PROVIDER, "redirectUri": redirect_uri})
    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "redirectUri"}
    assert body["data"] is None


def test_an_unknown_provider_is_bad_user_input(server: LiveServer) -> None:
    body = Client(server).gql(START, {"provider": "myspace", "redirectUri": WEB_REDIRECT})
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "provider"}


def test_the_pending_sign_in_lives_in_redis_under_a_hash_with_a_short_ttl(
    server: LiveServer, settings: Settings
) -> None:
    started = start(Client(server))
    redis = Redis.from_url(settings.redis_url)
    keys = [k.decode() for k in redis.scan_iter(f"{settings.redis_key_prefix}:oauth:state:*")]
    assert keys and not any(started["state"] in k for k in keys)
    assert all(0 < redis.ttl(k) <= settings.oauth_state_ttl_s for k in keys)


def test_a_replayed_state_is_refused(server: LiveServer) -> None:
    subject, claims = person("replay")
    client = Client(server)
    code, state = provider_login(start(client)["authorizationUrl"], subject, **claims)
    assert complete(client, code, state)["data"]["completeOAuthSignIn"]["__typename"] == "AuthTokens"
    assert refusal(complete(client, code, state)) == ("UNAUTHENTICATED", None)


def test_a_state_never_issued_is_refused_and_creates_nothing(server: LiveServer, settings: Settings) -> None:
    subject, claims = person("forged")
    client = Client(server)
    code, _ = provider_login(start(client)["authorizationUrl"], subject, **claims)
    assert refusal(complete(client, code, "made-up-state")) == ("UNAUTHENTICATED", None)
    assert mongo(settings).users.count_documents({"email": claims["email"]}) == 0


def test_a_code_replayed_with_a_fresh_state_is_refused(server: LiveServer, settings: Settings) -> None:
    """The provider spends the code once; a second attempt's state has its own PKCE verifier anyway."""
    subject, claims = person("code-replay")
    client = Client(server)
    code, state = provider_login(start(client)["authorizationUrl"], subject, **claims)
    assert complete(client, code, state)["data"]["completeOAuthSignIn"]["__typename"] == "AuthTokens"
    assert refusal(complete(client, code, start(client)["state"])) == ("UNAUTHENTICATED", None)


def test_a_code_from_another_attempt_fails_pkce(server: LiveServer, settings: Settings) -> None:
    subject, claims = person("pkce")
    client = Client(server)
    code, _ = provider_login(start(client)["authorizationUrl"], subject, **claims)
    other = start(client)["state"]
    assert refusal(complete(client, code, other)) == ("UNAUTHENTICATED", None)
    assert mongo(settings).users.count_documents({"email": claims["email"]}) == 0


@pytest.mark.parametrize(
    ("forged", "why"),
    [
        ({"nonce": "not-the-nonce-we-sent"}, "nonce"),
        ({"aud": ["some-other-client"]}, "audience"),
        ({"iss": "http://127.0.0.1:8089/someone-else"}, "issuer"),
        ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}, "expired"),
    ],
)
def test_an_id_token_failing_a_check_is_refused_and_creates_nothing(
    server: LiveServer, settings: Settings, forged: dict[str, Any], why: str
) -> None:
    subject, claims = person(f"bad-{why}")
    client = Client(server)
    code, state = provider_login(start(client)["authorizationUrl"], subject, **claims, **forged)
    assert refusal(complete(client, code, state)) == ("UNAUTHENTICATED", None)
    assert mongo(settings).users.count_documents({"email": claims["email"]}) == 0
    assert mongo(settings).oauth_identities.count_documents({"subject": subject}) == 0
    refused = mongo(settings).audit_events.find_one(
        {"kind": "oauth_refused", "details.reason": {"$regex": "^id_token"}}
    )
    assert refused is not None


def test_an_unverified_email_creates_no_account(server: LiveServer, settings: Settings) -> None:
    subject, claims = person("unverified")
    client = Client(server)
    code, state = provider_login(start(client)["authorizationUrl"], subject, **{**claims, "email_verified": False})
    assert refusal(complete(client, code, state)) == ("FORBIDDEN", "EMAIL_NOT_VERIFIED")
    assert mongo(settings).users.count_documents({"email": claims["email"]}) == 0
    assert mongo(settings).oauth_identities.count_documents({"subject": subject}) == 0


def test_a_provider_account_with_the_address_of_a_password_account_is_not_linked(
    server: LiveServer, settings: Settings
) -> None:
    """Account takeover through a provider: its verified claim to the address is not proof to us."""
    victim = signed_up(server, settings, "victim")
    before = mongo(settings).users.find_one({"_id": victim.id})
    attacker = Client(server)
    code, state = provider_login(
        start(attacker)["authorizationUrl"], "attacker-sub", email=victim.email, email_verified=True
    )
    assert refusal(complete(attacker, code, state)) == ("FORBIDDEN", "ACCOUNT_EXISTS_LINK_REQUIRED")
    assert mongo(settings).oauth_identities.count_documents({"user_id": victim.id}) == 0
    assert mongo(settings).users.find_one({"_id": victim.id}) == before
    assert victim.client.data(LINKED)["me"]["linkedIdentities"] == []


def test_a_signed_in_person_links_a_provider_and_then_signs_in_with_it(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "linker")
    subject, claims = f"sub-{uuid.uuid4().hex}", {"email": account.email, "email_verified": True}
    code, state = provider_login(start(account.client)["authorizationUrl"], subject, **claims)
    linked = account.client.data(LINK, {"provider": PROVIDER, "code": code, "state": state})["linkIdentity"]
    assert linked == {"provider": PROVIDER, "subject": subject, "email": account.email}
    assert account.client.data(LINKED)["me"]["linkedIdentities"] == [linked]
    tokens = sign_in(Client(server), subject, claims)
    assert Client(server, token=tokens["accessToken"]).data(ME)["me"]["id"] == account.id
    kinds = [e["kind"] for e in mongo(settings).audit_events.find({"user_id": account.id}).sort("at", 1)]
    assert kinds[-2:] == ["identity_linked", "oauth_signed_in"]


def test_linking_needs_an_attempt_started_by_the_same_account(server: LiveServer, settings: Settings) -> None:
    """Otherwise a link-CSRF: someone else's code and state, submitted from the victim's session."""
    victim = signed_up(server, settings, "csrf")
    code, state = provider_login(start(Client(server))["authorizationUrl"], "attacker-csrf", email=unique_email())
    body = victim.client.gql(LINK, {"provider": PROVIDER, "code": code, "state": state})
    assert refusal(body) == ("FORBIDDEN", "LINK_NOT_STARTED_HERE")
    assert mongo(settings).oauth_identities.count_documents({"user_id": victim.id}) == 0


def test_linking_is_for_signed_in_people_only(server: LiveServer) -> None:
    assert error_code(Client(server).gql(LINK, {"provider": PROVIDER, "code": "x", "state": "y"})) == "UNAUTHENTICATED"


def test_the_last_way_to_sign_in_cannot_be_unlinked(server: LiveServer, settings: Settings) -> None:
    subject, claims = person("last")
    social = Client(server, token=sign_in(Client(server), subject, claims)["accessToken"])
    body = social.gql(UNLINK, {"provider": PROVIDER, "subject": subject})
    assert refusal(body) == ("FORBIDDEN", "LAST_SIGN_IN_METHOD")
    assert social.data(LINKED)["me"]["linkedIdentities"] == [
        {"provider": PROVIDER, "subject": subject, "email": claims["email"]}
    ]


def test_an_account_with_a_password_can_unlink_its_provider(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "unlinker")
    subject = f"sub-{uuid.uuid4().hex}"
    code, state = provider_login(start(account.client)["authorizationUrl"], subject, email=account.email)
    account.client.data(LINK, {"provider": PROVIDER, "code": code, "state": state})
    assert account.client.data(UNLINK, {"provider": PROVIDER, "subject": subject}) == {"unlinkIdentity": True}
    assert account.client.data(LINKED)["me"]["linkedIdentities"] == []
    assert refusal(account.client.gql(UNLINK, {"provider": PROVIDER, "subject": subject})) == ("NOT_FOUND", None)


def test_parallel_completions_of_one_state_sign_in_once(server: LiveServer, settings: Settings) -> None:
    subject, claims = person("race-state")
    client = Client(server)
    code, state = provider_login(start(client)["authorizationUrl"], subject, **claims)
    with ThreadPoolExecutor(8) as pool:
        bodies = list(pool.map(lambda _: complete(Client(server), code, state), range(8)))
    assert sum("errors" not in b for b in bodies) == 1
    assert sorted(refusal(b)[0] for b in bodies if "errors" in b) == ["UNAUTHENTICATED"] * 7
    assert mongo(settings).users.count_documents({"email": claims["email"]}) == 1


def test_parallel_links_of_one_provider_account_to_several_accounts_link_it_once(
    server: LiveServer, settings: Settings
) -> None:
    accounts = [signed_up(server, settings, f"race-link-{i}") for i in range(4)]
    subject = f"sub-{uuid.uuid4().hex}"
    attempts = []
    for account in accounts:
        code, state = provider_login(start(account.client)["authorizationUrl"], subject, email=unique_email())
        attempts.append((account, code, state))
    with ThreadPoolExecutor(len(attempts)) as pool:
        bodies = list(
            pool.map(
                lambda a: a[0].client.gql(LINK, {"provider": PROVIDER, "code": a[1], "state": a[2]}),
                attempts,
            )
        )
    assert sum("errors" not in b for b in bodies) == 1
    assert sorted(refusal(b) for b in bodies if "errors" in b) == [("FORBIDDEN", "IDENTITY_IN_USE")] * 3
    assert mongo(settings).oauth_identities.count_documents({"subject": subject}) == 1


def test_linked_identities_are_in_the_data_export(server: LiveServer) -> None:
    subject, claims = person("export")
    client = Client(server, token=sign_in(Client(server), subject, claims)["accessToken"])
    export = client.data("mutation { exportMyData { url } }")["exportMyData"]
    document = httpx.get(export["url"], timeout=30).json()
    assert [(x["provider"], x["subject"], x["email"]) for x in document["linkedIdentities"]] == [
        (PROVIDER, subject, claims["email"])
    ]


def keyed_sign_in(
    client: Client, keyed: KeyedIssuer, subject: str, claims: dict[str, Any], provider: str = KEYED
) -> dict[str, Any]:
    started = client.data(START, {"provider": provider, "redirectUri": WEB_REDIRECT})["startOAuthSignIn"]
    code, state = provider_login(started["authorizationUrl"], subject, iss=keyed.url, **claims)
    return client.gql(COMPLETE, {"provider": provider, "code": code, "state": state})


def test_an_id_token_not_signed_by_the_issuers_key_is_refused(
    server: LiveServer, settings: Settings, keyed: KeyedIssuer
) -> None:
    """Same key id, another key (that of another issuer on the provider): the signature does not verify."""
    real = keyed.jwks
    other = httpx.get(f"{settings.oidc_mock_url.rstrip('/')}/someone-else/jwks", timeout=5).json()["keys"][0]
    keyed.jwks = {"keys": [{**other, "kid": real["keys"][0]["kid"]}]}
    try:
        subject, claims = person("forged-signature")
        assert refusal(keyed_sign_in(Client(server), keyed, subject, claims)) == ("UNAUTHENTICATED", None)
        assert mongo(settings).users.count_documents({"email": claims["email"]}) == 0
    finally:
        keyed.jwks = real


def test_a_rotated_signing_key_is_fetched_without_a_restart(
    server: LiveServer, settings: Settings, rotating: KeyedIssuer
) -> None:
    """The key set cached holds only a retired key; a token under the new key id makes the server fetch the set
    again (once) and accept the token; the next token is checked against the cached set."""
    current = rotating.jwks
    rotating.jwks = httpx.get(f"{settings.oidc_mock_url.rstrip('/')}/retired/jwks", timeout=5).json()
    subject, claims = person("rotation")
    refused = keyed_sign_in(Client(server), rotating, subject, claims, ROTATING)
    assert refusal(refused) == ("UNAUTHENTICATED", None)
    rotating.jwks = current
    before = rotating.jwks_requests
    tokens = keyed_sign_in(Client(server), rotating, subject, claims, ROTATING)["data"]["completeOAuthSignIn"]
    assert tokens["__typename"] == "AuthTokens"
    assert rotating.jwks_requests == before + 1
    again = keyed_sign_in(Client(server), rotating, subject, claims, ROTATING)["data"]["completeOAuthSignIn"]
    assert again["__typename"] == "AuthTokens" and rotating.jwks_requests == before + 1


def test_mfa_still_applies_to_a_provider_sign_in(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "mfa-social")
    secret = account.client.data("mutation { enrollMfa { secret } }")["enrollMfa"]["secret"]
    account.client.data(
        "mutation($c: String!) { confirmMfa(code: $c) { recoveryCodes } }", {"c": pyotp.TOTP(secret).now()}
    )
    subject = f"sub-{uuid.uuid4().hex}"
    code, state = provider_login(start(account.client)["authorizationUrl"], subject, email=account.email)
    account.client.data(LINK, {"provider": PROVIDER, "code": code, "state": state})
    challenge = sign_in(Client(server), subject, {"email": account.email, "email_verified": True})
    assert challenge["__typename"] == "MfaChallenge"
    second = Client(server).data(
        "mutation($t: String!, $c: String!) { loginWithMfa(mfaToken: $t, code: $c) { accessToken } }",
        {"t": challenge["mfaToken"], "c": pyotp.TOTP(secret).at(time.time() + 30)},
    )["loginWithMfa"]
    assert Client(server, token=second["accessToken"]).data(ME)["me"]["id"] == account.id


def test_parallel_unlinks_never_leave_a_passwordless_account_without_a_way_in(
    server: LiveServer, settings: Settings
) -> None:
    for _ in range(3):
        first, claims = person("race-unlink")
        social = Client(server, token=sign_in(Client(server), first, claims)["accessToken"])
        second = f"sub-{uuid.uuid4().hex}"
        code, state = provider_login(start(social)["authorizationUrl"], second, **claims)
        social.data(LINK, {"provider": PROVIDER, "code": code, "state": state})
        with ThreadPoolExecutor(2) as pool:
            bodies = list(
                pool.map(lambda sub, c=social: c.gql(UNLINK, {"provider": PROVIDER, "subject": sub}), [first, second])
            )
        assert [refusal(b) for b in bodies if "errors" in b] != []
        assert all(refusal(b) == ("FORBIDDEN", "LAST_SIGN_IN_METHOD") for b in bodies if "errors" in b)
        left = social.data(LINKED)["me"]["linkedIdentities"]
        assert len(left) == 2 - sum("errors" not in b for b in bodies) >= 1


def refused_for_existing_account(server: LiveServer, email: str, subject: str) -> str:
    """Sign in at the provider with an address that has an account here: the refusal's link token."""
    client = Client(server)
    code, state = provider_login(start(client)["authorizationUrl"], subject, email=email, email_verified=True)
    [error] = complete(client, code, state)["errors"]
    assert (error["extensions"]["code"], error["extensions"]["reason"]) == ("FORBIDDEN", "ACCOUNT_EXISTS_LINK_REQUIRED")
    token: str = error["extensions"]["linkToken"]
    return token


def mailed_link_code(settings: Settings, email: str) -> str:
    message = wait_for_mail(settings, email, f"Link {PROVIDER} to your account?")
    body = message.get_body(("plain",))
    assert body is not None
    found = re.search(r"link-identity\?code=(\S+)", body.get_content())
    assert found
    return found.group(1)


def test_the_owner_links_by_the_mailed_code_together_with_the_refused_sign_ins_token(
    server: LiveServer, settings: Settings
) -> None:
    account = signed_up(server, settings, "mail-link")
    subject = f"sub-{uuid.uuid4().hex}"
    link_token = refused_for_existing_account(server, account.email, subject)
    code = mailed_link_code(settings, account.email)
    tokens = Client(server).data(CONFIRM_LINK, {"linkToken": link_token, "code": code})["confirmIdentityLink"]
    assert tokens["__typename"] == "AuthTokens"
    assert Client(server, token=tokens["accessToken"]).data(ME)["me"]["id"] == account.id
    assert [x["subject"] for x in account.client.data(LINKED)["me"]["linkedIdentities"]] == [subject]
    again = Client(server).gql(CONFIRM_LINK, {"linkToken": link_token, "code": code})
    assert refusal(again) == ("UNAUTHENTICATED", None)
    assert sign_in(Client(server), subject, {"email": account.email})["__typename"] == "AuthTokens"


def test_a_wrong_code_spends_the_link_token_and_links_nothing(server: LiveServer, settings: Settings) -> None:
    account = signed_up(server, settings, "mail-guess")
    subject = f"sub-{uuid.uuid4().hex}"
    link_token = refused_for_existing_account(server, account.email, subject)
    code = mailed_link_code(settings, account.email)
    guess = Client(server).gql(CONFIRM_LINK, {"linkToken": link_token, "code": "guessed-code"})
    assert refusal(guess) == ("UNAUTHENTICATED", None)
    late = Client(server).gql(CONFIRM_LINK, {"linkToken": link_token, "code": code})
    assert refusal(late) == ("UNAUTHENTICATED", None)
    assert mongo(settings).oauth_identities.count_documents({"subject": subject}) == 0


def test_the_mailed_code_alone_links_nothing(server: LiveServer, settings: Settings) -> None:
    """The owner clicking the mail of an attacker's attempt (without the attacker's link token) links nothing."""
    account = signed_up(server, settings, "mail-click")
    subject = f"sub-{uuid.uuid4().hex}"
    refused_for_existing_account(server, account.email, subject)
    code = mailed_link_code(settings, account.email)
    body = Client(server).gql(CONFIRM_LINK, {"linkToken": code, "code": code})
    assert refusal(body) == ("UNAUTHENTICATED", None)
    assert mongo(settings).oauth_identities.count_documents({"subject": subject}) == 0
