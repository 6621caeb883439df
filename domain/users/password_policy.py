"""Password rules: long enough, not absurdly long, and not one of the passwords everybody tries first."""

from functools import lru_cache
from importlib import resources

MAX_LENGTH = 256


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The bundled list (see the header of common_passwords.txt for its source), lower-cased."""
    text = resources.files("domain.users").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def password_problem(password: str, *, min_length: int, email: str = "", name: str = "") -> str | None:
    """Why a password is refused, or None when it is acceptable (NIST SP 800-63B §5.1.1.2)."""
    if len(password) < min_length:
        return f"password must be at least {min_length} characters"
    if len(password) > MAX_LENGTH:
        return f"password must be at most {MAX_LENGTH} characters"
    lowered = password.lower()
    if lowered in common_passwords():
        return "this password is too common; choose another"
    if len(set(lowered)) < 4:
        return "password must use more than a few distinct characters"
    personal = {email.lower(), email.split("@")[0].lower(), "".join(name.lower().split())} - {""}
    if "".join(lowered.split()) in personal:
        return "password must not be your email address or name"
    return None
