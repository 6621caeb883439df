"""What the identity area knows: accounts, sessions, one-time tickets, API keys and who is asking."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]


class Role(StrEnum):
    USER = "user"
    ADVISOR = "advisor"
    ANALYST = "analyst"  # reads the analytics reports, nothing else staff may do
    ADMIN = "admin"


class NotificationChannel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    PUSH = "push"


class AccountNotice(StrEnum):
    """What the identity area tells a person, through the notification area (its kinds of the same names)."""

    VERIFICATION = "verification"  # e-mail only, always
    PASSWORD_RESET = "password_reset"  # e-mail only, always
    SECURITY_ALERT = "security_alert"  # the person's channels for it; never none


class Scope(StrEnum):
    """What a server-to-server API key may do; keys never act as a person."""

    USERS_READ = "users:read"
    CATALOG_WRITE = "catalog:write"


class TicketPurpose(StrEnum):
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"
    MFA_CHALLENGE = "mfa_challenge"
    CANCEL_DELETION = "cancel_deletion"
    CONFIRM_DELETION = "confirm_deletion"


class AuditKind(StrEnum):
    REGISTERED = "registered"
    EMAIL_VERIFIED = "email_verified"
    LOGIN_SUCCEEDED = "login_succeeded"
    LOGIN_FAILED = "login_failed"
    LOGIN_RATE_LIMITED = "login_rate_limited"
    REFRESH_TOKEN_REUSED = "refresh_token_reused"
    LOGGED_OUT = "logged_out"
    SESSION_REVOKED = "session_revoked"
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET_REQUESTED = "password_reset_requested"
    PASSWORD_RESET = "password_reset"
    MFA_ENABLED = "mfa_enabled"
    MFA_DISABLED = "mfa_disabled"
    RECOVERY_CODE_USED = "recovery_code_used"
    ROLE_CHANGED = "role_changed"
    ADVISOR_ASSIGNED = "advisor_assigned"
    API_KEY_CREATED = "api_key_created"
    API_KEY_REVOKED = "api_key_revoked"
    DATA_EXPORTED = "data_exported"
    DELETION_SCHEDULED = "deletion_scheduled"
    DELETION_CANCELLED = "deletion_cancelled"
    ACCOUNT_PURGED = "account_purged"
    OAUTH_SIGNED_IN = "oauth_signed_in"
    OAUTH_REFUSED = "oauth_refused"
    IDENTITY_LINKED = "identity_linked"
    IDENTITY_UNLINKED = "identity_unlinked"


@dataclass(frozen=True, slots=True)
class Preferences:
    language: str = "en"
    notification_channels: tuple[NotificationChannel, ...] = (NotificationChannel.EMAIL,)
    currency: str = "USD"
    ui: Mapping[str, JsonValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Mfa:
    """TOTP state: `pending_secret` between enrolment and confirmation, `secret` once enabled."""

    secret: str | None = None
    pending_secret: str | None = None
    recovery_code_hashes: tuple[str, ...] = ()
    last_step: int = 0

    @property
    def enabled(self) -> bool:
        return self.secret is not None


@dataclass(frozen=True, slots=True)
class User:
    id: str
    email: str
    name: str
    locale: str
    password_hash: str
    created_at: datetime
    role: Role = Role.USER
    email_verified_at: datetime | None = None
    date_of_birth: date | None = None
    passport_number: str | None = None
    photo_key: str | None = None
    preferences: Preferences = field(default_factory=Preferences)
    mfa: Mfa = field(default_factory=Mfa)
    advisor_id: str | None = None
    deletion_requested_at: datetime | None = None
    purge_after: datetime | None = None


@dataclass(frozen=True, slots=True)
class RefreshSession:
    """One refresh token; tokens rotated from one login share a `family_id`, which is the session's id."""

    id: str
    user_id: str
    family_id: str
    token_hash: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    revoked_at: datetime | None = None
    ip: str | None = None
    user_agent: str | None = None


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: str
    role: Role
    session_id: str
    token_id: str
    issued_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Ticket:
    """A signed, expiring, single-use proof sent by mail (or held between login steps)."""

    purpose: TicketPurpose
    user_id: str
    ticket_id: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class ApiKey:
    id: str
    name: str
    prefix: str
    key_hash: str
    scopes: tuple[Scope, ...]
    created_by: str
    created_at: datetime
    revoked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class AuditEvent:
    kind: AuditKind
    at: datetime
    user_id: str | None = None
    ip: str | None = None
    details: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RequestMeta:
    """Where a request came from, for rate limits and the audit trail."""

    ip: str = "unknown"
    user_agent: str | None = None


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is asking: a signed-in person, a server holding an API key, or nobody (with the reason)."""

    user_id: str | None = None
    role: Role | None = None
    session_id: str | None = None
    token_id: str | None = None
    token_expires_at: datetime | None = None
    api_key_id: str | None = None
    scopes: frozenset[Scope] = frozenset()
    auth_error: str | None = None

    @property
    def is_user(self) -> bool:
        return self.user_id is not None

    def has_role(self, *roles: Role) -> bool:
        return self.role is not None and self.role in roles

    def has_scope(self, scope: Scope) -> bool:
        return self.api_key_id is not None and scope in self.scopes


ANONYMOUS = Viewer()


@dataclass(frozen=True, slots=True)
class StoredObject:
    key: str
    size: int
    content_type: str | None


@dataclass(frozen=True, slots=True)
class PresignedPost:
    url: str
    fields: Mapping[str, str]
    key: str
    expires_at: datetime
    max_bytes: int
