"""Production fails closed: an unknown environment name, a development key or a short key refuses to start."""

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from pydantic import ValidationError

from migratio.settings import PROJECT_ROOT, Environment, Settings

STRONG_JWT = {"p1": "a-production-signing-key-of-at-least-32-bytes!"}
STRONG_HASHING = "a-production-key-hashing-secret-of-32-bytes!!"


def _production(**overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": "production",
        "jwt_keys": STRONG_JWT,
        "jwt_current_kid": "p1",
        "field_encryption_keys": [Fernet.generate_key().decode()],
        "key_hashing_secret": STRONG_HASHING,
        "twilio_auth_token": "a-production-twilio-auth-token",
        "fcm_credentials_file": "/run/secrets/fcm-service-account.json",
    }
    return Settings(**{**values, **overrides})  # type: ignore[arg-type]


def test_production_with_its_own_keys_starts() -> None:
    assert _production().environment is Environment.PRODUCTION


@pytest.mark.parametrize("name", ["Production", "PRODUCTION", "prod", "staging", "live", "", "production "])
def test_an_environment_name_outside_the_three_refuses_to_start(name: str) -> None:
    with pytest.raises(ValidationError, match="development', 'test' or 'production'"):
        _production(environment=name)


def test_production_refuses_the_development_jwt_key() -> None:
    dev_key = Settings(environment="development").jwt_keys["dev-1"]
    with pytest.raises(ValidationError, match="development signing key"):
        _production(jwt_keys={"p1": STRONG_JWT["p1"], "dev-1": dev_key.get_secret_value()})


@pytest.mark.parametrize("key", ["secret", "x" * 31])
def test_production_refuses_an_hmac_key_under_32_bytes(key: str) -> None:
    with pytest.raises(ValidationError, match=r"JWT_KEYS \['p1'\]: an HMAC key needs 32\+ bytes"):
        _production(jwt_keys={"p1": key})


def test_production_refuses_the_development_field_key() -> None:
    dev_key = Settings(environment="development").field_encryption_keys[0].get_secret_value()
    with pytest.raises(ValidationError, match="FIELD_ENCRYPTION_KEYS: the development key"):
        _production(field_encryption_keys=[Fernet.generate_key().decode(), dev_key])


@pytest.mark.parametrize("key", ["short", "bm90LWEtZmVybmV0LWtleQ==", "!" * 44])
def test_a_malformed_field_key_refuses_to_start_in_every_environment(key: str) -> None:
    for environment in ("development", "production"):
        with pytest.raises(ValidationError, match="32 url-safe base64-encoded bytes"):
            _production(environment=environment, field_encryption_keys=[key])


@pytest.mark.parametrize("secret", [None, "too-short"])
def test_production_refuses_a_development_or_short_key_hashing_secret(secret: str | None) -> None:
    chosen = Settings(environment="development").key_hashing_secret.get_secret_value() if secret is None else secret
    with pytest.raises(ValidationError, match="KEY_HASHING_SECRET"):
        _production(key_hashing_secret=chosen)


def test_production_refuses_the_development_twilio_token() -> None:
    dev_token = Settings(environment="development").twilio_auth_token.get_secret_value()
    with pytest.raises(ValidationError, match="set TWILIO_AUTH_TOKEN: the development token"):
        _production(twilio_auth_token=dev_token)


def test_production_refuses_the_local_stacks_fcm_key() -> None:
    """Unset, the app reads the service account the local stack generated (its private key is no secret)."""
    with pytest.raises(ValidationError, match="set FCM_CREDENTIALS_FILE"):
        _production(fcm_credentials_file=None)


def test_development_and_test_keep_working_with_the_development_keys() -> None:
    for environment in ("development", "test"):
        assert Settings(environment=environment).environment == environment


@pytest.mark.parametrize("name", ["prod", "staging"])
def test_the_server_process_exits_on_a_misnamed_environment(name: str) -> None:
    """What an operator sees: `serve` stops at once and says which values are allowed."""
    env = {**os.environ, "ENVIRONMENT": name, "MIGRATE_ON_START": "false"}
    done = subprocess.run(
        [sys.executable, "-m", "migratio.entrypoints.cli", "serve"],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "Input should be 'development', 'test' or 'production'" in done.stderr
