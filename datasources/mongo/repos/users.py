"""Accounts in `users`. Date of birth, passport number and TOTP secrets are encrypted before they are
stored; every query compares typed values, never a client-supplied document.

Every change is a compare-and-set on the account's revision (atomic.py): FerretDB rewrites the whole document
on each update, so two concurrent `$set`s of different fields would lose one. Recovery codes and TOTP steps
are single use by spending a key; removing the code or raising `last_step` afterwards only keeps it tidy."""

from dataclasses import fields
from datetime import UTC, date, datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from datasources.crypto import FieldCipher
from datasources.mongo.atomic import SpentKeys, Versioned
from domain.users.model import Mfa, NotificationChannel, Preferences, Role, User
from domain.users.ports import EmailAlreadyRegistered

_ENCRYPTED = {"date_of_birth": "date_of_birth_enc", "passport_number": "passport_number_enc"}
_FIELDS = {f.name for f in fields(User)} - {"id"}
_STEP_S = 30


def _mfa(doc: dict[str, Any]) -> dict[str, Any]:
    return doc.get("mfa") or {}


def _step_expiry(step: int) -> datetime:
    """Long after any window accepts a code of this step (steps are 30 s; `last_step` refuses older ones)."""
    return datetime.fromtimestamp((step + 120) * _STEP_S, UTC)


class MongoUserRepository:
    def __init__(self, db: AsyncDatabase, cipher: FieldCipher) -> None:
        self.collection = db.users
        self.cipher = cipher
        self.spent = SpentKeys(db)
        self.versioned = Versioned(self.collection)

    def _seal(self, value: str | None) -> str | None:
        return None if value is None else self.cipher.encrypt(value)

    def _open(self, value: str | None) -> str | None:
        return None if value is None else self.cipher.decrypt(value)

    def _to_document(self, user: User) -> dict[str, Any]:
        prefs, mfa = user.preferences, user.mfa
        return {
            "_id": user.id,
            "email": user.email,
            "name": user.name,
            "locale": user.locale,
            "password_hash": user.password_hash,
            "created_at": user.created_at,
            "role": user.role.value,
            "email_verified_at": user.email_verified_at,
            "date_of_birth_enc": self._seal(user.date_of_birth.isoformat() if user.date_of_birth else None),
            "passport_number_enc": self._seal(user.passport_number),
            "photo_key": user.photo_key,
            "preferences": {
                "language": prefs.language,
                "notification_channels": [c.value for c in prefs.notification_channels],
                "currency": prefs.currency,
                "ui": dict(prefs.ui),
            },
            "mfa": {
                "secret_enc": self._seal(mfa.secret),
                "pending_secret_enc": self._seal(mfa.pending_secret),
                "recovery_code_hashes": list(mfa.recovery_code_hashes),
                "last_step": mfa.last_step,
            },
            "advisor_id": user.advisor_id,
            "deletion_requested_at": user.deletion_requested_at,
            "purge_after": user.purge_after,
        }

    def _to_user(self, doc: dict[str, Any]) -> User:
        prefs, mfa = doc.get("preferences") or {}, doc.get("mfa") or {}
        born = self._open(doc.get("date_of_birth_enc"))
        return User(
            id=doc["_id"],
            email=doc["email"],
            name=doc["name"],
            locale=doc["locale"],
            password_hash=doc["password_hash"],
            created_at=doc["created_at"],
            role=Role(doc["role"]),
            email_verified_at=doc.get("email_verified_at"),
            date_of_birth=date.fromisoformat(born) if born else None,
            passport_number=self._open(doc.get("passport_number_enc")),
            photo_key=doc.get("photo_key"),
            preferences=Preferences(
                language=prefs.get("language", "en"),
                notification_channels=tuple(NotificationChannel(c) for c in prefs.get("notification_channels", [])),
                currency=prefs.get("currency", "USD"),
                ui=prefs.get("ui") or {},
            ),
            mfa=Mfa(
                secret=self._open(mfa.get("secret_enc")),
                pending_secret=self._open(mfa.get("pending_secret_enc")),
                recovery_code_hashes=tuple(mfa.get("recovery_code_hashes", [])),
                last_step=mfa.get("last_step", 0),
            ),
            advisor_id=doc.get("advisor_id"),
            deletion_requested_at=doc.get("deletion_requested_at"),
            purge_after=doc.get("purge_after"),
        )

    async def add(self, user: User) -> None:
        try:
            await self.collection.insert_one(self._to_document(user))
        except DuplicateKeyError:
            raise EmailAlreadyRegistered(user.email) from None

    async def by_id(self, user_id: str) -> User | None:
        doc = await self.versioned.read(str(user_id))
        return self._to_user(doc) if doc else None

    async def by_email(self, email: str) -> User | None:
        doc = await self.collection.find_one({"email": str(email)})
        if doc is None:
            # the claim check a found account costs, so "no such account" takes as long (no enumeration by timing)
            await self.versioned.claims.find_one({"_id": f"absent:{email}"})
            return None
        doc = await self.versioned.catch_up(doc)
        return self._to_user(doc) if doc["email"] == email else None

    async def update(self, user: User, *names: str) -> None:
        unknown = set(names) - _FIELDS
        if unknown:
            raise ValueError(f"not User fields: {sorted(unknown)}")
        if "email" in names:
            raise ValueError("email has a unique index, which a claim's document write must never meet")
        document = self._to_document(user)
        changes = {_ENCRYPTED.get(name, name): document[_ENCRYPTED.get(name, name)] for name in names}
        await self.versioned.update(user.id, changes)

    async def consume_recovery_code(self, user_id: str, code_hash: str) -> bool:
        doc = await self.versioned.read(user_id)
        if doc is None or code_hash not in _mfa(doc).get("recovery_code_hashes", []):
            return False
        if not await self.spent.spend("recovery-code", f"{user_id}:{code_hash}"):
            return False
        await self.versioned.update(
            user_id,
            lambda current: {
                "mfa.recovery_code_hashes": [h for h in _mfa(current).get("recovery_code_hashes", []) if h != code_hash]
            },
        )
        return True

    async def advance_totp_step(self, user_id: str, step: int) -> bool:
        """True once per step, and never for a step at or before the last one used."""
        doc = await self.versioned.read(user_id)
        if doc is None or _mfa(doc).get("last_step", 0) >= step:
            return False
        if not await self.spent.spend("totp-step", f"{user_id}:{step}", expires_at=_step_expiry(step)):
            return False
        await self.versioned.update(
            user_id, {"mfa.last_step": step}, where=lambda current: _mfa(current).get("last_step", 0) < step
        )
        return True

    async def page(self, offset: int, limit: int) -> list[User]:
        cursor = self.collection.find({}).sort([("created_at", ASCENDING), ("_id", ASCENDING)]).skip(offset)
        return [self._to_user(doc) async for doc in cursor.limit(limit)]

    async def clients_of(self, advisor_id: str) -> list[User]:
        cursor = self.collection.find({"advisor_id": advisor_id, "deletion_requested_at": None})
        return [self._to_user(doc) async for doc in cursor.sort("created_at", ASCENDING)]

    async def client_of(self, advisor_id: str, client_id: str) -> User | None:
        doc = await self.versioned.read(str(client_id), advisor_id=advisor_id)
        return self._to_user(doc) if doc else None

    async def due_for_purge(self, now: datetime) -> list[User]:
        # Rolled forward first: a cancelled deletion whose document write never happened must not be purged.
        due = self.collection.find({"purge_after": {"$lte": now}})
        found = [await self.versioned.catch_up(doc) async for doc in due]
        return [self._to_user(doc) for doc in found if doc.get("purge_after") is not None and doc["purge_after"] <= now]

    async def delete(self, user_id: str) -> None:
        async for client in self.collection.find({"advisor_id": user_id}, {"_id": 1}):
            await self.versioned.update(
                client["_id"], {"advisor_id": None}, where=lambda current: current.get("advisor_id") == user_id
            )
        await self.collection.delete_one({"_id": user_id})
        await self.versioned.forget([user_id])

    async def reencrypt_all(self) -> int:
        """Re-encrypt every sealed field with the current key, so an old key can then be dropped."""
        count = 0
        async for doc in self.collection.find({}):
            if self._rotated(doc):
                await self.versioned.update(doc["_id"], self._rotated)
                count += 1
        return count

    def _rotated(self, doc: dict[str, Any]) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        for path in ("date_of_birth_enc", "passport_number_enc", "mfa.secret_enc", "mfa.pending_secret_enc"):
            head, _, tail = path.partition(".")
            value = (doc.get(head) or {}).get(tail) if tail else doc.get(head)
            if value:
                changes[path] = self.cipher.rotate(value)
        return changes
