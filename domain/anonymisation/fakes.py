"""Consistent fakes: each is derived from an HMAC of the original under a key made for one copy, so the same
person gets the same fake in every collection of that copy, and no other copy (or anyone without the key) can
link the fake back to the original."""

import hashlib
import hmac
from datetime import date, timedelta

FIRST_NAMES = (
    "Alex", "Sam", "Robin", "Jordan", "Taylor", "Casey", "Morgan", "Jamie", "Riley", "Avery",
    "Quinn", "Rowan", "Sasha", "Noor", "Kai", "Mika", "Ari", "Lee", "Dana", "Emery",
)  # fmt: skip
LAST_NAMES = (
    "Fischer", "Okafor", "Silva", "Novak", "Tanaka", "Haddad", "Larsen", "Moreau", "Kowalski", "Rossi",
    "Nguyen", "Petrov", "Mensah", "Ibrahim", "Costa", "Lindqvist", "Sato", "Dubois", "Reyes", "Varga",
)  # fmt: skip
MAX_BIRTH_SHIFT_DAYS = 365


class Fakes:
    """Fakes of one copy. Each kind is hashed apart, so an e-mail and a name with the same text differ."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def _digest(self, kind: str, value: str) -> bytes:
        return hmac.new(self._key, f"{kind}\x00{value}".encode(), hashlib.sha256).digest()

    def _number(self, kind: str, value: str) -> int:
        return int.from_bytes(self._digest(kind, value), "big")

    def pseudonym(self, value: str) -> str:
        """A 64-hex-digit stand-in for a secret or an outside id: unique, and useless where the original worked."""
        return self._digest("pseudonym", value).hex()

    def email(self, value: str) -> str:
        # Case-folded first: the same address typed differently is one person.
        return f"person-{self._digest('email', value.strip().lower()).hex()[:16]}@example.com"

    def name(self, value: str) -> str:
        n = self._number("name", value)
        fake = f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {LAST_NAMES[(n // len(FIRST_NAMES)) % len(LAST_NAMES)]}"
        return fake if fake != value else f"{fake}-{n % 1000:03d}"

    def phone(self, value: str) -> str:
        """E.164 under +999, a country code the ITU keeps unassigned: a staging SMS can reach no one."""
        return f"+999{self._number('phone', value) % 10**11:011d}"

    def ip(self, value: str) -> str:
        """Documentation ranges: TEST-NET-1 and -2 (192.0.2.0/24, 198.51.100.0/24) and 2001:db8::/32."""
        n = self._number("ip", value)
        if ":" in value:
            return f"2001:db8:{n % 65536:x}:{(n >> 16) % 65536:x}::{(n >> 32) % 65535 + 1:x}"
        return f"{('192.0.2', '198.51.100')[n % 2]}.{(n >> 1) % 254 + 1}"

    def birth_date(self, value: date) -> date:
        """Moved by 1 to 365 days either way: the age stays within a year of the real one, the day never does."""
        n = self._number("birth_date", value.isoformat())
        days = n % MAX_BIRTH_SHIFT_DAYS + 1
        return value + timedelta(days=days if (n >> 16) % 2 else -days)

    def passport_number(self, value: str) -> str:
        n = self._number("passport", value)
        letters = chr(ord("A") + n % 26) + chr(ord("A") + (n >> 5) % 26)
        return f"{letters}{(n >> 10) % 10**7:07d}"

    def outside_id(self, value: str) -> str:
        """A provider's id (`cus_…`, `sub_…`, `evt_…`): its prefix kept, the rest a pseudonym."""
        prefix, sep, _ = value.partition("_")
        return f"{prefix}_{self.pseudonym(value)[:24]}" if sep else self.pseudonym(value)[:24]
