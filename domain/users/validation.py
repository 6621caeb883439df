"""Input rules for accounts. Anything that could reach a Mongo query as an operator is refused here."""

import json
import re
from collections.abc import Mapping
from datetime import date

from domain.errors import BadUserInput
from domain.users.model import JsonValue

_EMAIL = re.compile(r"^[A-Za-z0-9.!#%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$")
_LOCALE = re.compile(r"^[a-z]{2,3}(?:-[A-Z]{2})?$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_PASSPORT = re.compile(r"^[A-Z0-9]{5,20}$")
_UI_MAX_BYTES = 4096
_UI_MAX_DEPTH = 5


def normalise_email(email: str, field: str = "email") -> str:
    """Trimmed and lower-cased; no `$` anywhere, so an operator spelled as an email never gets further."""
    if not isinstance(email, str):
        raise BadUserInput("email must be a string", field=field)
    value = email.strip().lower()
    if len(value) > 254 or not _EMAIL.fullmatch(value):
        raise BadUserInput("enter a valid email address", field=field)
    return value


def check_name(name: str) -> str:
    value = " ".join(name.split())
    if not 1 <= len(value) <= 100:
        raise BadUserInput("name must be 1 to 100 characters", field="name")
    return value


def check_locale(locale: str) -> str:
    if not _LOCALE.fullmatch(locale):
        raise BadUserInput("locale must look like 'en' or 'en-CA'", field="locale")
    return locale


def check_language(language: str) -> str:
    if not _LANGUAGE.fullmatch(language):
        raise BadUserInput("language must be an ISO 639 code such as 'en'", field="language")
    return language


def check_currency(currency: str) -> str:
    if not _CURRENCY.fullmatch(currency):
        raise BadUserInput("currency must be an ISO 4217 code such as 'CAD'", field="currency")
    return currency


def check_passport_number(number: str) -> str:
    value = number.replace(" ", "").upper()
    if not _PASSPORT.fullmatch(value):
        raise BadUserInput("passport number must be 5 to 20 letters or digits", field="passportNumber")
    return value


def check_date_of_birth(born: date, today: date) -> date:
    if not date(1900, 1, 1) <= born <= today:
        raise BadUserInput("date of birth must be between 1900-01-01 and today", field="dateOfBirth")
    return born


def check_ui_settings(value: object, field: str = "ui") -> dict[str, JsonValue]:
    """A small JSON object a client keeps for itself; keys that Mongo would read as operators are refused."""
    if not isinstance(value, Mapping):
        raise BadUserInput("must be a JSON object", field=field)
    _reject_operator_keys(value, field, depth=0)
    if len(json.dumps(value)) > _UI_MAX_BYTES:
        raise BadUserInput(f"must be at most {_UI_MAX_BYTES} bytes of JSON", field=field)
    return json.loads(json.dumps(value))  # type: ignore[no-any-return]


def _reject_operator_keys(value: object, field: str, depth: int) -> None:
    if depth > _UI_MAX_DEPTH:
        raise BadUserInput(f"must nest at most {_UI_MAX_DEPTH} levels", field=field)
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str) or key.startswith("$") or "." in key or "\x00" in key:
                raise BadUserInput("keys may not start with '$' or contain '.'", field=field)
            _reject_operator_keys(item, field, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _reject_operator_keys(item, field, depth + 1)
    elif not (value is None or isinstance(value, str | int | float | bool)):
        raise BadUserInput("must hold only JSON values", field=field)
