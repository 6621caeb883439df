"""`redirect_allowed`: which redirect URIs a sign-in may send the provider's code to."""

import pytest

from domain.users.oauth import redirect_allowed

ORIGINS = ("http://localhost:3000", "https://app.migratio.example")
SCHEMES = ("migratio",)


@pytest.mark.parametrize(
    "uri",
    [
        "http://localhost:3000/auth/callback",
        "https://app.migratio.example/auth/callback?from=settings",
        "HTTPS://APP.MIGRATIO.EXAMPLE/cb",
        "migratio://auth/callback",
        "migratio:/auth/callback",
    ],
)
def test_pages_of_allowed_origins_and_the_apps_scheme_are_allowed(uri: str) -> None:
    assert redirect_allowed(uri, ORIGINS, SCHEMES)


@pytest.mark.parametrize(
    "uri",
    [
        "http://app.migratio.example/cb",  # http where the origin is https
        "https://app.migratio.example:8443/cb",
        "https://app.migratio.example.evil.example/cb",
        "https://evil.example/?https://app.migratio.example",
        "https://user:pw@app.migratio.example/cb",
        "https://app.migratio.example/cb#token",
        "http://localhost:99999/cb",
        "javascript:alert(1)",
        "data:text/html,hi",
        "migratio:",
        "//app.migratio.example/cb",
        "",
    ],
)
def test_anything_else_is_refused(uri: str) -> None:
    assert not redirect_allowed(uri, ORIGINS, SCHEMES)
