"""Reminders of tasks due soon: each task is reminded once, however often (or wherever) this runs. With a
notifier they go out as TASK_DUE notices on the channels each person chose; without one, by e-mail.

A task is claimed atomically before its mail goes out and marked reminded after, so two concurrent runs
never both mail it; a claim whose run died is taken over once it is stale; a failed send releases it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.notifications.model import Kind, Message
from domain.roadmaps.model import Task
from domain.roadmaps.ports import Contacts, Mailer, Notifier, ReminderQueue

BATCH = 500
STALE_CLAIM = timedelta(minutes=10)


def reminder_subject(task: Task) -> str:
    return f"Coming up: {task.step.title} (due {task.due_on.isoformat()})"


def reminder_body(name: str, task: Task, link: str) -> str:
    return (
        f"Hello {name},\n\n"
        f'"{task.step.title}" on your roadmap is due on {task.due_on:%A %d %B %Y}.\n'
        f"{task.step.description}\n\n"
        f"Mark it done or see what comes next: {link}\n"
    )


@dataclass
class Reminders:
    tasks: ReminderQueue
    contacts: Contacts
    mailer: Mailer
    clock: Callable[[], datetime]
    app_url: str
    days_ahead: int
    notifier: Notifier | None = None

    async def send_due(self) -> int:
        """Mail each unfinished task due between today and `days_ahead` days on; returns mails sent."""
        now = self.clock()
        today = now.date()
        sent = 0
        for task in await self.tasks.due_between(today, today + timedelta(days=self.days_ahead), BATCH):
            if not await self.tasks.claim_reminder(task.id, now, now - STALE_CLAIM):
                continue
            if self.notifier is not None:
                try:
                    await self.notifier.notify(task.owner_id, self.task_due(task), key=task.id)
                except Exception:
                    await self.tasks.release_reminder(task.id)
                    raise
                await self.tasks.mark_reminded(task.id, now)
                sent += 1
                continue
            contact = await self.contacts.contact(task.owner_id)
            if contact is None or not contact.wants_email:
                await self.tasks.mark_reminded(task.id, now)  # nobody to mail: never try again
                continue
            try:
                link = f"{self.app_url}/roadmaps/{task.roadmap_id}"
                await self.mailer.send(contact.email, reminder_subject(task), reminder_body(contact.name, task, link))
            except Exception:
                await self.tasks.release_reminder(task.id)
                raise
            await self.tasks.mark_reminded(task.id, now)
            sent += 1
        return sent

    def task_due(self, task: Task) -> Message:
        return Message(
            kind=Kind.TASK_DUE,
            title=reminder_subject(task),
            body=f'"{task.step.title}" on your roadmap is due on {task.due_on:%A %d %B %Y}.',
            link=f"{self.app_url}/roadmaps/{task.roadmap_id}",
            deep_link=f"migratio://roadmaps/{task.roadmap_id}",
            data={"roadmapId": task.roadmap_id, "task": task.step.key},
        )
