"""Login, MFA, rotation with reuse detection, logout and rate limits, on in-memory ports."""

from dataclasses import replace
from datetime import timedelta

import pytest

from domain.errors import BadUserInput, Forbidden, NotFound, RateLimited, Unauthenticated
from domain.users import mfa, sessions
from domain.users.model import RequestMeta
from domain.users.service import IssuedTokens
from tests.domain.users.fakes import World, current_code

META = RequestMeta(ip="203.0.113.7", user_agent="pytest")


async def _login(
    world: World, email: str = "ann@example.com", password: str = "tangerine-lantern-42", meta: RequestMeta = META
) -> IssuedTokens:
    outcome = await sessions.login(world.identity, email, password, meta)
    assert isinstance(outcome, IssuedTokens)
    return outcome


async def test_login_issues_an_access_token_for_the_user_and_role() -> None:
    world = World()
    user = await world.verified_user()
    tokens = await _login(world, email="  ANN@example.com ")
    viewer = await sessions.authenticate(world.identity, tokens.access_token)
    assert (viewer.user_id, viewer.role) == (user.id, user.role)
    assert tokens.access_expires_at == world.clock.now() + timedelta(seconds=world.config.access_ttl_s)
    assert world.audit.kinds(user.id) == ["login_succeeded"]


async def test_wrong_password_and_unknown_email_get_the_same_answer() -> None:
    world = World()
    await world.verified_user()
    with pytest.raises(Unauthenticated) as wrong:
        await sessions.login(world.identity, "ann@example.com", "not-the-password", META)
    with pytest.raises(Unauthenticated) as unknown:
        await sessions.login(world.identity, "nobody@example.com", "not-the-password", META)
    assert wrong.value.message == unknown.value.message == "wrong email or password"


async def test_an_unverified_account_cannot_sign_in() -> None:
    world = World()
    user = await world.verified_user()
    world.users.by_key[user.id] = replace(user, email_verified_at=None)
    with pytest.raises(Forbidden) as refused:
        await sessions.login(world.identity, user.email, "tangerine-lantern-42", META)
    assert refused.value.details == {"reason": "EMAIL_NOT_VERIFIED"}


async def test_the_sixth_attempt_after_five_failures_in_an_hour_is_rate_limited_even_with_the_right_password() -> None:
    world = World()
    await world.verified_user()
    for _ in range(5):
        with pytest.raises(Unauthenticated):
            await sessions.login(world.identity, "ann@example.com", "wrong-password-!", META)
    with pytest.raises(RateLimited) as limited:
        await sessions.login(world.identity, "ann@example.com", "tangerine-lantern-42", META)
    assert limited.value.retry_after_s == 3600
    assert limited.value.details == {"retryAfter": 3600, "limit": 5}
    world.clock.advance(3601)
    await _login(world)


async def test_failures_from_one_ip_across_accounts_are_limited_per_ip() -> None:
    world = World()
    for i in range(5):
        with pytest.raises(Unauthenticated):
            await sessions.login(world.identity, f"user{i}@example.com", "wrong-password-!", META)
    with pytest.raises(RateLimited):
        await sessions.login(world.identity, "another@example.com", "wrong-password-!", META)


async def test_refreshing_rotates_the_refresh_token_within_the_same_session() -> None:
    world = World()
    await world.verified_user()
    first_tokens = await _login(world)
    second = await sessions.refresh(world.identity, first_tokens.refresh_token, META)
    assert second.refresh_token != first_tokens.refresh_token
    first_viewer = await sessions.authenticate(world.identity, first_tokens.access_token)
    second_viewer = await sessions.authenticate(world.identity, second.access_token)
    assert first_viewer.session_id == second_viewer.session_id


async def test_reusing_a_spent_refresh_token_revokes_the_whole_family() -> None:
    world = World()
    user = await world.verified_user()
    stolen = await _login(world)
    rotated = await sessions.refresh(world.identity, stolen.refresh_token, META)
    with pytest.raises(Unauthenticated):
        await sessions.refresh(world.identity, stolen.refresh_token, META)
    with pytest.raises(Unauthenticated):
        await sessions.refresh(world.identity, rotated.refresh_token, META)
    viewer = await sessions.authenticate(world.identity, rotated.access_token)
    assert not viewer.is_user and viewer.auth_error == "this session has ended; sign in again"
    assert "refresh_token_reused" in world.audit.kinds(user.id)


async def test_logout_denies_the_access_token_and_revokes_the_refresh_token_at_once() -> None:
    world = World()
    await world.verified_user()
    tokens = await _login(world)
    viewer = await sessions.authenticate(world.identity, tokens.access_token)
    await sessions.logout(world.identity, viewer, META)
    assert not (await sessions.authenticate(world.identity, tokens.access_token)).is_user
    with pytest.raises(Unauthenticated):
        await sessions.refresh(world.identity, tokens.refresh_token, META)


async def test_an_expired_access_token_gives_an_anonymous_viewer_that_says_why() -> None:
    world = World()
    await world.verified_user()
    tokens = await _login(world)
    world.clock.advance(world.config.access_ttl_s + 1)
    viewer = await sessions.authenticate(world.identity, tokens.access_token)
    assert viewer.user_id is None
    assert viewer.auth_error == "invalid access token: expired"


async def test_revoking_someone_elses_session_is_not_found_and_changes_nothing() -> None:
    world = World()
    await world.verified_user("ann@example.com")
    await world.verified_user("bob@example.com")
    ann = await sessions.authenticate(world.identity, (await _login(world, "ann@example.com")).access_token)
    bob_tokens = await _login(world, "bob@example.com")
    bob = await sessions.authenticate(world.identity, bob_tokens.access_token)
    with pytest.raises(NotFound):
        await sessions.revoke_session(world.identity, ann, bob.session_id or "", META)
    assert (await sessions.authenticate(world.identity, bob_tokens.access_token)).is_user


async def _with_mfa(world: World) -> list[str]:
    await world.verified_user()
    viewer = await sessions.authenticate(world.identity, (await _login(world)).access_token)
    await mfa.enrol_mfa(world.identity, viewer)
    return await mfa.confirm_mfa(world.identity, viewer, current_code(world.clock), META)


async def test_with_mfa_on_login_returns_a_challenge_that_a_current_code_completes() -> None:
    world = World()
    await _with_mfa(world)
    world.clock.advance(30)
    challenge = await sessions.login(world.identity, "ann@example.com", "tangerine-lantern-42", META)
    assert isinstance(challenge, sessions.MfaChallenge)
    tokens = await sessions.login_with_mfa(world.identity, challenge.token, current_code(world.clock), META)
    assert (await sessions.authenticate(world.identity, tokens.access_token)).is_user


async def test_a_totp_code_cannot_be_replayed() -> None:
    world = World()
    await _with_mfa(world)
    world.clock.advance(30)
    code = current_code(world.clock)
    first = await sessions.login(world.identity, "ann@example.com", "tangerine-lantern-42", META)
    assert isinstance(first, sessions.MfaChallenge)
    await sessions.login_with_mfa(world.identity, first.token, code, META)
    second = await sessions.login(world.identity, "ann@example.com", "tangerine-lantern-42", META)
    assert isinstance(second, sessions.MfaChallenge)
    with pytest.raises(Unauthenticated):
        await sessions.login_with_mfa(world.identity, second.token, code, META)


async def test_a_recovery_code_works_once() -> None:
    world = World()
    codes = await _with_mfa(world)
    assert len(codes) == 10 and len(set(codes)) == 10
    challenge = await sessions.login(world.identity, "ann@example.com", "tangerine-lantern-42", META)
    assert isinstance(challenge, sessions.MfaChallenge)
    await sessions.login_with_mfa(world.identity, challenge.token, codes[0].lower(), META)
    again = await sessions.login(world.identity, "ann@example.com", "tangerine-lantern-42", META)
    assert isinstance(again, sessions.MfaChallenge)
    with pytest.raises(Unauthenticated):
        await sessions.login_with_mfa(world.identity, again.token, codes[0], META)
    assert len(world.users.by_key["ann"].mfa.recovery_code_hashes) == 9


async def test_recovery_codes_are_stored_only_as_hashes() -> None:
    world = World()
    codes = await _with_mfa(world)
    stored = world.users.by_key["ann"].mfa.recovery_code_hashes
    assert not set(codes) & set(stored)
    assert all(len(h) == 64 for h in stored)


async def test_confirming_mfa_with_a_wrong_code_leaves_it_off() -> None:
    world = World()
    await world.verified_user()
    viewer = await sessions.authenticate(world.identity, (await _login(world)).access_token)
    await mfa.enrol_mfa(world.identity, viewer)
    with pytest.raises(BadUserInput):
        await mfa.confirm_mfa(world.identity, viewer, "000000", META)
    assert not world.users.by_key["ann"].mfa.enabled


async def test_an_mfa_challenge_expires() -> None:
    world = World()
    await _with_mfa(world)
    challenge = await sessions.login(world.identity, "ann@example.com", "tangerine-lantern-42", META)
    assert isinstance(challenge, sessions.MfaChallenge)
    world.clock.advance(world.config.mfa_challenge_ttl_s + 1)
    with pytest.raises(Unauthenticated):
        await sessions.login_with_mfa(world.identity, challenge.token, current_code(world.clock), META)
