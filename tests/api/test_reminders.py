"""Reminders: the worker mails each unfinished task due within the next days once, over real SMTP."""

from datetime import date, timedelta

import pytest

from datasources.jobs import SaqJobQueue
from migratio.settings import Settings
from migratio.wiring.services import Services
from tests.builders.accounts import Account, mails_to, wait_for_mail
from tests.builders.roadmaps import UPDATE_TASK, applicant, create_roadmap
from tests.server import LiveServer

UPDATE_PREFERENCES = "mutation { updatePreferences(input: {notificationChannels: [SMS]}) { id } }"


async def _run_reminder_job(services: Services) -> int:
    """Through the queue and the module's worker process, exactly as its cron job runs it. The job sends each
    mail before it completes, and the sink stores a mail before accepting it: what it sent is there now."""
    queue = SaqJobQueue(services.job_queue, attempts=1, timeout_s=60)
    return await queue.run_reminders(wait_s=60)


def _due_tomorrow() -> date:
    # the language test takes 30 days typically: starting 29 days ago, it is due tomorrow
    return date.today() - timedelta(days=29)


def _subject(due: date) -> str:
    return f"Coming up: Take an approved language test (due {due.isoformat()})"


@pytest.fixture
def person(server: LiveServer, settings: Settings, seeded: Services) -> Account:
    return applicant(server, settings, "reminded")


async def test_a_task_due_tomorrow_is_mailed_once_however_often_the_job_runs(
    person: Account, services: Services, settings: Settings
) -> None:
    roadmap = create_roadmap(person, _due_tomorrow())
    due = date.fromisoformat(roadmap["tasks"][0]["targetEnd"])
    assert due == date.today() + timedelta(days=1)

    assert await _run_reminder_job(services) >= 1
    message = wait_for_mail(settings, person.email, _subject(due))
    body = message.get_body(("plain",))
    assert body is not None and f"/roadmaps/{roadmap['id']}" in body.get_content()

    assert await _run_reminder_job(services) == 0  # this module's database holds no other due task
    assert mails_to(settings, person.email).count(_subject(due)) == 1
    task = services.db["roadmap_tasks"]
    assert await task.count_documents({"roadmap_id": roadmap["id"], "reminded_at": {"$ne": None}}) == 1


async def test_finished_tasks_and_people_who_turned_email_off_get_no_reminder(
    server: LiveServer, person: Account, services: Services, settings: Settings
) -> None:
    roadmap = create_roadmap(person, _due_tomorrow())
    person.client.data(UPDATE_TASK, {"id": roadmap["id"], "key": "language_test", "status": "DONE"})
    quiet = applicant(server, settings, "quiet")
    quiet.client.data(UPDATE_PREFERENCES)
    create_roadmap(quiet, _due_tomorrow())

    await _run_reminder_job(services)
    due = date.today() + timedelta(days=1)
    assert _subject(due) not in mails_to(settings, person.email)
    assert _subject(due) not in mails_to(settings, quiet.email)
