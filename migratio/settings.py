"""One settings class: every value comes from the environment (or `.env`), with local-stack defaults."""

import base64
import binascii
import os
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal, Self

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Development-only secrets so the local stack works out of the box; refused outside development and test.
_DEV_JWT_KEY = "dev-only-jwt-signing-key-not-for-production-0001"
_DEV_FIELD_KEY = "bUTwxwHhbtK2VI9MiBWxP3yXwLaDdS0aGaqd8fXWKsU="
_DEV_KEY_HASH_SECRET = "dev-only-key-hashing-secret-not-for-production-01"
_DEV_TWILIO_TOKEN = "dev-twilio-auth-token"  # the local Twilio's (devstack/twilio_server.py); public, so signs nothing
MIN_HMAC_KEY_BYTES = 32


class Environment(StrEnum):
    """Exactly these: a typo such as `Production` or `prod` refuses to start instead of running as development."""

    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class OAuthProviderSettings(BaseModel):
    """One OpenID Connect provider clients may sign in with; everything else comes from its discovery document."""

    name: str = Field(description="the id clients send (`google`, `microsoft`, …)")
    label: str = Field("", description="what a sign-in button says; the name when empty")
    issuer: str = Field(description="its issuer URL; /.well-known/openid-configuration is read below it")
    client_id: str
    client_secret: SecretStr = SecretStr("")
    scopes: list[str] = ["openid", "email", "profile"]
    response_mode: Literal["query", "form_post"] = Field(
        "query", description="form_post: the provider POSTs code and state to /oauth/<name>/callback (Apple)"
    )
    private_key: SecretStr = Field(
        SecretStr(""), description="PEM (EC P-256): the client secret becomes an ES256 JWT signed with it (Apple)"
    )
    key_id: str = Field("", description="with private_key: the key's id, sent as the JWT's `kid`")
    team_id: str = Field("", description="with private_key: the developer team id, the JWT's `iss`")

    @model_validator(mode="after")
    def _private_key_complete(self) -> Self:
        if self.private_key.get_secret_value() and not (self.key_id and self.team_id):
            raise ValueError(f"oauth provider {self.name}: private_key needs key_id and team_id")
        return self


class Settings(BaseSettings):
    """Defaults point at the embedded local stack; production sets the URLs to Atlas, OpenSearch, Redis, S3."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Environment = Field(Environment.DEVELOPMENT, description="development | test | production")
    debug: bool = False
    host: str = "127.0.0.1"
    port: int = 8000
    serve_processes: int | None = Field(
        None, ge=1, le=64, description="`serve`'s worker processes; default 1, the CPU count in production"
    )

    mongodb_url: str = "mongodb://127.0.0.1:27117/"
    mongodb_db: str = "migratio"
    redis_url: str = "redis://127.0.0.1:6390/0"
    opensearch_url: str = "http://127.0.0.1:9201"
    opensearch_index_prefix: str = "migratio"
    opensearch_transport_port: int = Field(9301, description="local stack only: node-to-node port")
    s3_endpoint_url: str | None = "http://127.0.0.1:9100"
    s3_region: str = "us-east-1"
    s3_bucket: str = "migratio"
    s3_access_key: str = "migratio"
    s3_secret_key: SecretStr = SecretStr("migratio-secret")
    smtp_url: str = "smtp://127.0.0.1:2526"
    mail_from: str = "Migratio <no-reply@migratio.local>"

    stack_dir: Path = PROJECT_ROOT / ".stack"
    ferretdb_backend: Literal["postgresql", "sqlite"] = Field(
        "postgresql", description="local stack only: where FerretDB stores documents (PostgreSQL pushes equality down)"
    )
    ferretdb_postgresql_url: str = Field(
        "postgres://migratio@127.0.0.1:5442/ferretdb",
        description="local stack only: the stack's own PostgreSQL cluster and the database FerretDB uses",
    )
    dependency_timeout_s: float = Field(2.0, description="connect/read timeout for every backing service")
    cors_origins: list[str] = Field(
        ["http://localhost:3000", "http://127.0.0.1:3000"],
        description="web apps allowed to call the API and open its websocket",
    )
    log_level: str = "INFO"
    migrate_on_start: bool = True
    expose_query_stats: bool = Field(
        False, description="add the Mongo command count to GraphQL extensions (tests; it leaks timing-like facts)"
    )
    redis_key_prefix: str = Field("migratio", description="namespace of every Redis key (rate limits, denylist)")

    # clients: GraphQL over HTTP, persisted queries, GraphiQL
    persisted_query_ttl_s: int = Field(30 * 86400, description="how long an unused persisted query stays in Redis")
    graphql_get_max_age_s: int = Field(60, description="shared-cache lifetime of an anonymous GET query's answer")
    results_cache_ttl_s: int = Field(
        600, description="how long a person's results, asked for by persisted GET, are kept for the next such GET"
    )
    graphiql_packages_dir: Path | None = Field(
        PROJECT_ROOT / "clients" / "node_modules",
        description="npm packages GraphiQL's files are served from; files missing there load from unpkg",
    )
    graphql_max_body_bytes: int = Field(256 * 1024, description="larger HTTP bodies are refused with 413")
    graphql_max_query_bytes: int = Field(64 * 1024, description="longer query texts are refused with 413")
    graphql_max_json_depth: int = Field(32, description="deeper-nested JSON bodies and messages are refused")
    graphql_max_ws_message_bytes: int = Field(64 * 1024, description="a larger websocket message closes it (1009)")
    persisted_query_max_bytes: int = Field(16 * 1024, description="longer queries run but are not persisted")
    persisted_query_registrations_per_ip: int = Field(
        100, description="persisted-query registrations per address per RATE_LIMIT_WINDOW_S; more run unstored"
    )
    graphql_allowlist_file: Path | None = Field(
        None, description="JSON written by `npm run allowlist` in clients/: when set, only those documents run"
    )
    client_operations_dir: Path | None = Field(
        PROJECT_ROOT / "clients" / "operations", description="the apps' operations: their names label metrics"
    )
    metrics_token: SecretStr | None = Field(
        None, description="bearer token the Prometheus scraper sends; without one /metrics is off in production"
    )

    # identity and access
    app_url: str = Field("http://localhost:3000", description="the web app; links in mails point here")
    jwt_keys: dict[str, SecretStr] = Field(
        default_factory=lambda: {"dev-1": SecretStr(_DEV_JWT_KEY)},
        description="kid -> HMAC secret (32+ bytes); any listed kid verifies, so keys rotate by adding one",
    )
    jwt_current_kid: str = Field("dev-1", description="the kid new tokens are signed with")
    key_hashing_secret: SecretStr = Field(
        SecretStr(_DEV_KEY_HASH_SECRET),
        description="HMAC secret (32+ bytes) naming Redis keys after personal data (e-mail, IP) without holding it",
    )
    jwt_algorithm: Literal["HS256", "HS384", "HS512"] = Field("HS256", description="the only algorithm accepted")
    jwt_issuer: str = "migratio"
    jwt_audience: str = "migratio-api"
    access_token_ttl_s: int = Field(900, description="access JWT lifetime; also how long a denylist entry lives")
    refresh_token_ttl_s: int = Field(30 * 86400, description="refresh token lifetime (each use rotates it)")
    email_verification_ttl_s: int = 86400
    password_reset_ttl_s: int = 3600
    mfa_challenge_ttl_s: int = Field(300, description="time to enter the TOTP code after the password")
    mfa_issuer: str = Field("Migratio", description="name authenticator apps show")
    password_min_length: int = 10
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    argon2_parallelism: int = 4
    password_hash_concurrency: int = Field(
        1,
        description="argon2 hashes computed at once, in worker threads off the event loop (each already runs "
        "ARGON2_PARALLELISM lanes in parallel); more wait their turn",
    )
    field_encryption_keys: list[SecretStr] = Field(
        default_factory=lambda: [SecretStr(_DEV_FIELD_KEY)],
        description="Fernet keys for fields encrypted at rest; the first encrypts, all decrypt (rotation)",
    )
    anonymised_copy_field_key: SecretStr | None = Field(
        None, description="Fernet key `anonymised-copy` re-encrypts the copy's sealed fields with (the staging key)"
    )
    rate_limit_window_s: int = Field(3600, description="window of the failure counters below")
    login_failures_per_account: int = 5
    login_failures_per_ip: int = 5
    password_resets_per_account: int = Field(5, description="reset (and verification) mails asked per window")
    password_resets_per_ip: int = 5
    registrations_per_ip: int = 20
    assessment_starts_per_ip: int = Field(
        30, description="anonymous startAssessment calls per address per window (each stores a document)"
    )
    assessment_starts_per_user: int = Field(100, description="startAssessment calls per signed-in person per window")
    graphql_max_depth: int = 10
    graphql_max_tokens: int = 2000
    graphql_max_aliases: int = 15
    graphql_max_fields: int = Field(
        2000, description="fields an operation selects once its fragments are expanded (lists not multiplied)"
    )
    graphql_max_cost: int = Field(
        2000,
        description="fields counted, lists multiplied by their page size; a results page of 20 programs with "
        "points breakdowns costs about 1,450",
    )
    account_deletion_grace_s: int = Field(30 * 86400, description="time between deleteMyAccount and the purge")
    # retention (domain/retention.py): what is strictly older than its period goes at RETENTION_CRON
    retention_anonymous_assessment_days: int = Field(
        30, description="an assessment nobody claimed is deleted this long after its last change"
    )
    retention_report_days: int = Field(30, description="a report and its PDF are deleted this long after it finished")
    retention_job_days: int = Field(30, description="a finished job record is deleted this long after its last change")
    retention_audit_days: int = Field(365, description="a security event is deleted this long after it happened")
    retention_cron: str = Field("0 4 * * *", description="when the worker purges records past their period (UTC)")
    photo_max_bytes: int = 5 * 1024 * 1024
    photo_content_types: list[str] = ["image/jpeg", "image/png", "image/webp"]
    upload_url_ttl_s: int = 900
    download_url_ttl_s: int = Field(3600, description="lifetime of presigned links (photos, data exports)")

    # social login (OpenID Connect; the local stack runs mock-oauth2-server on OIDC_MOCK_URL)
    oauth_providers: list[OAuthProviderSettings] = Field(
        default_factory=list, description="JSON list of providers; none by default (see the README's presets)"
    )
    oauth_web_origins: list[str] | None = Field(
        None, description="origins a web redirect URI may have; CORS_ORIGINS when unset"
    )
    oauth_app_schemes: list[str] = Field(["migratio"], description="custom URI schemes of the mobile apps")
    oauth_state_ttl_s: int = Field(600, description="time from startOAuthSignIn to completing it (single use)")
    oauth_metadata_ttl_s: int = Field(3600, description="how long a discovery document and its JWKS are cached")
    oauth_callback_base_url: str = Field(
        "http://127.0.0.1:8000", description="this API's public URL: form_post providers post to its /oauth/…/callback"
    )
    oidc_mock_url: str = Field("http://127.0.0.1:8089", description="local stack only: mock-oauth2-server")

    # roadmaps, documents, reports and the job queue
    job_queue: str = Field("migratio-jobs", description="saq queue name; the same for the API and its worker")
    job_attempts: int = Field(3, description="tries of a job before it is marked failed (backoff between)")
    job_timeout_s: int = Field(120, description="a job attempt running longer is cancelled and retried")
    worker_concurrency: int = 4
    job_heartbeat_s: float = Field(3.0, description="how often a worker records that it is still running a job")
    job_lease_s: float = Field(
        10.0, description="a running job silent this long (or a queued one missing from the queue) is recovered"
    )
    job_sweep_interval_s: float = Field(3.0, description="how often each worker looks for jobs to recover")
    reminder_days_ahead: int = Field(3, description="remind of unfinished tasks due within this many days")
    reminder_cron: str = Field("0 * * * *", description="when the worker looks for reminders to send (UTC)")

    # notifications: SMS (Twilio) and push (FCM) beside e-mail; the defaults are the local stack's servers
    twilio_account_sid: str = Field("AC00000000000000000000000000000000", description="Twilio account SID")
    twilio_auth_token: SecretStr = SecretStr(_DEV_TWILIO_TOKEN)
    twilio_from_number: str = Field("+15005550006", description="the E.164 number texts are sent from")
    twilio_base_url: str = Field("http://127.0.0.1:9471", description="https://api.twilio.com in production")
    twilio_webhook_url: str | None = Field(
        None, description="public URL of /webhooks/twilio: asked for status callbacks and checked in signatures"
    )
    fcm_project_id: str = "migratio-dev"
    fcm_base_url: str = Field("http://127.0.0.1:9472", description="https://fcm.googleapis.com in production")
    fcm_credentials_file: Path | None = Field(
        None, description="service-account JSON; unset: the local stack's generated one under STACK_DIR"
    )
    notification_daily_cap: int = Field(20, description="sends per person, channel and UTC day (account notices aside)")
    notification_pending_grace_s: float = Field(
        60.0, description="a send still queued this long (its process died before sending) is queued for the worker"
    )
    sms_per_number: int = Field(10, description="texts to one number per RATE_LIMIT_WINDOW_S")
    phone_code_ttl_s: int = Field(600, description="lifetime of a phone verification code")
    phone_codes_per_number: int = Field(5, description="verification codes sent to one number per RATE_LIMIT_WINDOW_S")
    document_max_bytes: int = 20 * 1024 * 1024
    document_content_types: list[str] = ["application/pdf", "image/jpeg", "image/png"]
    share_link_max_minutes: int = Field(7 * 24 * 60, description="longest a document share link may live")

    # tracing (OpenTelemetry; off by default)
    tracing_enabled: bool = Field(False, description="trace requests: ASGI, root fields, MongoDB and Redis commands")
    otel_exporter_otlp_endpoint: str | None = Field(
        None, description="OTLP/HTTP traces endpoint, e.g. http://collector:4318/v1/traces; unset: not exported"
    )
    otel_service_name: str = "migratio-api"

    # analytics (events on OpenSearch under OPENSEARCH_INDEX_PREFIX-events-YYYY.MM.DD)
    analytics_enabled: bool = Field(True, description="off: no event is buffered or sent")
    analytics_pseudonym_secret: SecretStr | None = Field(
        None,
        description="HMAC key turning user, visitor and session ids into pseudonyms (default: derived from "
        "KEY_HASHING_SECRET); changing it unlinks all earlier events",
    )
    analytics_retention_days: int = Field(395, description="raw events older than this are purged (13 months)")
    analytics_purge_cron: str = Field("30 3 * * *", description="when the worker drops days past the retention (UTC)")
    analytics_count_cron: str = Field(
        "15 0 * * *", description="when the worker counts ended days into `<prefix>-daily-counts` (UTC)"
    )
    analytics_flush_interval_s: float = Field(1.0, description="how often buffered events are sent in bulk")
    analytics_buffer_capacity: int = Field(10_000, description="events held per process; more are dropped, counted")
    analytics_batch_size: int = Field(500, description="events per bulk request")
    analytics_track_calls_per_caller: int = Field(
        120, description="trackEvents calls per person, visitor or address per RATE_LIMIT_WINDOW_S"
    )
    analytics_track_calls_per_address: int = Field(
        600, description="trackEvents calls per client address per RATE_LIMIT_WINDOW_S, whoever calls"
    )
    analytics_report_cache_s: float = Field(
        60.0, ge=0, description="a report asked again with the same arguments within this is answered from memory"
    )

    # billing (Stripe; the local stack runs stripe-mock on STRIPE_API_BASE)
    stripe_api_base: str = Field("http://127.0.0.1:12111", description="Stripe's API; https://api.stripe.com live")
    stripe_secret_key: SecretStr = Field(SecretStr("sk_test_devstack"), description="Stripe secret API key")
    stripe_webhook_secrets: list[SecretStr] = Field(
        default_factory=lambda: [SecretStr("whsec_devstack_webhook_secret")],
        description="signing secrets of /webhooks/stripe; any one verifies, so a secret rotates by adding one",
    )
    stripe_webhook_tolerance_s: int = Field(300, description="older signed timestamps are refused (replays)")
    billing_grace_days: int = Field(7, description="days a past_due subscription keeps its plan before Free")

    @property
    def processes(self) -> int:
        """How many processes `serve` runs."""
        if self.serve_processes is not None:
            return self.serve_processes
        return (os.cpu_count() or 1) if self.environment == Environment.PRODUCTION else 1

    @model_validator(mode="after")
    def _no_dev_secrets_in_production(self) -> Self:
        for key in self.field_encryption_keys:
            _check_fernet_key(key.get_secret_value())
        if self.anonymised_copy_field_key is not None:
            _check_fernet_key(self.anonymised_copy_field_key.get_secret_value())
        if self.environment not in (Environment.DEVELOPMENT, Environment.TEST):
            if any(key.get_secret_value() == _DEV_JWT_KEY for key in self.jwt_keys.values()):
                raise ValueError("set JWT_KEYS: the development signing key is not allowed in production")
            if short := [
                kid for kid, key in self.jwt_keys.items() if len(key.get_secret_value().encode()) < MIN_HMAC_KEY_BYTES
            ]:
                raise ValueError(f"JWT_KEYS {short}: an HMAC key needs {MIN_HMAC_KEY_BYTES}+ bytes in production")
            if any(key.get_secret_value() == _DEV_FIELD_KEY for key in self.field_encryption_keys):
                raise ValueError("set FIELD_ENCRYPTION_KEYS: the development key is not allowed in production")
            secret = self.key_hashing_secret.get_secret_value()
            if secret == _DEV_KEY_HASH_SECRET or len(secret.encode()) < MIN_HMAC_KEY_BYTES:
                raise ValueError(f"set KEY_HASHING_SECRET to {MIN_HMAC_KEY_BYTES}+ random bytes in production")
            if self.twilio_auth_token.get_secret_value() == _DEV_TWILIO_TOKEN:
                raise ValueError("set TWILIO_AUTH_TOKEN: the development token is not allowed in production")
            if self.fcm_credentials_file is None:
                raise ValueError(
                    "set FCM_CREDENTIALS_FILE: the local stack's generated key is not allowed in production"
                )
        if self.jwt_current_kid not in self.jwt_keys:
            raise ValueError("jwt_current_kid must be one of jwt_keys")
        return self


def _check_fernet_key(key: str) -> None:
    try:
        raw = base64.urlsafe_b64decode(key.encode())
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise ValueError("FIELD_ENCRYPTION_KEYS: each key must be 32 url-safe base64-encoded bytes (Fernet)")


@lru_cache
def get_settings() -> Settings:
    return Settings()
