"""Registration, verification, password reset and change, on in-memory ports."""

import re
from dataclasses import replace

import pytest

from domain.errors import BadUserInput, RateLimited, Unauthenticated
from domain.users import passwords, registration, sessions
from domain.users.model import AccountNotice, RequestMeta
from domain.users.service import IssuedTokens
from tests.domain.users.fakes import World

META = RequestMeta(ip="198.51.100.4")


def _token(body: str) -> str:
    found = re.search(r"token=(\S+)", body)
    assert found
    return found.group(1)


async def test_registering_creates_an_unverified_user_and_mails_a_link() -> None:
    world = World()
    email = await registration.register(
        world.identity, "Ann@Example.com", "tangerine-lantern-42", " Ann  Smith ", "en-CA", META
    )
    user = await world.users.by_email(email)
    assert user is not None and email == "ann@example.com"
    assert (user.name, user.locale, user.role.value, user.email_verified_at) == ("Ann Smith", "en-CA", "user", None)
    assert user.password_hash == "plain:tangerine-lantern-42"
    [mail] = world.mailer.to(email)
    assert mail.subject == "Confirm your email address"
    assert world.notices.kinds == [(user.id, AccountNotice.VERIFICATION)]


async def test_registering_a_taken_address_answers_the_same_and_mails_its_owner_instead() -> None:
    world = World()
    await world.verified_user("ann@example.com")
    answer = await registration.register(world.identity, "ann@example.com", "another-good-pass", "Mallory", "en", META)
    assert answer == "ann@example.com"
    assert [m.subject for m in world.mailer.to("ann@example.com")] == ["You already have a Migratio account"]
    assert len(world.users.by_key) == 1


async def test_a_weak_password_is_refused_before_anything_is_stored() -> None:
    world = World()
    with pytest.raises(BadUserInput) as refused:
        await registration.register(world.identity, "ann@example.com", "password123", "Ann", "en", META)
    assert refused.value.details == {"field": "password"}
    assert world.users.by_key == {} and world.mailer.sent == []


async def test_a_verification_link_works_once() -> None:
    world = World()
    await registration.register(world.identity, "ann@example.com", "tangerine-lantern-42", "Ann", "en", META)
    token = _token(world.mailer.sent[0].body)
    user = await registration.verify_email(world.identity, token, META)
    assert user.email_verified_at == world.clock.now()
    with pytest.raises(BadUserInput):
        await registration.verify_email(world.identity, token, META)


async def test_a_verification_link_expires_after_a_day() -> None:
    world = World()
    await registration.register(world.identity, "ann@example.com", "tangerine-lantern-42", "Ann", "en", META)
    world.clock.advance(86_401)
    with pytest.raises(BadUserInput):
        await registration.verify_email(world.identity, _token(world.mailer.sent[0].body), META)


async def test_a_reset_request_answers_the_same_for_unknown_addresses_and_mails_nobody() -> None:
    world = World()
    await passwords.request_password_reset(world.identity, "nobody@example.com", META)
    assert world.mailer.sent == []


async def test_a_password_reset_sets_the_password_once_and_ends_every_session() -> None:
    world = World()
    await world.verified_user()
    outcome = await sessions.login(world.identity, "ann@example.com", "tangerine-lantern-42", META)
    assert isinstance(outcome, IssuedTokens)
    await passwords.request_password_reset(world.identity, "ann@example.com", META)
    token = _token(world.mailer.to("ann@example.com")[-1].body)
    await passwords.reset_password(world.identity, token, "new-orchard-lamp-7", META)
    assert world.users.by_key["ann"].password_hash == "plain:new-orchard-lamp-7"
    assert not (await sessions.authenticate(world.identity, outcome.access_token)).is_user
    with pytest.raises(BadUserInput):
        await passwords.reset_password(world.identity, token, "another-orchard-8", META)
    assert world.mailer.to("ann@example.com")[-1].subject == "Your Migratio password was changed"
    kinds = [AccountNotice.PASSWORD_RESET, AccountNotice.SECURITY_ALERT]
    assert world.notices.kinds == [("ann", kind) for kind in kinds]  # through the notification area


async def test_a_reset_with_a_weak_password_keeps_the_link_usable() -> None:
    world = World()
    await world.verified_user()
    await passwords.request_password_reset(world.identity, "ann@example.com", META)
    token = _token(world.mailer.sent[-1].body)
    with pytest.raises(BadUserInput) as refused:
        await passwords.reset_password(world.identity, token, "qwerty123", META)
    assert refused.value.details == {"field": "newPassword"}
    await passwords.reset_password(world.identity, token, "new-orchard-lamp-7", META)


async def test_the_sixth_reset_request_for_an_address_within_an_hour_is_rate_limited() -> None:
    world = World()
    for i in range(5):
        await passwords.request_password_reset(world.identity, "ann@example.com", RequestMeta(ip=f"10.0.0.{i}"))
    with pytest.raises(RateLimited):
        await passwords.request_password_reset(world.identity, "ann@example.com", RequestMeta(ip="10.0.0.9"))


async def test_changing_the_password_keeps_this_session_and_ends_the_others() -> None:
    world = World()
    await world.verified_user()
    here = await sessions.login(world.identity, "ann@example.com", "tangerine-lantern-42", META)
    elsewhere = await sessions.login(world.identity, "ann@example.com", "tangerine-lantern-42", META)
    assert isinstance(here, IssuedTokens) and isinstance(elsewhere, IssuedTokens)
    viewer = await sessions.authenticate(world.identity, here.access_token)
    await passwords.change_password(world.identity, viewer, "tangerine-lantern-42", "new-orchard-lamp-7", META)
    assert (await sessions.authenticate(world.identity, here.access_token)).is_user
    assert not (await sessions.authenticate(world.identity, elsewhere.access_token)).is_user
    with pytest.raises(Unauthenticated):
        await sessions.refresh(world.identity, elsewhere.refresh_token, META)
    await sessions.refresh(world.identity, here.refresh_token, META)


async def test_changing_the_password_needs_the_current_one() -> None:
    world = World()
    user = await world.verified_user()
    here = await sessions.login(world.identity, "ann@example.com", "tangerine-lantern-42", META)
    assert isinstance(here, IssuedTokens)
    viewer = await sessions.authenticate(world.identity, here.access_token)
    with pytest.raises(BadUserInput) as refused:
        await passwords.change_password(world.identity, viewer, "guess-guess-guess", "new-orchard-lamp-7", META)
    assert refused.value.details == {"field": "currentPassword"}
    assert world.users.by_key["ann"] == replace(user)
