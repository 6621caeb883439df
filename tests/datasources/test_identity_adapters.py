"""Key rotation and hashing in the identity adapters (no services needed)."""

import asyncio
import time
from datetime import UTC, datetime, timedelta

import jwt
import pyotp
import pytest
from cryptography.fernet import Fernet

from datasources.crypto import Argon2PasswordHasher, DecryptionError, FieldCipher, TotpAuthenticator
from datasources.tokens import JwtTokenSigner
from domain.users.model import AccessClaims, Role, Ticket, TicketPurpose
from domain.users.ports import InvalidToken

OLD, NEW = "old-signing-key-0123456789abcdef0123", "new-signing-key-0123456789abcdef0123"


def _claims(ttl_s: int = 600) -> AccessClaims:
    now = datetime.now(UTC)
    return AccessClaims("u1", Role.ADVISOR, "s1", "j1", now, now + timedelta(seconds=ttl_s))


def test_a_token_signed_with_the_previous_kid_still_verifies_after_rotation() -> None:
    token = JwtTokenSigner({"k1": OLD}, "k1").sign_access(_claims())
    rotated = JwtTokenSigner({"k1": OLD, "k2": NEW}, "k2")
    assert rotated.verify_access(token).role is Role.ADVISOR
    assert jwt.get_unverified_header(token)["kid"] == "k1"
    assert jwt.get_unverified_header(rotated.sign_access(_claims()))["kid"] == "k2"


def test_a_token_whose_kid_was_retired_no_longer_verifies() -> None:
    token = JwtTokenSigner({"k1": OLD}, "k1").sign_access(_claims())
    with pytest.raises(InvalidToken, match="unknown signing key"):
        JwtTokenSigner({"k2": NEW}, "k2").verify_access(token)


def test_a_ticket_is_not_accepted_as_an_access_token_nor_for_another_purpose() -> None:
    signer = JwtTokenSigner({"k1": OLD}, "k1")
    ticket = signer.sign_ticket(
        Ticket(TicketPurpose.RESET_PASSWORD, "u1", "t1", datetime.now(UTC) + timedelta(minutes=5))
    )
    with pytest.raises(InvalidToken):
        signer.verify_access(ticket)
    with pytest.raises(InvalidToken):
        signer.verify_ticket(ticket, TicketPurpose.VERIFY_EMAIL)
    assert signer.verify_ticket(ticket, TicketPurpose.RESET_PASSWORD).ticket_id == "t1"


def test_the_signer_refuses_a_current_kid_it_has_no_key_for() -> None:
    with pytest.raises(ValueError):
        JwtTokenSigner({"k1": OLD}, "k2")


def test_values_encrypted_with_an_old_key_decrypt_after_rotation_and_re_encrypt_with_the_new() -> None:
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    sealed = FieldCipher([old_key]).encrypt("P1234567")
    rotated = FieldCipher([new_key, old_key])
    assert rotated.decrypt(sealed) == "P1234567"
    resealed = rotated.rotate(sealed)
    assert FieldCipher([new_key]).decrypt(resealed) == "P1234567"
    with pytest.raises(DecryptionError):
        FieldCipher([new_key]).decrypt(sealed)


async def test_argon2id_hashes_verify_and_refuse_a_wrong_password() -> None:
    hasher = Argon2PasswordHasher(time_cost=1, memory_kib=8192, parallelism=1)
    hashed = await hasher.hash("tangerine-lantern-42")
    assert hashed.startswith("$argon2id$v=19$m=8192,t=1,p=1$")
    assert await hasher.verify(hashed, "tangerine-lantern-42")
    assert not await hasher.verify(hashed, "tangerine-lantern-43")
    assert not await hasher.verify("not-a-hash", "x")
    assert Argon2PasswordHasher(time_cost=2, memory_kib=8192, parallelism=1).needs_rehash(hashed)


@pytest.mark.alone  # the loop's gaps against the hashing time: run while no other test loads the machine
async def test_argon2_runs_off_the_event_loop_at_most_concurrency_at_a_time() -> None:
    """Six slow hashes with a cap of two: the loop keeps ticking meanwhile, and never more than two run at once."""
    hasher = Argon2PasswordHasher(time_cost=3, memory_kib=65536, parallelism=4, concurrency=2)
    running, most = 0, 0
    argon2 = hasher._hasher

    class Counted:
        def hash(self, password: str) -> str:
            nonlocal running, most
            running += 1
            most = max(most, running)
            try:
                return argon2.hash(password)
            finally:
                running -= 1

    hasher._hasher = Counted()  # type: ignore[assignment]
    gaps: list[float] = []

    async def tick() -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    ticker = asyncio.create_task(tick())
    started = time.perf_counter()
    await asyncio.gather(*(hasher.hash(f"password-{n}") for n in range(6)))
    hashing_s = time.perf_counter() - started
    ticker.cancel()
    assert most == 2
    assert max(gaps) < hashing_s / 3, (max(gaps), hashing_s)


def test_totp_matches_the_current_and_adjacent_steps_only() -> None:
    authenticator = TotpAuthenticator("Migratio")
    secret = authenticator.new_secret()
    totp, now = pyotp.TOTP(secret), datetime(2026, 3, 1, 12, 0, 15, tzinfo=UTC)
    step = int(now.timestamp()) // 30
    assert authenticator.matching_step(secret, totp.at(now), now) == step
    assert authenticator.matching_step(secret, totp.at(now - timedelta(seconds=30)), now) == step - 1
    assert authenticator.matching_step(secret, totp.at(now + timedelta(seconds=30)), now) == step + 1
    assert authenticator.matching_step(secret, totp.at(now + timedelta(seconds=90)), now) is None
