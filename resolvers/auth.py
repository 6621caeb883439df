"""Root fields for signing up, in and out, tokens and passwords: each one domain call."""

import strawberry

from domain.users import passwords, privacy, registration, sessions
from schema.context import Context
from schema.permissions import IsAuthenticated, allow
from schema.users import (
    AuthTokens,
    ChangePasswordInput,
    LoginResult,
    MfaChallenge,
    RegisterInput,
    RegisterPayload,
    ResetPasswordInput,
    Session,
    VerifyEmailPayload,
)

Info = strawberry.Info[Context, None]


@strawberry.type
class AuthQuery:
    @strawberry.field(extensions=allow(IsAuthenticated()), description="Where you are signed in.")
    async def my_sessions(self, info: Info) -> list[Session]:
        found = await sessions.my_sessions(info.context.identity, info.context.viewer)
        return [Session.from_domain(s, info.context.viewer.session_id) for s in found]


@strawberry.type
class AuthMutation:
    @strawberry.mutation(
        description="Create an account and mail a verification link. The answer is the same "
        "whether or not the address already has an account."
    )
    async def register(self, info: Info, input: RegisterInput) -> RegisterPayload:
        email = await registration.register(
            info.context.identity, input.email, input.password, input.name, input.locale, info.context.meta
        )
        return RegisterPayload(email=email)

    @strawberry.mutation(description="Mail a new verification link (if the account exists and is unverified).")
    async def resend_verification_email(self, info: Info, email: str) -> bool:
        await registration.resend_verification(info.context.identity, email, info.context.meta)
        return True

    @strawberry.mutation(description="Confirm an address with the token from the mailed link (single use).")
    async def verify_email(self, info: Info, token: str) -> VerifyEmailPayload:
        user = await registration.verify_email(info.context.identity, token, info.context.meta)
        return VerifyEmailPayload(email=user.email)

    @strawberry.mutation(description="Tokens, or an MfaChallenge when two-factor authentication is on.")
    async def login(self, info: Info, email: str, password: str) -> LoginResult:
        outcome = await sessions.login(info.context.identity, email, password, info.context.meta)
        if isinstance(outcome, sessions.MfaChallenge):
            return MfaChallenge.from_domain(outcome)
        return AuthTokens.from_domain(outcome)

    @strawberry.mutation(description="Second step of login: the challenge's token and a TOTP or recovery code.")
    async def login_with_mfa(self, info: Info, mfa_token: str, code: str) -> AuthTokens:
        tokens = await sessions.login_with_mfa(info.context.identity, mfa_token, code, info.context.meta)
        return AuthTokens.from_domain(tokens)

    @strawberry.mutation(
        description="Keep an account scheduled for deletion: signing in to it during the grace "
        "period is refused (FORBIDDEN, ACCOUNT_DELETION_SCHEDULED) with a short-lived "
        "`cancelToken`; send it here to cancel the deletion and be signed in."
    )
    async def cancel_account_deletion(self, info: Info, cancel_token: str) -> AuthTokens:
        tokens = await privacy.cancel_account_deletion(info.context.identity, cancel_token, info.context.meta)
        return AuthTokens.from_domain(tokens)

    @strawberry.mutation(
        description="Trade a refresh token (spent by this) for new tokens. Presenting a spent "
        "one again ends that whole session."
    )
    async def refresh_token(self, info: Info, refresh_token: str) -> AuthTokens:
        tokens = await sessions.refresh(info.context.identity, refresh_token, info.context.meta)
        return AuthTokens.from_domain(tokens)

    @strawberry.mutation(extensions=allow(IsAuthenticated()), description="End this session now.")
    async def logout(self, info: Info) -> bool:
        await sessions.logout(info.context.identity, info.context.viewer, info.context.meta)
        return True

    @strawberry.mutation(extensions=allow(IsAuthenticated()), description="End one of your sessions.")
    async def revoke_session(self, info: Info, id: strawberry.ID) -> bool:
        await sessions.revoke_session(info.context.identity, info.context.viewer, str(id), info.context.meta)
        return True

    @strawberry.mutation(description="Mail a reset link if the address has an account; always answers true.")
    async def request_password_reset(self, info: Info, email: str) -> bool:
        await passwords.request_password_reset(info.context.identity, email, info.context.meta)
        return True

    @strawberry.mutation(description="Set a new password with the mailed token; ends every session.")
    async def reset_password(self, info: Info, input: ResetPasswordInput) -> bool:
        await passwords.reset_password(info.context.identity, input.token, input.new_password, info.context.meta)
        return True

    @strawberry.mutation(extensions=allow(IsAuthenticated()), description="Ends every other session.")
    async def change_password(self, info: Info, input: ChangePasswordInput) -> bool:
        await passwords.change_password(
            info.context.identity, info.context.viewer, input.current_password, input.new_password, info.context.meta
        )
        return True
