"""`python -m tests.live_api`: the real API for the Node client tests (clients/), on a free loopback port.

Like a pytest module it gets a database, index prefix, bucket, Redis prefix and job queue of its own, with the
catalog seeded and a worker process on that queue; it prints one JSON line (url, stackDir, twilioUrl), serves until its
standard input closes or it is sent SIGTERM, then removes everything it made.
"""

import asyncio
import json
import signal
import sys
import tempfile
from pathlib import Path
from types import FrameType

from devstack import ensure_stack_running
from migratio.settings import OAuthProviderSettings, Settings
from migratio.wiring.services import open_services
from tests.isolation import remove_owned, run_resources, run_settings, seed_catalog
from tests.server import start_server, start_worker

ACCESS_TOKEN_TTL_S = 10
"""Short, so the client tests meet expired tokens and refresh them as the apps must."""


async def seed(settings: Settings) -> None:
    """The catalog in the run's database and index (tests.isolation.seed_catalog, with its own services)."""
    services = open_services(settings)
    try:
        await seed_catalog(services)
    finally:
        await services.close()


async def clean(settings: Settings) -> None:
    """Everything the run owns removed (tests.isolation.remove_owned; `run_resources` does it at its end too)."""
    await asyncio.to_thread(remove_owned, settings)


def local_oidc_provider(settings: Settings) -> OAuthProviderSettings:
    """The stack's OpenID Connect provider (mock-oauth2-server), an issuer of the client tests' own."""
    issuer = f"{settings.oidc_mock_url.rstrip('/')}/migratio-clients"
    return OAuthProviderSettings(name="devstack", label="Local provider", issuer=issuer, client_id="migratio-apps")


def _stop(_signal: int, _frame: FrameType | None) -> None:
    raise SystemExit(0)


def main() -> int:
    settings = run_settings("clients", access_token_ttl_s=ACCESS_TOKEN_TTL_S)
    settings = settings.model_copy(update={"oauth_providers": [local_oidc_provider(settings)]})
    ensure_stack_running(settings)
    signal.signal(signal.SIGTERM, _stop)
    with run_resources(settings), tempfile.TemporaryDirectory(prefix="migratio-clients-") as logs:
        asyncio.run(seed(settings))
        worker = start_worker(settings, Path(logs) / "worker.log")
        live = start_server(settings)
        try:
            answer = {"url": live.url, "stackDir": str(settings.stack_dir), "twilioUrl": settings.twilio_base_url}
            print(json.dumps(answer), flush=True)
            sys.stdin.read()
        finally:
            live.stop()
            worker.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
