"""The local Twilio and FCM servers (devstack/twilio_server.py, fcm_server.py) as stack services: nothing to
download; the FCM one gets a service-account key generated on install (the app reads the same file)."""

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx

from devstack.layout import Address, address_of
from devstack.service import Service
from migratio.settings import PROJECT_ROOT


def _project_env() -> Mapping[str, str]:
    """The servers run from their data directory; devstack is not an installed package, so point at it."""
    return {"PYTHONPATH": str(PROJECT_ROOT)}


def _healthy(address: Address) -> bool:
    try:
        return httpx.get(f"http://{address}/_fake/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


class TwilioService(Service):
    name = "twilio"
    startup_timeout_s = 20.0

    @property
    def address(self) -> Address:
        return address_of(self.settings.twilio_base_url, 443)

    def install(self) -> None:
        """Nothing to fetch: it ships with the project."""

    def argv(self) -> Sequence[str]:
        return [
            sys.executable, "-m", "devstack.twilio_server",
            "--host", self.address.host,
            "--port", str(self.address.port),
            "--account-sid", self.settings.twilio_account_sid,
            "--auth-token", self.settings.twilio_auth_token.get_secret_value(),
            "--from", self.settings.twilio_from_number,
        ]  # fmt: skip

    def env(self) -> Mapping[str, str]:
        return _project_env()

    def is_healthy(self) -> bool:
        return _healthy(self.address)


class FcmService(Service):
    name = "fcm"
    startup_timeout_s = 20.0

    @property
    def address(self) -> Address:
        return address_of(self.settings.fcm_base_url, 443)

    @property
    def credentials_file(self) -> Path:
        return self.settings.fcm_credentials_file or self.data_dir / "service-account.json"

    def install(self) -> None:
        """A service account of the settings' project whose tokens come from this server (kept across runs)."""
        from devstack.fcm_server import new_service_account  # not at import: `-m devstack.fcm_server` runs it

        token_uri = f"{self.settings.fcm_base_url.rstrip('/')}/token"
        path = self.credentials_file
        if path.exists():
            account = json.loads(path.read_text())
            if account.get("token_uri") == token_uri and account.get("project_id") == self.settings.fcm_project_id:
                return
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(new_service_account(self.settings.fcm_project_id, token_uri), indent=2))
        temporary.chmod(0o600)
        temporary.replace(path)

    def argv(self) -> Sequence[str]:
        return [
            sys.executable, "-m", "devstack.fcm_server",
            "--host", self.address.host,
            "--port", str(self.address.port),
            "--credentials", str(self.credentials_file),
        ]  # fmt: skip

    def env(self) -> Mapping[str, str]:
        return _project_env()

    def is_healthy(self) -> bool:
        return _healthy(self.address)
