"""The per-request context resolvers and types read, typed against what they may use: the domain services,
the request's loaders (one per relation) and who is asking — never an adapter, so no field can reach I/O
except through a use case or a loader. The composition root builds it (migratio/transport/graphql_view.py)."""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol, TypeVar

import strawberry
from starlette.requests import Request
from starlette.websockets import WebSocket

from domain.analytics.service import Insights, Tracking
from domain.assessment.model import Assessment
from domain.assessment.service import Assessments
from domain.assessment.snapshot import ProfileSnapshot
from domain.billing.service import Billing, Standing
from domain.documents.service import Documents
from domain.health import DependencyProbe
from domain.jobs.model import Job
from domain.jobs.service import JobTracker
from domain.notifications.phones import PhoneVerification
from domain.notifications.service import Notifications
from domain.programs.model import Country
from domain.programs.ports import ProgramRecord
from domain.programs.service import Catalog
from domain.recommendations.gaps import GapReport
from domain.recommendations.service import PointsBreakdown, RankedPage, Recommendations
from domain.roadmaps.reporting import Reports
from domain.roadmaps.service import Roadmaps
from domain.users.model import ANONYMOUS, RequestMeta, Viewer
from domain.users.oauth import OAuth
from domain.users.service import Identity

K_contra = TypeVar("K_contra", contravariant=True)
V_co = TypeVar("V_co", covariant=True)


class Load(Protocol[K_contra, V_co]):
    """A dataloader: keys asked for in one tick are fetched together, each once per request."""

    def load(self, key: K_contra) -> Awaitable[V_co]: ...


RankingKey = tuple[ProfileSnapshot, int, int, date | None]  # snapshot, offset, first, rules date
ProgramKey = tuple[ProfileSnapshot, str, date | None]  # snapshot, program slug, rules date


class Loaders(Protocol):
    """One loader per relation a type follows (`<Thing>By<Key>`), fresh for each request."""

    @property
    def program_by_slug(self) -> Load[str, ProgramRecord | None]: ...

    @property
    def country_by_code(self) -> Load[str, Country | None]: ...

    @property
    def program_history_by_slug(self) -> Load[str, list[ProgramRecord]]: ...

    @property
    def latest_snapshot_by_assessment(self) -> Load[Assessment, ProfileSnapshot | None]: ...

    @property
    def job_by_owner_and_id(self) -> Load[tuple[str, str], Job]: ...

    @property
    def ranking_by_snapshot(self) -> Load[RankingKey, RankedPage]: ...

    @property
    def points_by_snapshot(self) -> Load[ProgramKey, PointsBreakdown]: ...

    @property
    def gaps_by_snapshot(self) -> Load[ProgramKey, GapReport]: ...

    @property
    def subscription_by_owner(self) -> Load[str, Standing]: ...


class Services(Protocol):
    """The process's use cases, as resolvers see them."""

    @property
    def identity(self) -> Identity: ...

    @property
    def oauth(self) -> OAuth: ...

    @property
    def catalog(self) -> Catalog: ...

    @property
    def assessments(self) -> Assessments: ...

    @property
    def recommendations(self) -> Recommendations: ...

    @property
    def roadmaps(self) -> Roadmaps: ...

    @property
    def documents(self) -> Documents: ...

    @property
    def reports(self) -> Reports: ...

    @property
    def jobs(self) -> JobTracker: ...

    @property
    def notifications(self) -> Notifications: ...

    @property
    def phone_verification(self) -> PhoneVerification: ...

    @property
    def billing(self) -> Billing: ...

    @property
    def probes(self) -> Sequence[DependencyProbe]: ...

    @property
    def tracking(self) -> Tracking: ...

    @property
    def insights(self) -> Insights: ...

    @property
    def dependency_timeout_s(self) -> float: ...


class QueryStats(Protocol):
    """Database round-trips of this request (reported only where settings expose them)."""

    @property
    def count(self) -> int: ...


@dataclass
class Context:
    request: Request | WebSocket
    services: Services
    request_id: str
    loaders: Loaders
    new_loaders: Callable[[], Loaders]
    query_stats: QueryStats
    viewer: Viewer = ANONYMOUS
    meta: RequestMeta = field(default_factory=RequestMeta)
    connection_params: dict[str, Any] | None = None  # a websocket's connection_init payload
    response_extensions: dict[str, object] = field(default_factory=dict)

    @property
    def user_id(self) -> str | None:
        return self.viewer.user_id

    @property
    def identity(self) -> Identity:
        return self.services.identity

    def fresh_loaders(self) -> Loaders:
        """A websocket context lives as long as the connection: subscriptions take new loaders per event."""
        self.loaders = self.new_loaders()
        return self.loaders


Info = strawberry.Info[Context, None]
