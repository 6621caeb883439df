"""Sign in with Apple's two differences, against the stack's real provider (mock-oauth2-server supports
`response_mode=form_post`: its login answers with the auto-submitting form a browser would post to us).

A loopback recorder stands in front of the provider's token endpoint only (discovery names it, tokens come from the
provider, signed with its key), so a test reads the client secret our server sent: an ES256 JWT, checked here with
the public half of the key the test configured.
"""

import json
import re
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from joserfc import jwt
from joserfc.jwk import ECKey
from pydantic import ValidationError

from migratio.settings import OAuthProviderSettings, Settings
from tests.builders.accounts import ME, Client, mongo, unique_email
from tests.builders.loopback import JsonHandler
from tests.server import LiveServer, start_server

APPLE = "apple"
CLIENT_ID = "com.example.migratio.web"  # a Services ID
TEAM_ID = "TEAM123456"
KEY_ID = "KEY7654321"
CALLBACK_BASE = "https://api.migratio.test"
CALLBACK = f"{CALLBACK_BASE}/oauth/{APPLE}/callback"
WEB_REDIRECT = "http://localhost:3000/auth/callback"
APP_REDIRECT = "migratio://auth/callback"
SIX_MONTHS_S = 15_777_000  # Apple's limit on a client secret's exp - iat

START = """mutation Start($provider: String!, $redirectUri: String!) {
  startOAuthSignIn(provider: $provider, redirectUri: $redirectUri) { authorizationUrl state }
}"""
COMPLETE = """mutation Complete($provider: String!, $code: String!, $state: String!) {
  completeOAuthSignIn(provider: $provider, code: $code, state: $state) { __typename ... on AuthTokens { accessToken } }
}"""


class RecordingIssuer:
    """Discovery of the provider's issuer `upstream` under another URL, whose token endpoint forwards each request
    to the provider's after recording its form and headers."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.token_requests: list[tuple[dict[str, str], dict[str, str]]] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/apple"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        issuer = self

        class Handler(JsonHandler):
            def do_GET(self) -> None:
                upstream = httpx.get(f"{issuer.upstream}/.well-known/openid-configuration", timeout=5).json()
                self.answer(200, {**upstream, "issuer": issuer.url, "token_endpoint": f"{issuer.url}/token"})

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"])).decode()
                form = {k: v[0] for k, v in parse_qs(body).items()}
                issuer.token_requests.append((form, {k.lower(): v for k, v in self.headers.items()}))
                answer = httpx.post(f"{issuer.upstream}/token", data=form, timeout=10)
                self.answer(answer.status_code, answer.json())

        return Handler


@pytest.fixture(scope="module")
def private_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(scope="module")
def recorder(settings: Settings) -> Iterator[RecordingIssuer]:
    served = RecordingIssuer(f"{settings.oidc_mock_url.rstrip('/')}/migratio-apple-{uuid.uuid4().hex[:8]}")
    yield served
    served.httpd.shutdown()


@pytest.fixture(scope="module")
def server(
    settings: Settings, recorder: RecordingIssuer, private_key: ec.EllipticCurvePrivateKey
) -> Iterator[LiveServer]:
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    apple = OAuthProviderSettings(
        name=APPLE,
        label="Apple",
        issuer=recorder.url,
        client_id=CLIENT_ID,
        response_mode="form_post",
        private_key=pem,
        key_id=KEY_ID,
        team_id=TEAM_ID,
    )
    configured = settings.model_copy(
        update={
            "oauth_providers": [apple],
            "oauth_web_origins": ["http://localhost:3000"],
            "oauth_callback_base_url": CALLBACK_BASE,
        }
    )
    live = start_server(configured)
    yield live
    live.stop()


def provider_form_post(authorization_url: str, subject: str, issuer: str, **claims: Any) -> tuple[str, dict[str, str]]:
    """Sign in at the provider; the action and fields of the form it makes the browser post."""
    answer = httpx.post(
        authorization_url, data={"username": subject, "claims": json.dumps({"iss": issuer, **claims})}, timeout=10
    )
    assert answer.status_code == 200, answer.text
    [action] = re.findall(r'<form action="([^"]+)"', answer.text)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', answer.text))
    return action, fields


def signed_in_at_provider(client: Client, recorder: RecordingIssuer, redirect_uri: str) -> dict[str, str]:
    """Start, and sign in at the provider as a fresh verified person: the fields it has the browser post to us."""
    started = client.data(START, {"provider": APPLE, "redirectUri": redirect_uri})["startOAuthSignIn"]
    subject, email = f"apple-{uuid.uuid4().hex}", unique_email("apple")
    _, fields = provider_form_post(started["authorizationUrl"], subject, recorder.url, email=email, email_verified=True)
    return fields


def post_callback(server: LiveServer, fields: dict[str, str]) -> httpx.Response:
    """What the browser does with the provider's form (its action is our public callback URL)."""
    return httpx.post(f"{server.url}/oauth/{APPLE}/callback", data=fields, follow_redirects=False, timeout=10)


def apple_user(email: str) -> str:
    return json.dumps({"name": {"firstName": "Ada", "lastName": "Lovelace"}, "email": email})


def test_the_authorization_url_asks_for_form_post_to_our_callback(server: LiveServer) -> None:
    started = Client(server).data(START, {"provider": APPLE, "redirectUri": WEB_REDIRECT})["startOAuthSignIn"]
    query = {k: v[0] for k, v in parse_qs(urlsplit(started["authorizationUrl"]).query).items()}
    assert (query["response_mode"], query["redirect_uri"], query["state"]) == ("form_post", CALLBACK, started["state"])


def test_a_form_post_sign_in_redirects_to_the_web_app_and_completes_with_a_signed_client_secret(
    server: LiveServer, settings: Settings, recorder: RecordingIssuer, private_key: ec.EllipticCurvePrivateKey
) -> None:
    client = Client(server)
    started = client.data(START, {"provider": APPLE, "redirectUri": WEB_REDIRECT})["startOAuthSignIn"]
    email, subject = unique_email("apple"), f"apple-{uuid.uuid4().hex}"
    action, fields = provider_form_post(
        started["authorizationUrl"], subject, recorder.url, email=email, email_verified="true"
    )
    assert action == CALLBACK and set(fields) == {"code", "state"} and fields["state"] == started["state"]
    # Apple adds `user` (the name, first sign-in only); its unsigned e-mail is not used
    answer = post_callback(server, {**fields, "user": apple_user(unique_email("not-this"))})
    assert answer.status_code == 303
    location = urlsplit(answer.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == WEB_REDIRECT
    assert parse_qs(location.query) == {"code": [fields["code"]], "state": [started["state"]]}

    before = len(recorder.token_requests)
    done = client.data(COMPLETE, {"provider": APPLE, **{k: v[0] for k, v in parse_qs(location.query).items()}})
    tokens = done["completeOAuthSignIn"]
    assert tokens["__typename"] == "AuthTokens"
    me = Client(server, token=tokens["accessToken"]).data("query { me { id email name } }")["me"]
    assert (me["email"], me["name"]) == (email, "Ada Lovelace")
    assert mongo(settings).oauth_identities.count_documents({"user_id": me["id"], "subject": subject}) == 1

    [(form, headers)] = recorder.token_requests[before:]
    assert "authorization" not in headers  # client_secret_post, as Apple's token endpoint takes it
    assert (form["client_id"], form["redirect_uri"], form["code"]) == (CLIENT_ID, CALLBACK, fields["code"])
    public = ECKey.import_key(
        private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    secret = jwt.decode(form["client_secret"], public, algorithms=["ES256"])
    assert secret.header == {"alg": "ES256", "kid": KEY_ID, "typ": "JWT"}
    claims = secret.claims
    assert {k: claims[k] for k in ("iss", "sub", "aud")} == {"iss": TEAM_ID, "sub": CLIENT_ID, "aud": recorder.url}
    assert 0 < claims["exp"] - claims["iat"] <= SIX_MONTHS_S
    other = ECKey.generate_key("P-256")
    with pytest.raises(Exception, match="signature"):
        jwt.decode(form["client_secret"], other, algorithms=["ES256"])


def test_the_mobile_app_gets_the_code_on_its_custom_scheme(server: LiveServer, recorder: RecordingIssuer) -> None:
    client = Client(server)
    fields = signed_in_at_provider(client, recorder, APP_REDIRECT)
    answer = post_callback(server, fields)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith(APP_REDIRECT + "?")
    query = {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["location"]).query).items()}
    assert client.data(COMPLETE, {"provider": APPLE, **query})["completeOAuthSignIn"]["__typename"] == "AuthTokens"


def test_a_callback_with_an_unknown_or_used_state_is_refused_without_a_redirect(
    server: LiveServer, recorder: RecordingIssuer
) -> None:
    assert post_callback(server, {"code": "c", "state": "never-issued"}).status_code == 400
    assert post_callback(server, {"code": "c"}).status_code == 400
    client = Client(server)
    fields = signed_in_at_provider(client, recorder, WEB_REDIRECT)
    assert post_callback(server, fields).status_code == 303
    client.data(COMPLETE, {"provider": APPLE, **fields})
    replayed = post_callback(server, fields)
    assert replayed.status_code == 400 and "location" not in replayed.headers


def test_a_provider_error_is_handed_to_the_app_with_its_state(server: LiveServer) -> None:
    started = Client(server).data(START, {"provider": APPLE, "redirectUri": WEB_REDIRECT})["startOAuthSignIn"]
    answer = post_callback(server, {"error": "user_cancelled_authorize", "state": started["state"]})
    assert answer.status_code == 303
    assert parse_qs(urlsplit(answer.headers["location"]).query) == {
        "error": ["user_cancelled_authorize"],
        "state": [started["state"]],
    }


def test_a_name_posted_for_an_unknown_attempt_changes_nothing(server: LiveServer, settings: Settings) -> None:
    """The `user` field is unsigned: it can name a new account, never reach one through a state it does not hold."""
    assert post_callback(server, {"state": "forged", "user": apple_user("x@example.com")}).status_code == 400
    assert mongo(settings).users.count_documents({"name": "Ada Lovelace", "email": "x@example.com"}) == 0


def test_a_private_key_needs_its_key_id_and_team_id() -> None:
    with pytest.raises(ValidationError, match="key_id and team_id"):
        OAuthProviderSettings(name=APPLE, issuer="https://appleid.apple.com", client_id=CLIENT_ID, private_key="x")


def test_me_is_reachable_with_the_tokens_of_a_form_post_sign_in(server: LiveServer, recorder: RecordingIssuer) -> None:
    client = Client(server)
    fields = signed_in_at_provider(client, recorder, WEB_REDIRECT)
    post_callback(server, fields)
    tokens = client.data(COMPLETE, {"provider": APPLE, **fields})["completeOAuthSignIn"]
    assert Client(server, token=tokens["accessToken"]).data(ME)["me"]["id"]
