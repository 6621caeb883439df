"""Operator task: create at Stripe the prices of the plan catalog that are missing there (by lookup key)."""

from migratio.settings import Settings
from migratio.wiring.services import open_services


async def sync_prices(settings: Settings) -> list[str]:
    services = open_services(settings)
    try:
        return await services.billing.sync_prices()
    finally:
        await services.close()
