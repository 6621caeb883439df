"""NAV's mock-oauth2-server (a real OpenID Connect provider for tests) from Maven Central, on the machine's JDK.

Every first path segment is an issuer of its own (`/<issuer>/.well-known/openid-configuration`), each with
its own signing key. Interactive login is on: a POST of `username` (the subject) and `claims` (JSON merged into
the tokens) to the authorization URL answers with the redirect carrying the code, so tests sign in over HTTP.
"""

import json
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path

from devstack.layout import Address, address_of
from devstack.maven import maven_install
from devstack.process import StackError
from devstack.service import Service

VERSION = "6.0.2"  # compiled for Java 17, the JDK OpenSearch runs on here
ARTIFACT = ("no.nav.security", "mock-oauth2-server", VERSION)
MAIN_CLASS = "no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt"
HEAP = "128m"
CONFIG = {"interactiveLogin": True, "httpServer": "NettyWrapper"}


class OidcService(Service):
    name = "oidc"
    startup_timeout_s = 60.0

    @property
    def address(self) -> Address:
        return address_of(self.settings.oidc_mock_url, 8089)

    @property
    def home(self) -> Path:
        return self.paths.cache / f"mock-oauth2-server-{VERSION}"

    def install(self) -> None:
        maven_install(
            self.home,
            VERSION,
            {"lib": [ARTIFACT]},
            m2=self.paths.cache / "m2",
            log_file=self.log_file,
            timeout_s=600,
            finish=_check_jar,
        )

    def argv(self) -> Sequence[str]:
        return ["java", f"-Xmx{HEAP}", "-XX:+UseSerialGC", "-cp", f"{self.home / 'lib'}/*", MAIN_CLASS]

    def env(self) -> Mapping[str, str]:
        return {
            "SERVER_HOSTNAME": self.address.host,
            "SERVER_PORT": str(self.address.port),
            "JSON_CONFIG": json.dumps(CONFIG),
        }

    def is_healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://{self.address}/isalive", timeout=2) as response:
                return bool(response.status == 200)
        except (OSError, ValueError, urllib.error.URLError):
            return False


def _check_jar(home: Path) -> None:
    if not any((home / "lib").glob("mock-oauth2-server-*.jar")):
        raise StackError("Maven did not produce mock-oauth2-server")
