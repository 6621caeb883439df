"""Wires the notification area for the settings' database and key prefix: the API builds it to queue sends and
answer Twilio's webhooks, the worker to deliver them."""

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis
from saq import Queue

from datasources.fcm_push import FcmPush
from datasources.mail import Mailer
from datasources.mongo.atomic import SpentKeys
from datasources.mongo.repos.notifications import (
    MongoDailyCounts,
    MongoDeviceRegistry,
    MongoOptOuts,
    MongoPhoneBook,
    MongoPreferenceStore,
    MongoSendLog,
    MongoSignInCodes,
)
from datasources.mongo.repos.users import MongoUserRepository
from datasources.notification_jobs import SaqDeliveryQueue
from datasources.notification_people import NotificationRecipients
from datasources.phones import PhoneNumberParser
from datasources.ratelimit import RedisRateLimiter
from datasources.twilio_sms import TwilioSignature, TwilioSms
from domain.notifications.model import NotificationConfig
from domain.notifications.phones import PhoneVerification
from domain.notifications.second_factor import SmsSignInCodes
from domain.notifications.service import Notifications
from migratio.settings import Settings
from migratio.wiring.identity import field_cipher

_FCM_BY_SETTINGS: dict[tuple[Path, str, str], FcmPush] = {}


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class NotificationArea:
    notifications: Notifications
    phones: PhoneVerification
    twilio_signature: TwilioSignature
    webhook_url: str | None
    sms_factor: SmsSignInCodes


def fcm_credentials_file(settings: Settings) -> Path:
    """The configured service account, or the one the local stack generates (devstack/notify_servers.py)."""
    return settings.fcm_credentials_file or settings.stack_dir / "data" / "fcm" / "service-account.json"


def _fcm(settings: Settings) -> FcmPush:
    """One per process and settings: firebase-admin apps are process-wide and keep their OAuth token."""
    key = (fcm_credentials_file(settings), settings.fcm_project_id, settings.fcm_base_url)
    if key not in _FCM_BY_SETTINGS:
        _FCM_BY_SETTINGS[key] = FcmPush(*key, timeout_s=max(settings.dependency_timeout_s, 5.0))
    return _FCM_BY_SETTINGS[key]


def notification_config(settings: Settings) -> NotificationConfig:
    return NotificationConfig(
        daily_cap=settings.notification_daily_cap,
        sms_per_number=settings.sms_per_number,
        sms_window_s=settings.rate_limit_window_s,
        code_ttl_s=settings.phone_code_ttl_s,
        codes_per_number=settings.phone_codes_per_number,
        status_callback_url=settings.twilio_webhook_url,
        pending_grace_s=settings.notification_pending_grace_s,
    )


def build_notifications(
    settings: Settings, db: AsyncDatabase, redis: Redis, mailer: Mailer, queue: Queue
) -> NotificationArea:
    config = notification_config(settings)
    secret = settings.key_hashing_secret.get_secret_value().encode()
    limiter = RedisRateLimiter(redis, settings.redis_key_prefix, secret)
    phones = MongoPhoneBook(db)
    opt_outs = MongoOptOuts(db)
    token = settings.twilio_auth_token.get_secret_value()
    notifications = Notifications(
        preferences=MongoPreferenceStore(db),
        sends=MongoSendLog(db, _now),
        phones=phones,
        opt_outs=opt_outs,
        devices=MongoDeviceRegistry(db),
        recipients=NotificationRecipients(MongoUserRepository(db, field_cipher(settings))),
        queue=SaqDeliveryQueue(queue, settings.job_attempts, settings.job_timeout_s),
        email=mailer,
        sms=TwilioSms(
            settings.twilio_account_sid,
            token,
            settings.twilio_from_number,
            settings.twilio_base_url,
            max(settings.dependency_timeout_s, 5.0),
        ),
        push=_fcm(settings),
        daily=MongoDailyCounts(db),
        limiter=limiter,
        clock=_now,
        config=config,
    )
    return NotificationArea(
        notifications=notifications,
        phones=PhoneVerification(
            notifications=notifications,
            phones=phones,
            opt_outs=opt_outs,
            numbers=PhoneNumberParser(),
            spent=SpentKeys(db),
            limiter=limiter,
            clock=_now,
            config=config,
        ),
        twilio_signature=TwilioSignature(token),
        sms_factor=SmsSignInCodes(
            notifications=notifications,
            phones=phones,
            codes=MongoSignInCodes(db),
            spent=SpentKeys(db),
            limiter=limiter,
            clock=_now,
            config=config,
        ),
        webhook_url=settings.twilio_webhook_url,
    )
