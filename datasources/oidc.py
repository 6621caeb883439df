"""OpenID Connect providers through Authlib: discovery, authorization URLs with PKCE (S256), the code exchange and
ID-token validation (signature against the provider's JWKS, issuer, audience, nonce, expiry).

Authlib keeps each provider's discovery document and key set; they are dropped after `metadata_ttl_s` so
changed endpoints are picked up, and a token signed with a key id not in the cached set makes Authlib fetch
the set again before deciding (key rotation).
"""

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.starlette_client import OAuth
from authlib.oauth2.auth import ClientAuth, encode_client_secret_post
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey

from domain.users.oauth_ports import IdTokenRejected, ProviderClaims, ProviderUnavailable

try:  # Authlib uses httpx2 where installed, httpx otherwise
    import httpx2

    HTTP_ERRORS: tuple[type[Exception], ...] = (httpx.HTTPError, httpx2.HTTPError)
except ImportError:
    HTTP_ERRORS = (httpx.HTTPError,)
DISCOVERY_ERRORS: tuple[type[Exception], ...] = (*HTTP_ERRORS, ValueError)  # ValueError: not JSON

LEEWAY_S = 60
"""Clock skew allowed on `exp`/`iat`."""


SIGNED_SECRET_TTL_S = 300
"""Lifetime of a signed client secret: one is made per code exchange (Apple accepts up to six months)."""


@dataclass(frozen=True, slots=True)
class SigningKey:
    """A developer account's private key (PEM, EC P-256) that signs the client secret, with its ids."""

    pem: str
    key_id: str
    team_id: str


@dataclass(frozen=True, slots=True)
class ProviderConfig:
    name: str
    issuer: str
    client_id: str
    client_secret: str
    scopes: Sequence[str]
    form_post: bool = False
    signing_key: SigningKey | None = None


class SignedClientSecret:
    """Token-endpoint authentication with a client secret that is a fresh ES256 JWT (Sign in with Apple):
    iss = team id, sub = client id, aud = the issuer, `kid` in the header; sent as `client_secret_post`."""

    name = "client_secret_es256_jwt"

    def __init__(self, key: SigningKey, issuer: str) -> None:
        self.key = ECKey.import_key(key.pem)
        if self.key.curve_name != "P-256":
            raise ValueError("an ES256 client secret needs an EC P-256 private key")
        self.key_id, self.team_id, self.issuer = key.key_id, key.team_id, issuer

    def secret(self, client_id: str) -> str:
        now = int(time.time())
        claims = {
            "iss": self.team_id,
            "sub": client_id,
            "aud": self.issuer,
            "iat": now,
            "exp": now + SIGNED_SECRET_TTL_S,
        }
        return jwt.encode({"alg": "ES256", "kid": self.key_id}, claims, self.key)

    def __call__(self, auth: ClientAuth, method: str, uri: str, headers: dict[str, str], body: str) -> Any:
        signed = ClientAuth(auth.client_id, self.secret(auth.client_id), "client_secret_post")
        return encode_client_secret_post(signed, method, uri, headers, body)


class AuthlibOidcClient:
    def __init__(self, providers: Sequence[ProviderConfig], timeout_s: float, metadata_ttl_s: int) -> None:
        self.providers = {p.name: p for p in providers}
        self.metadata_ttl_s = metadata_ttl_s
        self.registry = OAuth()
        for p in providers:
            client_kwargs = {"scope": " ".join(p.scopes), "code_challenge_method": "S256", "timeout": timeout_s}
            signed = SignedClientSecret(p.signing_key, p.issuer) if p.signing_key else None
            if signed:
                client_kwargs["token_endpoint_auth_method"] = signed.name
            self.registry.register(
                name=p.name,
                client_id=p.client_id,
                client_secret=p.client_secret or None,
                server_metadata_url=p.issuer.rstrip("/") + "/.well-known/openid-configuration",
                client_kwargs=client_kwargs,
                client_auth_methods=[signed] if signed else None,
                authorize_params={"response_mode": "form_post"} if p.form_post else None,
            )

    async def _app(self, provider: str) -> Any:
        app = self.registry.create_client(provider)
        loaded_at = app.server_metadata.get("_loaded_at")
        if loaded_at is not None and time.time() - loaded_at > self.metadata_ttl_s:
            for key in ("_loaded_at", "jwks"):
                app.server_metadata.pop(key, None)
        try:
            metadata = await app.load_server_metadata()
        except DISCOVERY_ERRORS as error:
            raise ProviderUnavailable(f"{provider}: discovery failed ({error})") from error
        if metadata.get("issuer") != self.providers[provider].issuer:
            app.server_metadata.pop("_loaded_at", None)
            raise ProviderUnavailable(f"{provider}: its discovery document names another issuer")
        return app

    async def authorization_url(
        self, provider: str, redirect_uri: str, state: str, nonce: str, code_verifier: str
    ) -> str:
        app = await self._app(provider)
        made = await app.create_authorization_url(redirect_uri, state=state, nonce=nonce, code_verifier=code_verifier)
        return str(made["url"])

    async def exchange(
        self, provider: str, code: str, redirect_uri: str, code_verifier: str, nonce: str
    ) -> ProviderClaims:
        app = await self._app(provider)
        issuer = self.providers[provider].issuer
        try:
            token = await app.fetch_access_token(redirect_uri=redirect_uri, code=code, code_verifier=code_verifier)
        except HTTP_ERRORS as error:
            raise ProviderUnavailable(f"{provider}: token endpoint failed ({error})") from error
        except AuthlibBaseError as error:
            raise IdTokenRejected(f"code refused: {error.error}") from error
        if "id_token" not in token:
            raise IdTokenRejected("no ID token")
        # Authlib checks `aud` against the client id only when told to (it checks `azp` on its own)
        options = {
            "iss": {"essential": True, "values": [issuer]},
            "aud": {"essential": True, "values": [self.providers[provider].client_id]},
            "sub": {"essential": True},
        }
        try:
            claims = await app.parse_id_token(token, nonce, claims_options=options, leeway=LEEWAY_S)
        except HTTP_ERRORS as error:
            raise ProviderUnavailable(f"{provider}: keys could not be read ({error})") from error
        except (JoseError, AuthlibBaseError, ValueError) as error:
            raise IdTokenRejected(f"id_token {type(error).__name__}: {error}"[:200]) from error
        email = claims.get("email")
        verified = claims.get("email_verified")
        return ProviderClaims(
            subject=str(claims["sub"]),
            email=str(email) if email else None,
            email_verified=verified is True or verified == "true",  # some providers send the string
            name=str(claims["name"]) if claims.get("name") else None,
        )
