"""Applies the rules of rules.py to one document: pure, given the copy's fakes and the two field ciphers."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import cache
from typing import Any, Protocol

from domain.anonymisation.fakes import Fakes
from domain.anonymisation.rules import (
    COLLECTIONS,
    REDACTED,
    REVISIONS_SUFFIX,
    UNUSABLE_PASSWORD_HASH,
    Action,
)

Path = tuple[str, ...]
Rules = tuple[tuple[Path, Action], ...]


class Cipher(Protocol):
    def encrypt(self, value: str) -> str: ...

    def decrypt(self, token: str) -> str: ...


class NoRule(ValueError):
    """The copy would hold something no rule covers: nothing is copied."""


@cache
def rules_for(collection: str) -> Rules | None:
    """A collection's rules as (pattern, action); a claims collection's are its collection's."""
    table = COLLECTIONS.get(collection.removesuffix(REVISIONS_SUFFIX) if collection not in COLLECTIONS else collection)
    return None if table is None else tuple((tuple(pattern.split(".")), action) for pattern, action in table.items())


def unruled(collections: Iterable[str]) -> list[str]:
    """The collections a copy would refuse (MongoDB's own `system.*` are never copied)."""
    return sorted(name for name in collections if not name.startswith("system.") and rules_for(name) is None)


def _matches(pattern: Path, path: Path) -> bool:
    return len(pattern) <= len(path) and all(p in ("*", key) for p, key in zip(pattern, path, strict=False))


def _best(rules: Rules, path: Path) -> tuple[Path, Action] | None:
    found = [(pattern, action) for pattern, action in rules if _matches(pattern, path)]
    if not found:
        return None
    return max(found, key=lambda item: (len(item[0]), -item[0].count("*")))


def _dropped(value: Any) -> Any:
    return {} if isinstance(value, Mapping) else [] if isinstance(value, list) else None


class Anonymiser:
    """One copy's transformation: `fakes` keyed for this copy; field-cipher text opened with `source` and
    sealed with `target`."""

    def __init__(self, fakes: Fakes, source: Cipher, target: Cipher) -> None:
        self.fakes = fakes
        self.source = source
        self.target = target

    def document(self, collection: str, doc: Mapping[str, Any]) -> dict[str, Any]:
        rules = rules_for(collection)
        if rules is None:
            raise NoRule(f"no anonymisation rule for the collection {collection}")
        if collection in COLLECTIONS:
            return dict(self._walk(collection, rules, doc, ()))
        return self._claim(collection, rules, doc)

    def _claim(self, collection: str, rules: Rules, claim: Mapping[str, Any]) -> dict[str, Any]:
        unknown = set(claim) - {"_id", "doc", "set", "at"}
        if unknown:
            raise NoRule(f"{collection}: no rule for {sorted(unknown)}")
        doc_id, _, revision = str(claim["_id"]).rpartition(":")
        new_id = self._walk(collection, rules, doc_id, ("_id",))
        return {
            "_id": f"{new_id}:{revision}",
            "doc": self._walk(collection, rules, claim["doc"], ("_id",)),
            "set": [
                {
                    "path": item["path"],
                    "value": self._walk(collection, rules, item["value"], tuple(item["path"].split("."))),
                }
                for item in claim["set"]
            ],
            "at": claim["at"],
        }

    def _walk(self, collection: str, rules: Rules, value: Any, path: Path) -> Any:
        best = _best(rules, path) if path else None
        if best is not None and best[1] == Action.DROP and len(best[0]) == len(path):
            return _dropped(value)
        if isinstance(value, Mapping):
            return {key: self._walk(collection, rules, item, (*path, key)) for key, item in value.items()}
        if isinstance(value, list):
            return [self._walk(collection, rules, item, path) for item in value]
        if best is None:
            raise NoRule(f"{collection}: no rule for the field {'.'.join(path)}")
        return None if value is None else self._leaf(best[1], value)

    def _leaf(self, action: Action, value: Any) -> Any:
        fakes = self.fakes
        match action:
            case Action.KEEP:
                return value
            case Action.DROP:
                return None
            case Action.REDACT:
                return REDACTED
            case Action.UNUSABLE_PASSWORD:
                return UNUSABLE_PASSWORD_HASH
            case Action.BIRTH_DATE:
                return _birth_date(fakes, value)
            case Action.SEALED_BIRTH_DATE:
                return self.target.encrypt(_birth_date(fakes, self.source.decrypt(value)))
            case Action.SEALED_PASSPORT:
                return self.target.encrypt(fakes.passport_number(self.source.decrypt(value)))
            case Action.OUTSIDE_ID:
                return fakes.outside_id(value) if isinstance(value, str) else value
            case Action.PSEUDONYM_AFTER_KIND:
                kind, _, rest = str(value).partition(":")
                return f"{kind}:{fakes.pseudonym(rest)}"
            case Action.ADDRESS:
                return _address(fakes, str(value))
        fake = {
            Action.EMAIL: fakes.email,
            Action.NAME: fakes.name,
            Action.PHONE: fakes.phone,
            Action.IP: fakes.ip,
            Action.PSEUDONYM: fakes.pseudonym,
        }
        return fake[action](str(value))


def _birth_date(fakes: Fakes, value: Any) -> Any:
    if isinstance(value, datetime):
        return datetime.combine(fakes.birth_date(value.date()), value.timetz())
    if isinstance(value, date):
        return fakes.birth_date(value)
    text = str(value)
    return fakes.birth_date(date.fromisoformat(text[:10])).isoformat() + text[10:]


def _address(fakes: Fakes, value: str) -> str:
    if "@" in value:
        return fakes.email(value)
    if value.startswith("+"):
        return fakes.phone(value)
    return fakes.pseudonym(value)
