"""Events wait in a bounded in-process buffer; a background task of the same event loop sends them in bulk.

A request only appends to a deque, so emitting never waits on I/O and never raises. Consent is resolved
and identifiers are pseudonymised at flush time (one Mongo read per batch, not per event). When OpenSearch
fails the batch is dropped and counted: analytics must not slow, fail or back up the API.
"""

import asyncio
import contextlib
import contextvars
import logging
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime

from datasources.analytics import origin
from datasources.analytics.consent import MongoConsentStore
from datasources.analytics.events import EventIndex, EventWriteFailed
from domain.analytics.model import ConsentRecord, Pending, ServerEvent, Source
from domain.analytics.operations import operation_event
from domain.analytics.privacy import shape

log = logging.getLogger(__name__)

SENT = "sent"
DROPPED_UNAVAILABLE = "dropped_unavailable"
DROPPED_FULL = "dropped_full"
OUTCOMES = (SENT, DROPPED_UNAVAILABLE, DROPPED_FULL)


class BufferedAnalytics:
    """Implements the domain's `Analytics` (server events) and `EventSink` (the apps' events)."""

    def __init__(
        self,
        index: EventIndex,
        consents: MongoConsentStore,
        key: bytes,
        clock: Callable[[], datetime],
        *,
        capacity: int = 10_000,
        batch: int = 500,
        interval_s: float = 1.0,
        enabled: bool = True,
    ) -> None:
        self.index = index
        self.consents = consents
        self.key = key
        self.clock = clock
        self.capacity = capacity
        self.batch = batch
        self.interval_s = interval_s
        self.enabled = enabled
        self.counts: Counter[str] = Counter({outcome: 0 for outcome in OUTCOMES})
        self._queue: deque[Pending] = deque()
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._flushing: asyncio.Lock | None = None

    @property
    def pending(self) -> int:
        return len(self._queue)

    def emit(self, event: ServerEvent) -> None:
        try:
            pending = Pending(
                name=event.name.value,
                at=self.clock(),
                source=Source.SERVER,
                origin=origin.CURRENT.get(),
                user_id=event.user_id,
                subject=event.subject,
                props=event.props,
                links=event.links,
            )
            self.enqueue([pending])
        except Exception:  # analytics never fails the use case that reported
            log.exception("analytics event not buffered")

    def measure(self, operation: str | None, kind: str, duration_ms: float, codes: Sequence[str]) -> None:
        """A GraphQL operation's outcome (`operations.operation_event`: no one's identity); never raises."""
        try:
            platform = origin.CURRENT.get().platform
            self.enqueue([operation_event(operation, kind, duration_ms, codes, self.clock(), platform)])
        except Exception:  # measuring never fails the request measured
            log.exception("operation event not buffered")

    def enqueue(self, events: Sequence[Pending]) -> int:
        if not self.enabled:
            return 0
        room = max(0, self.capacity - len(self._queue))
        taken = list(events[:room])
        self.counts[DROPPED_FULL] += len(events) - len(taken)
        self._queue.extend(taken)
        if taken:
            self._ensure_flusher()
        return len(taken)

    def _ensure_flusher(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        if self._task is None or self._task.done() or self._loop is not loop:
            self._loop = loop
            self._flushing = asyncio.Lock()
            # A fresh context: the flusher outlives the request that started it and must not carry its
            # request id, Mongo command tally, origin or trace.
            self._task = loop.create_task(self._run(), name="analytics-flusher", context=contextvars.Context())

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval_s)
            try:
                await self.flush()
            except Exception:
                log.exception("analytics flush failed")

    def _take(self) -> Iterator[list[Pending]]:
        while self._queue:
            yield [self._queue.popleft() for _ in range(min(self.batch, len(self._queue)))]

    async def flush(self) -> None:
        """Send everything buffered now (the flusher calls it; so do shutdown and tests)."""
        lock = self._flushing or asyncio.Lock()
        async with lock:
            for batch in self._take():
                await self._send(batch)

    async def _send(self, batch: list[Pending]) -> None:
        consents: dict[str, ConsentRecord] = {}
        users = {p.user_id for p in batch if p.user_id}
        if users:
            try:
                consents = await self.consents.many(users)
            except Exception:  # unknown consent: each event falls back to its origin's, which defaults to off
                log.warning("analytics consent unavailable; events sent under their origin's consent")
        stored = [shape(p, consents.get(p.user_id) if p.user_id else None, self.key) for p in batch]
        try:
            await self.index.write(stored)
        except EventWriteFailed as failed:
            self.counts[DROPPED_UNAVAILABLE] += failed.failed
            self.counts[SENT] += len(stored) - failed.failed
        except Exception as error:
            self.counts[DROPPED_UNAVAILABLE] += len(stored)
            log.warning("analytics: %d event(s) dropped, store unavailable: %s", len(stored), type(error).__name__)
        else:
            self.counts[SENT] += len(stored)

    async def close(self, timeout_s: float) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        with contextlib.suppress(TimeoutError, Exception):
            await asyncio.wait_for(self.flush(), timeout_s)
