"""The composition root's container: one instance of each adapter per process, opened and closed once."""

import contextlib
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from opensearchpy import AsyncOpenSearch
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis
from redis.exceptions import RedisError
from saq import Queue

from datasources import jobs, mail, probes, pubsub, redis, search, storage
from datasources.cache import RedisCatalogCache
from datasources.loaders import Loaders
from datasources.mongo import client as mongo
from datasources.mongo.monitoring import CommandCounter
from datasources.mongo.repos.programs import CountryRepository, ProgramRepository
from datasources.notification_people import AccountNoticesSent
from domain.analytics.service import Insights, Tracking
from domain.assessment.service import Assessments
from domain.billing.service import Billing
from domain.documents.service import Documents
from domain.health import DependencyProbe
from domain.jobs.service import JobTracker
from domain.notifications.phones import PhoneVerification
from domain.notifications.service import Notifications
from domain.programs.service import Catalog
from domain.recommendations.service import Recommendations
from domain.roadmaps.reporting import Reports
from domain.roadmaps.service import Roadmaps
from domain.users.oauth import OAuth
from domain.users.service import Identity
from migratio.settings import Settings
from migratio.wiring.analytics import AnalyticsArea, build_analytics, report_events_to
from migratio.wiring.assessments import build_assessments, build_recommendations
from migratio.wiring.billing import build_billing, with_billing_records
from migratio.wiring.identity import BACKGROUND, build_identity
from migratio.wiring.notifications import NotificationArea, build_notifications
from migratio.wiring.oauth import build_oauth
from migratio.wiring.roadmaps import build_roadmap_area


@dataclass
class Services:
    settings: Settings
    mongo: AsyncMongoClient
    db: AsyncDatabase
    redis: Redis
    search: AsyncOpenSearch
    store: storage.ObjectStore
    mailer: mail.Mailer
    commands: CommandCounter
    catalog: Catalog
    identity: Identity
    fanout: pubsub.Fanout  # the process's one pub/sub connection, shared by every subscription
    assessments: Assessments
    recommendations: Recommendations
    billing: Billing
    roadmaps: Roadmaps
    documents: Documents
    reports: Reports
    jobs: JobTracker
    notification_area: NotificationArea = field(init=False)
    job_queue: Queue
    oauth: OAuth
    probes: list[DependencyProbe] = field(default_factory=list)
    analytics: AnalyticsArea = field(init=False)

    @property
    def tracking(self) -> Tracking:
        return self.analytics.tracking

    @property
    def insights(self) -> Insights:
        return self.analytics.insights

    @property
    def dependency_timeout_s(self) -> float:
        return self.settings.dependency_timeout_s

    @property
    def notifications(self) -> Notifications:
        return self.notification_area.notifications

    @property
    def phone_verification(self) -> PhoneVerification:
        return self.notification_area.phones

    def request_loaders(self) -> Loaders:
        """Fresh loaders: each request (and each subscription event) caches only what it read itself."""
        return Loaders.for_request(
            self.recommendations.programs,  # the decoded catalog, from its cache: no Mongo read per program
            self.recommendations.countries,  # the same for countries
            self.catalog,
            self.assessments,
            self.jobs,
            self.recommendations,
            self.billing,
        )

    async def close(self) -> None:
        await self.analytics.buffer.close(self.settings.dependency_timeout_s)  # events of the last second
        await BACKGROUND.drain(self.settings.dependency_timeout_s * 2)  # mails started before the shutdown
        await self.mongo.close()
        await self.redis.aclose()
        await self.fanout.close()
        await self.search.close()
        with contextlib.suppress(RedisError):  # saq unsubscribes on the way out, which fails while Redis is down
            await self.job_queue.disconnect()


def open_services(settings: Settings) -> Services:
    timeout = settings.dependency_timeout_s
    commands = CommandCounter()
    mongo_client = mongo.connect(settings.mongodb_url, timeout, commands)
    s3: Any = storage.connect(
        settings.s3_endpoint_url,
        settings.s3_region,
        settings.s3_access_key,
        settings.s3_secret_key.get_secret_value(),
        timeout,
    )
    db = mongo.database(mongo_client, settings.mongodb_db)
    redis_client = redis.connect(settings.redis_url, timeout, f"{settings.redis_key_prefix}:api")
    fanout = pubsub.Fanout(
        pubsub.connect_subscriber(settings.redis_url, timeout, f"{settings.redis_key_prefix}:pubsub"), timeout
    )
    search_client = search.connect(settings.opensearch_url, timeout)
    store = storage.ObjectStore(s3, settings.s3_bucket)
    mailer = mail.Mailer(settings.smtp_url, settings.mail_from, timeout)
    job_queue = jobs.connect_queue(settings.redis_url, settings.job_queue, timeout)
    notification_area = build_notifications(settings, db, redis_client, mailer, job_queue)
    notices = AccountNoticesSent(notification_area.notifications)
    identity = build_identity(settings, db, redis_client, store, notices, sms_factor=notification_area.sms_factor)
    area = build_roadmap_area(settings, db, store, redis_client, fanout, mailer, job_queue)
    billing = build_billing(settings, db, mailer, notification_area.notifications)
    services = Services(
        settings=settings,
        mongo=mongo_client,
        db=db,
        redis=redis_client,
        search=search_client,
        store=store,
        mailer=mailer,
        identity=identity,
        oauth=build_oauth(settings, identity, db, redis_client),
        fanout=fanout,
        assessments=build_assessments(settings, db, redis_client, fanout),
        recommendations=build_recommendations(settings, db, redis_client),
        roadmaps=replace(area.roadmaps, allowance=billing),  # the plan's number of roadmaps
        documents=replace(area.documents, allowance=billing),  # the plan's storage and advisor review
        reports=replace(area.reports, allowance=billing),  # the plan's monthly report quota
        billing=billing,
        jobs=area.jobs,
        job_queue=job_queue,
        commands=commands,
        catalog=Catalog(
            programs=ProgramRepository(db),
            countries=CountryRepository(db),
            index=search.ProgramSearchIndex(search_client, settings.opensearch_index_prefix),
            cache=RedisCatalogCache(redis_client, namespace=settings.mongodb_db),
            clock=lambda: datetime.now(UTC),
        ),
    )
    services.notification_area = notification_area
    services.probes = [
        probes.MongoProbe(services.mongo),
        probes.RedisProbe(services.redis),
        probes.OpenSearchProbe(services.search),
        probes.S3Probe(services.store),
        probes.SmtpProbe(services.mailer),
    ]
    services.analytics = build_analytics(settings, db, search_client, redis_client)
    report_events_to(services, services.analytics)
    services.identity = with_billing_records(services.identity, billing)  # export and erasure cover billing
    return services
