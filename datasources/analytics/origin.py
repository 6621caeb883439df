"""The app's statement of where a request comes from, read from headers once per request and held in a
context variable, so a use case's event carries it without every signature passing it along."""

from contextvars import ContextVar
from typing import Any

from domain.analytics.model import UNKNOWN_ORIGIN, Consent, Origin, Platform
from domain.analytics.privacy import check_origin

CURRENT: ContextVar[Origin] = ContextVar("analytics_origin", default=UNKNOWN_ORIGIN)

VISITOR_HEADER = "x-visitor-id"
SESSION_HEADER = "x-session-id"
PLATFORM_HEADER = "x-client-platform"
VERSION_HEADER = "x-app-version"
CONSENT_HEADER = "x-analytics-consent"
COUNTRY_HEADER = "x-residence-country"
HEADERS = (VISITOR_HEADER, SESSION_HEADER, PLATFORM_HEADER, VERSION_HEADER, CONSENT_HEADER, COUNTRY_HEADER)


def from_headers(headers: Any) -> Origin:
    """Unknown or malformed values become "not stated"; nothing here can fail a request."""
    platform = headers.get(PLATFORM_HEADER, "").lower()
    consent = headers.get(CONSENT_HEADER, "").lower()
    return check_origin(
        Origin(
            visitor_id=headers.get(VISITOR_HEADER),
            session_id=headers.get(SESSION_HEADER),
            platform=Platform(platform) if platform in Platform._value2member_map_ else Platform.API,
            app_version=headers.get(VERSION_HEADER),
            consent=Consent(consent) if consent in Consent._value2member_map_ else None,
            country=headers.get(COUNTRY_HEADER),
        )
    )
