"""Password hashing (argon2id), field encryption at rest (Fernet, rotatable) and TOTP codes (pyotp)."""

import asyncio
import hmac
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pyotp
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class Argon2PasswordHasher:
    """argon2 takes ~100 ms of CPU and 64 MiB per call: on the event loop it would stall every other request, so
    it runs in `concurrency` worker threads (argon2-cffi releases the GIL) and further calls queue for one."""

    def __init__(self, time_cost: int, memory_kib: int, parallelism: int, concurrency: int = 1) -> None:
        self._hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism, type=Type.ID
        )
        self._threads = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="argon2")

    async def hash(self, password: str) -> str:
        return await asyncio.get_running_loop().run_in_executor(self._threads, self._hasher.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        return await asyncio.get_running_loop().run_in_executor(self._threads, self._verify, password_hash, password)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)


class DecryptionError(RuntimeError):
    """A stored value no configured key can open: a key was removed before its data was re-encrypted."""


class FieldCipher:
    """Encrypts with the first key, decrypts with any: add a new key first, re-encrypt, then drop the old."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("at least one field encryption key is required")
        self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])

    def encrypt(self, value: str) -> str:
        return self._fernet.encrypt(value.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            raise DecryptionError("no configured key decrypts this value") from None

    def rotate(self, token: str) -> str:
        return self._fernet.rotate(token.encode()).decode()


class TotpAuthenticator:
    def __init__(self, issuer: str) -> None:
        self.issuer = issuer

    def new_secret(self) -> str:
        return pyotp.random_base32()

    def provisioning_uri(self, secret: str, account: str) -> str:
        return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=self.issuer)

    def matching_step(self, secret: str, code: str, at: datetime) -> int | None:
        totp = pyotp.TOTP(secret)
        now_step = int(at.timestamp()) // totp.interval
        for step in (now_step, now_step - 1, now_step + 1):
            if hmac.compare_digest(totp.at(step * totp.interval), code):
                return step
        return None
