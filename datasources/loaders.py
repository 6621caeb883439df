"""Per-request dataloaders: each batches one `$in` query per tick and returns results in key order."""

from dataclasses import dataclass

from motor.motor_asyncio import AsyncIOMotorDatabase


@dataclass
class Loaders:
    db: AsyncIOMotorDatabase

    @classmethod
    def for_request(cls, db: AsyncIOMotorDatabase) -> "Loaders":
        return cls(db=db)
