"""How each GraphQL operation went, as an analytics event that names no one: its operation, type, duration and
error codes, and the platform the app states — no actor, session, country or app version."""

import re
from collections.abc import Iterable
from datetime import datetime

from domain.analytics.model import EventName, Origin, Pending, Platform, Source

ANONYMOUS = "anonymous"
OTHER = "other"
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")


def operation_event(
    operation: str | None, kind: str, duration_ms: float, codes: Iterable[str], at: datetime, platform: Platform
) -> Pending:
    """An origin of the platform alone: with no consent, country or ids stated, `privacy.shape` gives no pseudonym."""
    name = ANONYMOUS if not operation else operation if _NAME.fullmatch(operation) else OTHER
    errors = list(codes)
    props: dict[str, str | int | float] = {
        "operation": name,
        "operation_type": kind,
        "duration_ms": round(float(duration_ms), 3),
        "errors": len(errors),
    }
    if errors:
        props["error_codes"] = ",".join(sorted(set(errors)))
    return Pending(EventName.GRAPHQL_OPERATION.value, at, Source.SERVER, Origin(platform=platform), props=props)
