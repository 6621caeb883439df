"""Shapes of social sign-in: the enabled providers, a started sign-in, and an account's linked identities."""

from datetime import datetime

import strawberry

from domain.users import oauth
from domain.users.oauth_ports import LinkedIdentity as DomainLinkedIdentity
from schema.permissions import IsOwner, Private, guarded


@strawberry.type(description="An OpenID Connect provider people can sign in with.")
class OAuthProvider:
    name: str = strawberry.field(description="What `startOAuthSignIn` takes as `provider`.")
    label: str

    @classmethod
    def from_domain(cls, provider: oauth.Provider) -> "OAuthProvider":
        return cls(name=provider.name, label=provider.label)


@strawberry.type(
    description="Send the person to `authorizationUrl`; the provider redirects back to your redirect URI with "
    "`code` and `state`, which `completeOAuthSignIn` (or `linkIdentity`) takes, once, before `expiresAt`."
)
class OAuthSignInStart:
    authorization_url: str
    state: str
    expires_at: datetime

    @classmethod
    def from_domain(cls, start: oauth.OAuthStart) -> "OAuthSignInStart":
        return cls(authorization_url=start.authorization_url, state=start.state, expires_at=start.expires_at)


@strawberry.type(description="A provider account that signs in to this account.", directives=[Private()])
class LinkedIdentity:
    owner_id: strawberry.Private[str]
    provider: str = guarded(IsOwner())
    subject: str = guarded(IsOwner(), description="The provider's id for the person (`sub`).")
    email: str | None = guarded(IsOwner())
    linked_at: datetime = guarded(IsOwner())

    @classmethod
    def from_domain(cls, link: DomainLinkedIdentity) -> "LinkedIdentity":
        return cls(
            owner_id=link.user_id,
            provider=link.provider,
            subject=link.subject,
            email=link.email,
            linked_at=link.linked_at,
        )
