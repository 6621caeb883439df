"""Analytics as personal data: the consent choice is exported; erasure removes it and every event stored
under the person's pseudonym, including the stitches to their earlier anonymous pseudonyms."""

from typing import Any

from datasources.analytics.consent import MongoConsentStore
from datasources.analytics.events import EventIndex
from domain.analytics.privacy import pseudonym


class AnalyticsRecords:
    name = "analytics"

    def __init__(self, consents: MongoConsentStore, index: EventIndex, key: bytes) -> None:
        self.consents = consents
        self.index = index
        self.key = key

    async def export(self, user_id: str) -> dict[str, Any]:
        record = await self.consents.get(user_id)
        return {
            "consent": record.analytics.value if record and record.analytics else None,
            "residenceCountry": record.country if record else None,
        }

    async def erase(self, user_id: str) -> None:
        await self.index.erase_actor(pseudonym(self.key, "user", user_id))
        await self.consents.forget(user_id)
