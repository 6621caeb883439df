"""The ASGI application: GraphQL (HTTP + websockets), liveness, readiness and metrics."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL

from datasources.cache import RedisCatalogCache
from datasources.persisted_queries import RedisPersistedQueryStore
from migratio.admin.migrations import apply_migrations
from migratio.code_version import fingerprint
from migratio.observability import RequestIdMiddleware, configure_logging
from migratio.settings import Settings, get_settings
from migratio.transport.analytics import HEADERS as ANALYTICS_HEADERS
from migratio.transport.analytics import AnalyticsCollector, OriginMiddleware, operation_analytics
from migratio.transport.errors import translate_infrastructure_error
from migratio.transport.graphiql import strawberry_graphiql
from migratio.transport.graphql_http import RequestCaps
from migratio.transport.graphql_view import MigratioGraphQL, ResponseExtensions, resolve_viewer
from migratio.transport.health_metrics import QueueDepthReading, ReadinessReading
from migratio.transport.metrics import Metrics, operation_names
from migratio.transport.oauth_callback import oauth_callback
from migratio.transport.persisted_queries import Allowlist, PersistedQueries, Registrations
from migratio.transport.protection import protection_extensions
from migratio.transport.readiness import Readiness
from migratio.transport.response_cache import PersonalResults, ResponseCache
from migratio.transport.stripe_webhooks import StripeWebhook
from migratio.transport.tracing import GraphQLTracing, OpenTelemetryMiddleware, carry_trace, configure_tracing
from migratio.transport.twilio_webhook import twilio_webhook
from migratio.wiring.services import Services, open_services
from resolvers.root import build_schema
from schema.errors import ErrorCodes

ANSWERING_CODE = ("migratio", "domain", "datasources", "schema", "resolvers")


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    tracing = configure_tracing(settings) is not None  # before the clients: the driver hooks must see them
    services: Services = open_services(settings)
    if tracing:
        services.job_queue.register_before_enqueue(carry_trace)  # a job's span joins its request's trace
    production = settings.environment == "production"
    allowlist = Allowlist.read(settings.graphql_allowlist_file) if settings.graphql_allowlist_file else None
    metrics = Metrics(
        allowlist.names if allowlist else operation_names(settings.client_operations_dir),
        token=settings.metrics_token.get_secret_value() if settings.metrics_token else None,
        public=not production,
    )
    schema = build_schema(
        [
            *([GraphQLTracing] if tracing else []),
            metrics.extension(),  # before ErrorCodes: it leaves last, so it counts the codes ErrorCodes gave
            operation_analytics(services.analytics.buffer, metrics.known_operations),  # likewise
            lambda: ErrorCodes(debug=settings.debug, translate=translate_infrastructure_error),
            lambda: ResponseExtensions(settings.expose_query_stats),
            *protection_extensions(settings),
        ],
        hide_suggestions=production,
    )
    graphiql = None if production else strawberry_graphiql(settings.graphiql_packages_dir)
    persisted_queries = PersistedQueries(
        RedisPersistedQueryStore(
            services.redis,
            settings.redis_key_prefix,
            settings.persisted_query_ttl_s,
            settings.key_hashing_secret.get_secret_value().encode(),
        ),
        Registrations(
            settings.persisted_query_max_bytes,
            settings.persisted_query_registrations_per_ip,
            settings.rate_limit_window_s,
        ),
        allowlist,
    )
    graphql = MigratioGraphQL(
        schema,
        services,
        graphql_ide=None if production else "graphiql",
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL),
        allowed_origins=settings.cors_origins,
        persisted_queries=persisted_queries,
        response_cache=ResponseCache(
            RedisCatalogCache(services.redis, namespace=settings.mongodb_db),
            persisted_queries,
            settings.graphql_get_max_age_s,
            PersonalResults(
                viewer=lambda authorization: resolve_viewer(services.identity, authorization, None),
                version=services.recommendations.version,
                code=fingerprint(ANSWERING_CODE),
                store=RedisCatalogCache(services.redis, settings.mongodb_db, settings.results_cache_ttl_s),
            ),
        ),
        get_max_age_s=settings.graphql_get_max_age_s,
        graphiql=graphiql,
        caps=RequestCaps(
            settings.graphql_max_body_bytes,
            settings.graphql_max_query_bytes,
            settings.graphql_max_json_depth,
            settings.graphql_max_ws_message_bytes,
        ),
    )

    async def healthz(_: Request) -> JSONResponse:
        return JSONResponse({"status": "alive"})

    readiness = Readiness(services.probes, settings.dependency_timeout_s)
    metrics.add_reading(ReadinessReading(readiness))
    metrics.add_reading(QueueDepthReading(services.job_queue, settings.dependency_timeout_s))

    async def readyz(_: Request) -> JSONResponse:
        ready, body = await readiness.check()
        return JSONResponse(body, status_code=200 if ready else 503)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if settings.migrate_on_start:
            await apply_migrations(services.db, services.settings)
        yield
        await services.close()

    app = Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics.endpoint),
            Route("/webhooks/stripe", StripeWebhook(settings, services.billing).handle, methods=["POST"]),
            Route("/webhooks/twilio", twilio_webhook(services.notification_area), methods=["POST"]),
            Route("/oauth/{provider}/callback", oauth_callback(services.oauth), methods=["POST"]),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            *([Route("/graphiql/{name:path}", graphiql.endpoint)] if graphiql else []),
        ],
        middleware=[
            *([Middleware(OpenTelemetryMiddleware)] if tracing else []),
            Middleware(RequestIdMiddleware),
            Middleware(OriginMiddleware),
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST"],
                allow_headers=[
                    "authorization",
                    "content-type",
                    "x-request-id",
                    "apollo-require-preflight",
                    "x-api-key",
                    *ANALYTICS_HEADERS,
                ],
                expose_headers=[
                    "x-request-id",
                    "retry-after",
                    "ratelimit-limit",
                    "ratelimit-remaining",
                    "ratelimit-reset",
                ],
            ),
        ],
        lifespan=lifespan,
    )
    app.state.services = services
    app.state.metrics = metrics
    metrics.registry.register(AnalyticsCollector(services.analytics.buffer))
    return app
