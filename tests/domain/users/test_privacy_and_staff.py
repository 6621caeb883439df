"""Export, deletion and purge; roles, advisors and API keys, on in-memory ports."""

from datetime import timedelta

import pytest

from domain.errors import BadUserInput, Forbidden, NotFound
from domain.users import admin, privacy, sessions
from domain.users.model import RequestMeta, Role, Scope, Viewer
from domain.users.service import IdentityConfig, IssuedTokens
from tests.domain.users.fakes import World

META = RequestMeta(ip="192.0.2.1")


async def _tokens(world: World, email: str) -> IssuedTokens:
    outcome = await sessions.login(world.identity, email, "tangerine-lantern-42", META)
    assert isinstance(outcome, IssuedTokens)
    return outcome


async def _viewer(world: World, email: str) -> Viewer:
    return await sessions.authenticate(world.identity, (await _tokens(world, email)).access_token)


async def test_an_export_holds_the_account_and_every_personal_data_source() -> None:
    world = World()
    user = await world.verified_user()
    world.notes.held[user.id] = ["likes Canada"]
    export = await privacy.export_my_data(world.identity, await _viewer(world, user.email), META)
    document = world.store.json(export.key)
    assert export.key.startswith(f"users/{user.id}/exports/")
    assert document["account"]["email"] == user.email  # type: ignore[index]
    assert document["notes"] == ["likes Canada"]
    assert "password" not in str(document)
    assert "data_exported" in world.audit.kinds(user.id)


async def test_deleting_an_account_signs_out_everywhere_and_purges_after_the_grace_period() -> None:
    world = World(config=IdentityConfig(deletion_grace_s=3600))
    user = await world.verified_user()
    world.notes.held[user.id] = ["x"]
    await world.store.put(f"users/{user.id}/photo/abc", b"img", "image/png")
    tokens = await _tokens(world, user.email)
    viewer = await sessions.authenticate(world.identity, tokens.access_token)
    purge_after = await privacy.delete_my_account(world.identity, viewer, "tangerine-lantern-42", META)
    assert purge_after == world.clock.now() + timedelta(hours=1)
    assert not (await sessions.authenticate(world.identity, tokens.access_token)).is_user
    assert await privacy.purge_deleted_accounts(world.identity) == []
    world.clock.advance(3600)
    assert await privacy.purge_deleted_accounts(world.identity) == [user.id]
    assert world.users.by_key == {} and world.notes.held == {} and world.store.objects == {}
    assert world.audit.kinds(user.id)[-1] == "account_purged"


async def test_deleting_an_account_needs_the_password() -> None:
    world = World()
    user = await world.verified_user()
    with pytest.raises(BadUserInput):
        await privacy.delete_my_account(world.identity, await _viewer(world, user.email), "wrong-password-1", META)
    assert world.users.by_key[user.id].purge_after is None


async def test_only_an_admin_changes_roles_and_the_change_ends_the_persons_sessions() -> None:
    world = World()
    await world.verified_user("root@example.com", role=Role.ADMIN)
    ann = await world.verified_user("ann@example.com")
    ann_tokens = await _tokens(world, "ann@example.com")
    ann_viewer = await sessions.authenticate(world.identity, ann_tokens.access_token)
    with pytest.raises(Forbidden):
        await admin.set_user_role(world.identity, ann_viewer, ann.id, Role.ADMIN, META)
    root = await _viewer(world, "root@example.com")
    assert (await admin.set_user_role(world.identity, root, ann.id, Role.ADVISOR, META)).role is Role.ADVISOR
    assert not (await sessions.authenticate(world.identity, ann_tokens.access_token)).is_user


async def test_an_advisor_sees_assigned_clients_only() -> None:
    world = World()
    await world.verified_user("root@example.com", role=Role.ADMIN)
    advisor = await world.verified_user("adv@example.com", role=Role.ADVISOR)
    client = await world.verified_user("cli@example.com")
    stranger = await world.verified_user("str@example.com")
    await admin.assign_advisor(world.identity, await _viewer(world, "root@example.com"), client.id, advisor.id, META)
    adv = await _viewer(world, "adv@example.com")
    assert [u.id for u in await admin.advisor_clients(world.identity, adv)] == [client.id]
    assert (await admin.advisor_client(world.identity, adv, client.id)).id == client.id
    with pytest.raises(NotFound):
        await admin.advisor_client(world.identity, adv, stranger.id)


async def test_only_advisors_can_be_assigned() -> None:
    world = World()
    await world.verified_user("root@example.com", role=Role.ADMIN)
    plain = await world.verified_user("plain@example.com")
    client = await world.verified_user("cli@example.com")
    with pytest.raises(BadUserInput):
        await admin.assign_advisor(world.identity, await _viewer(world, "root@example.com"), client.id, plain.id, META)


async def test_an_api_key_is_shown_once_stored_hashed_and_stops_working_when_revoked() -> None:
    world = World()
    await world.verified_user("root@example.com", role=Role.ADMIN)
    root = await _viewer(world, "root@example.com")
    raw, key = await admin.create_api_key(world.identity, root, "crm sync", [Scope.USERS_READ], META)
    assert raw.startswith("mig_") and raw not in str(world.api_keys.keys)
    service = await sessions.authenticate_api_key(world.identity, raw)
    assert service.has_scope(Scope.USERS_READ) and not service.is_user
    assert len(await admin.list_users(world.identity, service, 0, 10)) == 1
    await admin.revoke_api_key(world.identity, root, key.id, META)
    assert (await sessions.authenticate_api_key(world.identity, raw)).auth_error == "invalid or revoked API key"


async def test_make_admin_promotes_an_existing_account() -> None:
    world = World()
    await world.verified_user("ann@example.com")
    user, created = await admin.make_admin(world.identity, "ANN@example.com", "Ann")
    assert (user.role, created) == (Role.ADMIN, False)
    assert world.users.by_key["ann"].role is Role.ADMIN


async def test_make_admin_creates_a_verified_admin_and_mails_a_password_link() -> None:
    world = World()
    user, created = await admin.make_admin(world.identity, "root@example.com", "Root")
    assert created and user.role is Role.ADMIN and user.email_verified_at is not None
    assert "reset-password?token=" in world.mailer.to("root@example.com")[0].body
