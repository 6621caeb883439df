"""The notification area in Mongo: per-kind preferences, the send log, phone numbers and their challenges,
STOP opt-outs, push devices and the daily cap.

Status changes of a send and opt-out flips are compare-and-sets (atomic.py `Versioned`); a code is spent and a
daily-cap slot taken by unique-index inserts (`SpentKeys`), so racing workers or callbacks never double up."""

from collections.abc import Callable, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from datasources.mongo.atomic import SpentKeys, Versioned
from domain.notifications.model import (
    Channel,
    Device,
    Kind,
    Message,
    PhoneChallenge,
    PhoneNumber,
    Platform,
    Preferences,
    Send,
    SendStatus,
)

PREFERENCES = "notification_preferences"
SENDS = "notification_sends"
PHONES = "phone_numbers"
CHALLENGES = "phone_challenges"
OPT_OUTS = "sms_opt_outs"
DEVICES = "push_devices"


class MongoPreferenceStore:
    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db[PREFERENCES]

    async def get(self, user_id: str) -> Preferences | None:
        doc = await self.collection.find_one({"_id": user_id})
        if doc is None:
            return None
        return Preferences({Kind(k): frozenset(Channel(c) for c in v) for k, v in doc["channels"].items()})

    async def put(self, user_id: str, preferences: Preferences, at: datetime) -> None:
        channels = {k.value: sorted(c.value for c in v) for k, v in preferences.channels.items()}
        # one writer per person (their own mutation); last write wins, as with the account's preferences
        await self.collection.replace_one({"_id": user_id}, {"channels": channels, "updated_at": at}, upsert=True)


def _message(doc: Mapping[str, Any]) -> Message:
    return Message(
        kind=Kind(doc["kind"]),
        title=doc["title"],
        body=doc["body"],
        link=doc.get("link"),
        deep_link=doc.get("deep_link"),
        data=dict(doc.get("data") or {}),
    )


def _send(doc: Mapping[str, Any]) -> Send:
    return Send(
        id=doc["_id"],
        user_id=doc["user_id"],
        message=_message(doc["message"]),
        channel=Channel(doc["channel"]),
        status=SendStatus(doc["status"]),
        created_at=doc["created_at"],
        updated_at=doc["updated_at"],
        address=doc.get("address"),
        provider_id=doc.get("provider_id"),
        error=doc.get("error"),
        attempts=int(doc.get("attempts") or 0),
        capped=bool(doc.get("capped")),
    )


def _plain(value: object) -> object:
    return value.value if isinstance(value, Enum) else value


class MongoSendLog:
    def __init__(self, db: AsyncDatabase, clock: Callable[[], datetime]) -> None:
        self.collection = db[SENDS]
        self.versioned = Versioned(self.collection)
        self.clock = clock

    async def add(self, send: Send) -> bool:
        message = send.message
        try:
            await self.collection.insert_one(
                {
                    "_id": send.id,
                    "user_id": send.user_id,
                    "kind": message.kind.value,
                    "channel": send.channel.value,
                    "message": {
                        "kind": message.kind.value,
                        "title": message.title,
                        "body": message.body,
                        "link": message.link,
                        "deep_link": message.deep_link,
                        "data": dict(message.data),
                    },
                    "status": send.status.value,
                    "created_at": send.created_at,
                    "updated_at": send.updated_at,
                    "address": send.address,
                    "provider_id": send.provider_id,
                    "error": send.error,
                    "attempts": send.attempts,
                    "capped": send.capped,
                }
            )
        except DuplicateKeyError:
            return False
        return True

    async def by_id(self, send_id: str) -> Send | None:
        doc = await self.versioned.read(send_id)
        return None if doc is None else _send(doc)

    async def by_provider_id(self, provider_id: str) -> Send | None:
        doc = await self.collection.find_one({"provider_id": provider_id})
        return None if doc is None else await self.by_id(doc["_id"])

    async def update(
        self, send_id: str, changes: Callable[[Send], Mapping[str, object]], where: Callable[[Send], bool]
    ) -> Send | None:
        def plain(doc: dict[str, Any]) -> dict[str, object]:
            return {**{k: _plain(v) for k, v in changes(_send(doc)).items()}, "updated_at": self.clock()}

        doc = await self.versioned.update(send_id, plain, lambda doc: where(_send(doc)))
        return None if doc is None else _send(doc)

    async def for_user(self, user_id: str, limit: int) -> list[Send]:
        cursor = self.collection.find({"user_id": user_id}).sort("created_at", DESCENDING).limit(limit)
        return [_send(doc) async for doc in cursor]

    async def pending(self, changed_before: datetime, limit: int) -> list[str]:
        query = {"status": SendStatus.QUEUED.value, "updated_at": {"$lt": changed_before}}
        cursor = self.collection.find(query, {"_id": 1}).sort("updated_at", ASCENDING).limit(limit)
        return [doc["_id"] async for doc in cursor]


class MongoPhoneBook:
    def __init__(self, db: AsyncDatabase) -> None:
        self.phones = db[PHONES]
        self.challenges = db[CHALLENGES]

    async def verified_number(self, user_id: str) -> PhoneNumber | None:
        doc = await self.phones.find_one({"_id": user_id})
        return None if doc is None else PhoneNumber(user_id, doc["e164"], doc["verified_at"])

    async def set_verified(self, number: PhoneNumber) -> None:
        await self.phones.replace_one(
            {"_id": number.user_id}, {"e164": number.e164, "verified_at": number.verified_at}, upsert=True
        )

    async def add_challenge(self, challenge: PhoneChallenge) -> None:
        # the latest challenge replaces the one before: only its code is accepted
        await self.challenges.replace_one(
            {"_id": challenge.user_id},
            {
                "challenge_id": challenge.id,
                "e164": challenge.e164,
                "code_hash": challenge.code_hash,
                "expires_at": challenge.expires_at,
            },
            upsert=True,
        )

    async def challenge(self, user_id: str) -> PhoneChallenge | None:
        doc = await self.challenges.find_one({"_id": user_id})
        if doc is None:
            return None
        return PhoneChallenge(doc["challenge_id"], user_id, doc["e164"], doc["code_hash"], doc["expires_at"])


class MongoOptOuts:
    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db[OPT_OUTS]
        self.versioned = Versioned(self.collection)

    async def is_opted_out(self, e164: str) -> bool:
        doc = await self.versioned.read(e164)
        return bool(doc and doc.get("opted_out"))

    async def set_opted_out(self, e164: str, opted_out: bool, at: datetime) -> None:
        try:
            await self.collection.insert_one({"_id": e164, "opted_out": opted_out, "at": at, "revision": 0})
            return
        except DuplicateKeyError:
            pass
        await self.versioned.update(e164, {"opted_out": opted_out, "at": at})


class MongoDeviceRegistry:
    """One document per token (`_id`): re-registering moves a token to whoever registered it last."""

    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db[DEVICES]

    async def add(self, device: Device) -> None:
        await self.collection.replace_one(
            {"_id": device.token},
            {
                "device_id": device.id,
                "user_id": device.user_id,
                "platform": device.platform.value,
                "registered_at": device.registered_at,
            },
            upsert=True,
        )

    async def for_user(self, user_id: str) -> list[Device]:
        cursor = self.collection.find({"user_id": user_id}).sort("registered_at", DESCENDING).limit(50)
        return [
            Device(d["device_id"], d["user_id"], Platform(d["platform"]), d["_id"], d["registered_at"])
            async for d in cursor
        ]

    async def remove(self, user_id: str, token: str) -> bool:
        doc = await self.collection.find_one({"_id": token})
        if doc is None or doc["user_id"] != user_id:
            return False
        return bool((await self.collection.delete_one({"_id": token, "user_id": user_id})).deleted_count)

    async def prune(self, token: str) -> None:
        await self.collection.delete_one({"_id": token})


class MongoDailyCounts:
    """Slot n of a person's day on a channel is one spent key; taking a slot is inserting the first free one."""

    def __init__(self, db: AsyncDatabase) -> None:
        self.spent = SpentKeys(db)

    async def take(self, user_id: str, channel: Channel, day: date, cap: int) -> bool:
        for slot in range(1, cap + 1):
            if await self.spent.spend("notify-cap", f"{user_id}:{channel.value}:{day.isoformat()}:{slot}"):
                return True
        return False


class NotificationRecords:
    """Phone numbers, devices, preferences and the send log as personal data: exported, erased."""

    name = "notifications"

    def __init__(self, db: AsyncDatabase) -> None:
        self.db = db

    async def export(self, user_id: str) -> dict[str, Any]:
        phone = await self.db[PHONES].find_one({"_id": user_id})
        prefs = await self.db[PREFERENCES].find_one({"_id": user_id})
        devices = [
            {"platform": d["platform"], "token": d["_id"], "registeredAt": d["registered_at"].isoformat()}
            async for d in self.db[DEVICES].find({"user_id": user_id})
        ]
        sends = [
            {
                "kind": d["kind"],
                "channel": d["channel"],
                "status": d["status"],
                "providerId": d.get("provider_id"),
                "at": d["created_at"].isoformat(),
            }
            async for d in self.db[SENDS].find({"user_id": user_id}).sort("created_at", DESCENDING)
        ]
        return {
            "phoneNumber": phone["e164"] if phone else None,
            "preferences": prefs["channels"] if prefs else None,
            "devices": devices,
            "sent": sends,
        }

    async def erase(self, user_id: str) -> None:
        ids = [d["_id"] async for d in self.db[SENDS].find({"user_id": user_id}, {"_id": 1})]
        await Versioned(self.db[SENDS]).forget(ids)
        for name in (PHONES, CHALLENGES, PREFERENCES, "sms_second_factor"):
            await self.db[name].delete_one({"_id": user_id})
        await self.db["sms_sign_in_codes"].delete_many({"user_id": user_id})
        await self.db[DEVICES].delete_many({"user_id": user_id})
        await self.db[SENDS].delete_many({"user_id": user_id})


class MongoSignInCodes:
    """Whether a person signs in with SMS codes (`sms_second_factor`), and each challenge's latest code."""

    def __init__(self, db: AsyncDatabase) -> None:
        self.flags = db["sms_second_factor"]
        self.codes = db["sms_sign_in_codes"]

    async def enabled(self, user_id: str) -> bool:
        doc = await self.flags.find_one({"_id": user_id})
        return bool(doc and doc.get("enabled"))

    async def set_enabled(self, user_id: str, enabled: bool) -> None:
        await self.flags.replace_one({"_id": user_id}, {"enabled": enabled}, upsert=True)

    async def put(self, challenge_id: str, user_id: str, code_hash: str, expires_at: datetime) -> None:
        document = {"user_id": user_id, "code_hash": code_hash, "expires_at": expires_at}
        await self.codes.replace_one({"_id": challenge_id}, document, upsert=True)

    async def get(self, challenge_id: str) -> tuple[str, str, datetime] | None:
        doc = await self.codes.find_one({"_id": challenge_id})
        return None if doc is None else (doc["user_id"], doc["code_hash"], doc["expires_at"])
