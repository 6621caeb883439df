"""Stripe's own stripe-mock: the real API's OpenAPI spec and fixtures, no state; the Stripe client points at it."""

from collections.abc import Sequence

import httpx

from devstack.gotool import go_install
from devstack.layout import Address, address_of
from devstack.service import Service

PACKAGE = "github.com/stripe/stripe-mock"
VERSION = "v0.203.0"


class StripeMockService(Service):
    name = "stripe"
    startup_timeout_s = 30.0

    @property
    def address(self) -> Address:
        return address_of(self.settings.stripe_api_base, 12111)

    @property
    def wanted(self) -> bool:
        """Only when the settings point the Stripe client at a loopback address (never at Stripe itself)."""
        return self.address.host in ("127.0.0.1", "localhost")

    def install(self) -> None:
        self._binary()

    def _binary(self) -> str:
        return str(go_install(self.paths, PACKAGE, VERSION, log_file=self.log_file))

    def argv(self) -> Sequence[str]:
        return [self._binary(), "-http-addr", str(self.address)]

    def is_healthy(self) -> bool:
        try:
            response = httpx.get(
                f"http://{self.address}/v1/prices",
                headers={"Authorization": "Bearer sk_test_devstack"},
                timeout=1.0,
            )
        except httpx.HTTPError:
            return False
        return response.status_code == 200 and response.json().get("object") == "list"
