"""Wires social sign-in: each configured provider through Authlib, pending sign-ins in Redis, links in Mongo."""

from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis

from datasources.mongo.repos.identity_links import MongoIdentityLinks
from datasources.oauth_state import RedisPendingLinks, RedisPendingSignIns
from datasources.oidc import AuthlibOidcClient, ProviderConfig, SigningKey
from domain.users.oauth import OAuth, OAuthConfig, Provider
from domain.users.service import Identity
from migratio.settings import Settings


def oauth_config(settings: Settings) -> OAuthConfig:
    origins = settings.oauth_web_origins if settings.oauth_web_origins is not None else settings.cors_origins
    return OAuthConfig(
        providers=tuple(
            Provider(
                p.name, p.label or p.name, callback_uri(settings, p.name) if p.response_mode == "form_post" else None
            )
            for p in settings.oauth_providers
        ),
        web_origins=tuple(origins),
        app_schemes=tuple(settings.oauth_app_schemes),
        state_ttl_s=settings.oauth_state_ttl_s,
    )


def callback_uri(settings: Settings, provider: str) -> str:
    """Where a form_post provider posts the code (`migratio/transport/oauth_callback.py` serves it)."""
    return f"{settings.oauth_callback_base_url.rstrip('/')}/oauth/{provider}/callback"


def build_oauth(settings: Settings, identity: Identity, db: AsyncDatabase, redis: Redis) -> OAuth:
    providers = [
        ProviderConfig(
            p.name,
            p.issuer,
            p.client_id,
            p.client_secret.get_secret_value(),
            tuple(p.scopes),
            form_post=p.response_mode == "form_post",
            signing_key=SigningKey(p.private_key.get_secret_value(), p.key_id, p.team_id)
            if p.private_key.get_secret_value()
            else None,
        )
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
