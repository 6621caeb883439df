"""Wires social sign-in: each configured provider through Authlib, pending sign-ins in Redis, links in Mongo."""

from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis

from datasources.mongo.repos.identity_links import MongoIdentityLinks
from datasources.oauth_state import RedisPendingLinks, RedisPendingSignIns
from datasources.oidc import AuthlibOidcClient, ProviderConfig
from domain.users.oauth import OAuth, OAuthConfig, Provider
from domain.users.service import Identity
from migratio.settings import Settings


def oauth_config(settings: Settings) -> OAuthConfig:
    origins = settings.oauth_web_origins if settings.oauth_web_origins is not None else settings.cors_origins
    return OAuthConfig(
        providers=tuple(Provider(p.name, p.label or p.name) for p in settings.oauth_providers),
        web_origins=tuple(origins),
        app_schemes=tuple(settings.oauth_app_schemes),
        state_ttl_s=settings.oauth_state_ttl_s,
    )


def build_oauth(settings: Settings, identity: Identity, db: AsyncDatabase, redis: Redis) -> OAuth:
    providers = [
        ProviderConfig(p.name, p.issuer, p.client_id, p.client_secret.get_secret_value(), tuple(p.scopes))
        for p in settings.oauth_providers
    ]
    return OAuth(
        identity=identity,
        client=AuthlibOidcClient(providers, settings.dependency_timeout_s * 5, settings.oauth_metadata_ttl_s),
        pending=RedisPendingSignIns(redis, settings.redis_key_prefix),
        links=MongoIdentityLinks(db),
        pending_links=RedisPendingLinks(redis, settings.redis_key_prefix),
        config=oauth_config(settings),
    )
