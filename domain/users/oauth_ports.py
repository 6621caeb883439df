"""What social sign-in needs from the outside world: the providers' protocol, the pending sign-ins, the links."""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


class IdTokenRejected(Exception):
    """The provider's answer failed a check (signature, issuer, audience, nonce, expiry, a refused code)."""


class ProviderUnavailable(Exception):
    """The provider (its discovery document, keys or token endpoint) could not be reached."""


@dataclass(frozen=True, slots=True)
class ProviderClaims:
    """What a verified ID token says about the person."""

    subject: str
    email: str | None
    email_verified: bool
    name: str | None


@dataclass(frozen=True, slots=True)
class PendingSignIn:
    """What `startOAuthSignIn` bound to its `state`: only the holder of the state can finish, once."""

    provider: str
    redirect_uri: str
    nonce: str
    code_verifier: str
    expires_at: datetime
    user_id: str | None = None  # who started it while signed in: only they may link the identity
    app_redirect_uri: str | None = None  # form_post providers: where our callback hands code and state on
    name: str | None = None  # a name the provider posted beside the code (Apple, first sign-in only)


@dataclass(frozen=True, slots=True)
class LinkedIdentity:
    user_id: str
    provider: str
    subject: str
    email: str | None
    linked_at: datetime


@dataclass(frozen=True, slots=True)
class PendingLink:
    """A provider identity waiting to be linked to the account with its address: the sign-in's holder has the
    link token, the mailbox's holder the code; both together link it."""

    link: LinkedIdentity
    code_hash: str


class OidcClient(Protocol):
    async def authorization_url(
        self, provider: str, redirect_uri: str, state: str, nonce: str, code_verifier: str
    ) -> str:
        """The provider's authorization URL with the S256 challenge of `code_verifier`."""

    async def exchange(
        self, provider: str, code: str, redirect_uri: str, code_verifier: str, nonce: str
    ) -> ProviderClaims:
        """Trade the code for tokens and verify the ID token; raises IdTokenRejected or ProviderUnavailable."""


class PendingSignIns(Protocol):
    async def put(self, state: str, pending: PendingSignIn, ttl_s: int) -> None: ...

    async def take(self, state: str) -> PendingSignIn | None:
        """Remove and return it in one atomic step: of parallel callers, one gets it."""

    async def peek(self, state: str) -> PendingSignIn | None:
        """Read it and leave it pending."""

    async def amend(self, state: str, pending: PendingSignIn) -> None:
        """Replace it, keeping its expiry, only while it is still pending (never brings a taken one back)."""


class PendingLinks(Protocol):
    async def put(self, link_token: str, pending: PendingLink, ttl_s: int) -> None: ...

    async def take(self, link_token: str) -> PendingLink | None:
        """Remove and return it in one atomic step: one try per mail."""


class IdentityLinks(Protocol):
    async def add(self, link: LinkedIdentity) -> bool:
        """False when this provider identity is linked already (to anyone): a unique-key insert decides."""

    async def by_identity(self, provider: str, subject: str) -> LinkedIdentity | None: ...
    async def for_user(self, user_id: str) -> list[LinkedIdentity]: ...
    async def remove(self, user_id: str, provider: str, subject: str) -> bool: ...
