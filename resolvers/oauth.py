"""Root fields for signing in with OpenID Connect providers and linking them to an account: each one domain call."""

import strawberry

from domain.users import oauth
from domain.users.sessions import MfaChallenge as DomainMfaChallenge
from schema.context import Context
from schema.oauth import LinkedIdentity, OAuthProvider, OAuthSignInStart
from schema.permissions import IsAuthenticated, allow
from schema.users import AuthTokens, LoginResult, MfaChallenge

Info = strawberry.Info[Context, None]


@strawberry.type
class OAuthQuery:
    @strawberry.field(name="oauthProviders", description="The sign-in providers enabled on this server.")
    def oauth_providers(self, info: Info) -> list[OAuthProvider]:
        return [OAuthProvider.from_domain(p) for p in oauth.providers(info.context.services.oauth)]


@strawberry.type
class OAuthMutation:
    @strawberry.mutation(
        name="startOAuthSignIn",
        description="Begin signing in (or, signed in, linking) with a provider. `redirectUri` must be a page of "
        "an allowed web origin or the mobile app's own scheme (BAD_USER_INPUT otherwise).",
    )
    async def start_oauth_sign_in(self, info: Info, provider: str, redirect_uri: str) -> OAuthSignInStart:
        start = await oauth.start_sign_in(info.context.services.oauth, info.context.viewer, provider, redirect_uri)
        return OAuthSignInStart.from_domain(start)

    @strawberry.mutation(
        name="completeOAuthSignIn",
        description="Finish with the `code` and `state` the provider redirected back with: the same tokens as "
        "`login` (or an MfaChallenge). A first sign-in creates an account; an existing account with the "
        "address is refused (FORBIDDEN, ACCOUNT_EXISTS_LINK_REQUIRED) until its owner links the provider.",
    )
    async def complete_oauth_sign_in(self, info: Info, provider: str, code: str, state: str) -> LoginResult:
        done = await oauth.complete_sign_in(info.context.services.oauth, provider, code, state, info.context.meta)
        if isinstance(done, DomainMfaChallenge):
            return MfaChallenge.from_domain(done)
        return AuthTokens.from_domain(done)

    @strawberry.mutation(
        description="Link the provider account a sign-in was refused for (ACCOUNT_EXISTS_LINK_REQUIRED) to the "
        "account with its address, and sign in: the error's `linkToken` with the code mailed to that address."
    )
    async def confirm_identity_link(self, info: Info, link_token: str, code: str) -> LoginResult:
        done = await oauth.confirm_link_by_mail(info.context.services.oauth, link_token, code, info.context.meta)
        if isinstance(done, DomainMfaChallenge):
            return MfaChallenge.from_domain(done)
        return AuthTokens.from_domain(done)

    @strawberry.mutation(
        extensions=allow(IsAuthenticated()),
        description="Link a provider account to yours, with the `code` and `state` of a sign-in you started "
        "while signed in.",
    )
    async def link_identity(self, info: Info, provider: str, code: str, state: str) -> LinkedIdentity:
        link = await oauth.link_identity(
            info.context.services.oauth, info.context.viewer, provider, code, state, info.context.meta
        )
        return LinkedIdentity.from_domain(link)

    @strawberry.mutation(
        extensions=allow(IsAuthenticated()),
        description="Unlink a provider account; refused (FORBIDDEN, LAST_SIGN_IN_METHOD) when it is your only "
        "way to sign in.",
    )
    async def unlink_identity(self, info: Info, provider: str, subject: str) -> bool:
        await oauth.unlink_identity(
            info.context.services.oauth, info.context.viewer, provider, subject, info.context.meta
        )
        return True
