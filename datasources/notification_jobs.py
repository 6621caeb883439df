"""Notification deliveries as saq jobs: one job per send (its key), so a send queued twice runs once, and a
channel's failure retries only that channel."""

from dataclasses import dataclass

from saq import Job, Queue

DELIVER_NOTIFICATION = "deliver_notification"


@dataclass
class SaqDeliveryQueue:
    queue: Queue
    attempts: int
    timeout_s: int

    async def enqueue_delivery(self, send_id: str) -> None:
        await self.queue.enqueue(
            Job(
                function=DELIVER_NOTIFICATION,
                key=f"notify:{send_id}",
                kwargs={"send_id": send_id},
                retries=self.attempts,
                retry_delay=1.0,
                retry_backoff=8.0,
                timeout=self.timeout_s,
                ttl=3600,
            )
        )
