"""Work started after the answer is sent: the mails whose sending must not show in a response's timing."""

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger(__name__)


class BackgroundTasks:
    """Keeps a reference to each task (the loop holds only weak ones) and logs, never raises, its failure."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def pending(self) -> int:
        """Work started and not finished yet (tests wait for 0 instead of sleeping)."""
        return len(self._tasks)

    async def start(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            log.error("background work failed: %s: %s", type(error).__name__, error, exc_info=error)

    async def drain(self, timeout_s: float) -> None:
        """Wait for the work already started, e.g. before the process exits."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout_s)
