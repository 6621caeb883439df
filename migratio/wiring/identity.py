"""Wires the identity area: settings become IdentityConfig, and each port gets its concrete adapter."""

from functools import lru_cache

from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis

from datasources.background import BackgroundTasks
from datasources.clock import SystemClock
from datasources.crypto import Argon2PasswordHasher, FieldCipher, TotpAuthenticator
from datasources.mongo.repos.api_keys import MongoApiKeyRepository
from datasources.mongo.repos.assessments import AssessmentRecords
from datasources.mongo.repos.audit import AuditRecords, MongoAuditLog
from datasources.mongo.repos.identity_links import IdentityLinkRecords
from datasources.mongo.repos.notifications import NotificationRecords
from datasources.mongo.repos.roadmaps import RoadmapRecords
from datasources.mongo.repos.sessions import MongoSessionStore, SessionRecords
from datasources.mongo.repos.tickets import MongoTokenStore, TicketRecords
from datasources.mongo.repos.users import MongoUserRepository
from datasources.ratelimit import RedisRateLimiter
from datasources.storage import ObjectStore, UserFiles
from datasources.tokens import JwtTokenSigner, RedisTokenDenylist
from domain.users.ports import AccountNotices, SmsSecondFactor
from domain.users.service import Identity, IdentityConfig
from migratio.settings import Settings

BACKGROUND = BackgroundTasks()
"""One per process: mails sent after the answer, so timing does not tell whether an account exists."""


def identity_config(settings: Settings) -> IdentityConfig:
    return IdentityConfig(
        app_url=settings.app_url.rstrip("/"),
        access_ttl_s=settings.access_token_ttl_s,
        refresh_ttl_s=settings.refresh_token_ttl_s,
        verify_email_ttl_s=settings.email_verification_ttl_s,
        reset_password_ttl_s=settings.password_reset_ttl_s,
        mfa_challenge_ttl_s=settings.mfa_challenge_ttl_s,
        password_min_length=settings.password_min_length,
        failure_window_s=settings.rate_limit_window_s,
        login_failures_per_account=settings.login_failures_per_account,
        login_failures_per_ip=settings.login_failures_per_ip,
        reset_requests_per_account=settings.password_resets_per_account,
        reset_requests_per_ip=settings.password_resets_per_ip,
        registrations_per_ip=settings.registrations_per_ip,
        deletion_grace_s=settings.account_deletion_grace_s,
        photo_max_bytes=settings.photo_max_bytes,
        photo_content_types=tuple(settings.photo_content_types),
        upload_ttl_s=settings.upload_url_ttl_s,
        download_ttl_s=settings.download_url_ttl_s,
    )


def token_signer(settings: Settings) -> JwtTokenSigner:
    return JwtTokenSigner(
        {kid: key.get_secret_value() for kid, key in settings.jwt_keys.items()},
        settings.jwt_current_kid,
        algorithm=settings.jwt_algorithm,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
    )


def password_hasher(settings: Settings) -> Argon2PasswordHasher:
    """One per cost and cap, so the thread cap holds for the whole process (the API and its jobs)."""
    return _hasher(
        settings.argon2_time_cost,
        settings.argon2_memory_kib,
        settings.argon2_parallelism,
        settings.password_hash_concurrency,
    )


@lru_cache
def _hasher(time_cost: int, memory_kib: int, parallelism: int, concurrency: int) -> Argon2PasswordHasher:
    return Argon2PasswordHasher(time_cost, memory_kib, parallelism, concurrency)


def rate_limiter(settings: Settings, redis: Redis) -> RedisRateLimiter:
    return RedisRateLimiter(redis, settings.redis_key_prefix, settings.key_hashing_secret.get_secret_value().encode())


def field_cipher(settings: Settings) -> FieldCipher:
    return FieldCipher([key.get_secret_value() for key in settings.field_encryption_keys])


def build_identity(
    settings: Settings,
    db: AsyncDatabase,
    redis: Redis,
    store: ObjectStore,
    notices: AccountNotices,
    sms_factor: SmsSecondFactor | None = None,
) -> Identity:
    prefix = settings.redis_key_prefix
    return Identity(
        users=MongoUserRepository(db, field_cipher(settings)),
        sessions=MongoSessionStore(db),
        tickets=MongoTokenStore(db),
        denylist=RedisTokenDenylist(redis, prefix),
        hasher=password_hasher(settings),
        signer=token_signer(settings),
        authenticator=TotpAuthenticator(settings.mfa_issuer),
        notices=notices,
        clock=SystemClock(),
        limiter=rate_limiter(settings, redis),
        audit=MongoAuditLog(db),
        store=store,
        api_keys=MongoApiKeyRepository(db),
        background=BACKGROUND,
        personal_data=(
            SessionRecords(db),
            TicketRecords(db),
            AuditRecords(db),
            UserFiles(store),
            RoadmapRecords(db),
            AssessmentRecords(db),
            IdentityLinkRecords(db),
            NotificationRecords(db),
        ),
        config=identity_config(settings),
        sms_factor=sms_factor,
    )
