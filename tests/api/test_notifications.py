"""Notifications over e-mail, SMS and push: each person's choices per kind, sent by the module's worker through
the local SMTP sink, Twilio server and FCM server, each notice once per channel, recorded and shown."""

from datetime import date, timedelta

import pytest

from datasources import jobs
from datasources.jobs import SaqJobQueue
from domain.notifications.model import Kind, Message
from migratio.settings import Settings
from migratio.wiring.notifications import build_notifications
from migratio.wiring.services import Services
from tests.builders.accounts import Account, admin, error_code, mails_to, signed_up, wait_for_mail, with_role
from tests.builders.notifications import (
    MY_NOTIFICATIONS,
    REGISTER_DEVICE,
    UPDATE_PREFERENCES,
    new_device_token,
    pushes_to,
    sends_of,
    texts_fail,
    texts_to,
    verified_phone,
    wait_until_sent,
)
from tests.builders.roadmaps import (
    REJECT,
    REQUEST_REPORT,
    START_REVIEW,
    VERIFY,
    applicant,
    create_roadmap,
    uploaded,
    wait_for_job,
)
from tests.builders.stripe_events import subscribed
from tests.server import LiveServer

EVERYWHERE = [{"kind": "TASK_DUE", "channels": ["EMAIL", "SMS", "PUSH"]}]
PREFERENCES = "{ notificationPreferences { kind channels alwaysOn } }"


def _due_tomorrow() -> date:
    return date.today() - timedelta(days=29)  # the language test takes 30 days: due tomorrow


async def _run_reminders(services: Services) -> int:
    queue = SaqJobQueue(services.job_queue, attempts=1, timeout_s=60)
    return await queue.run_reminders(wait_s=60)


def _everywhere(settings: Settings, person: Account) -> tuple[str, str]:
    """The person texts and pushes too: a verified number, a registered device and TASK_DUE on all three."""
    number = verified_phone(settings, person)
    token = new_device_token(settings)
    person.client.data(REGISTER_DEVICE, {"t": token})
    person.client.data(UPDATE_PREFERENCES, {"p": EVERYWHERE})
    return number, token


@pytest.fixture
def everywhere(server: LiveServer, settings: Settings, seeded: Services) -> Account:
    return applicant(server, settings, "everywhere")


@pytest.fixture
def mail_only(server: LiveServer, settings: Settings, seeded: Services) -> Account:
    return applicant(server, settings, "mailonly")


async def test_a_task_due_reaches_each_chosen_channel_exactly_once(
    everywhere: Account, mail_only: Account, services: Services, settings: Settings
) -> None:
    number, token = _everywhere(settings, everywhere)
    roadmap = create_roadmap(everywhere, _due_tomorrow())
    create_roadmap(mail_only, _due_tomorrow())
    due = date.today() + timedelta(days=1)
    subject = f"Coming up: Take an approved language test (due {due.isoformat()})"

    assert await _run_reminders(services) >= 2
    assert await _run_reminders(services) == 0  # reminded once, however often the job runs

    sends = wait_until_sent(settings, everywhere.id, count=4)  # the phone's code, then the three reminders
    reminders = sorted((s["channel"], s["status"]) for s in sends if s["kind"] == "task_due")
    assert reminders == [("email", "sent"), ("push", "sent"), ("sms", "sent")]
    wait_for_mail(settings, everywhere.email, subject)
    assert mails_to(settings, everywhere.email).count(subject) == 1
    [_code, text] = texts_to(settings, number)
    assert text["body"].startswith('"Take an approved language test" on your roadmap is due on ')
    assert text["body"].endswith(f"/roadmaps/{roadmap['id']}")
    assert text["from"] == settings.twilio_from_number
    [push] = pushes_to(settings, token)
    assert push["message"]["notification"]["title"] == subject
    assert push["message"]["data"]["link"] == f"migratio://roadmaps/{roadmap['id']}"
    assert push["message"]["data"]["kind"] == "task_due"

    [sent] = wait_until_sent(settings, mail_only.id, count=1)
    assert (sent["kind"], sent["channel"], sent["status"]) == ("task_due", "email", "sent")
    wait_for_mail(settings, mail_only.email, subject)
    assert mails_to(settings, mail_only.email).count(subject) == 1

    shown = everywhere.client.data(MY_NOTIFICATIONS)["me"]["notifications"]
    shown_reminders = {n["channel"]: n for n in shown if n["kind"] == "TASK_DUE"}
    assert set(shown_reminders) == {"EMAIL", "SMS", "PUSH"}
    assert shown_reminders["SMS"]["providerId"] == text["sid"]
    assert shown_reminders["PUSH"]["providerId"] == push["name"]
    assert all(n["status"] == "SENT" and n["attempts"] == 1 for n in shown_reminders.values())


def test_security_alerts_cannot_be_switched_off_entirely(server: LiveServer, settings: Settings) -> None:
    person = signed_up(server, settings, "alerts")
    before = person.client.data(PREFERENCES)["notificationPreferences"]
    refused = person.client.gql(UPDATE_PREFERENCES, {"p": [{"kind": "SECURITY_ALERT", "channels": []}]})
    assert error_code(refused) == "BAD_USER_INPUT"
    assert person.client.data(PREFERENCES)["notificationPreferences"] == before
    alerts = next(p for p in before if p["kind"] == "SECURITY_ALERT")
    assert alerts == {"kind": "SECURITY_ALERT", "channels": ["EMAIL"], "alwaysOn": True}

    changed = person.client.data(
        UPDATE_PREFERENCES,
        {"p": [{"kind": "SECURITY_ALERT", "channels": ["SMS"]}, {"kind": "REPORT_READY", "channels": []}]},
    )["updateNotificationPreferences"]
    by_kind = {p["kind"]: p["channels"] for p in changed}
    assert by_kind["SECURITY_ALERT"] == ["SMS"] and by_kind["REPORT_READY"] == []
    assert by_kind["TASK_DUE"] == ["EMAIL"]  # untouched kinds keep the account's channels


async def test_a_failed_sms_blocks_neither_push_nor_email(
    server: LiveServer, settings: Settings, services: Services
) -> None:
    person = signed_up(server, settings, "smsdown")
    number, token = _everywhere(settings, person)
    texts_fail(settings, number)  # Twilio answers 500 to every text to this number from now on

    message = Message(Kind.TASK_DUE, "Deadline tomorrow", "Your biometrics appointment is tomorrow.")
    queued = await services.notifications.notify(person.id, message, key="smsdown")
    assert sorted(s.channel.value for s in queued) == ["email", "push", "sms"]

    sends = {s["channel"]: s for s in wait_until_sent(settings, person.id, count=4) if s["kind"] == "task_due"}
    assert sends["sms"]["status"] == "failed" and sends["sms"]["attempts"] == settings.job_attempts
    assert "HTTP 500" in sends["sms"]["error"]
    assert sends["email"]["status"] == "sent" and sends["push"]["status"] == "sent"
    wait_for_mail(settings, person.email, "Deadline tomorrow")
    assert [p["message"]["notification"]["title"] for p in pushes_to(settings, token)] == ["Deadline tomorrow"]
    assert len(texts_to(settings, number)) == 1  # the verification code only


async def test_the_same_notice_asked_for_twice_is_recorded_and_sent_once(
    server: LiveServer, settings: Settings, services: Services
) -> None:
    person = signed_up(server, settings, "twice")
    message = Message(Kind.REPORT_READY, "Your report is ready", "Download it from your roadmap.")
    first = await services.notifications.notify(person.id, message, key="report-1")
    second = await services.notifications.notify(person.id, message, key="report-1")
    assert [s.channel.value for s in first] == ["email"] and second == []
    wait_until_sent(settings, person.id, count=1)
    wait_for_mail(settings, person.email, "Your report is ready")
    assert mails_to(settings, person.email).count("Your report is ready") == 1
    assert len(sends_of(settings, person.id)) == 1


async def test_the_daily_cap_holds_back_sends_past_it_but_never_account_notices(
    server: LiveServer, settings: Settings, services: Services
) -> None:
    """Delivered in-process by the same use case the worker runs, with a cap of 2 (the worker's is 20), queued
    on a queue of this module's own that no worker reads."""
    capped = settings.model_copy(update={"notification_daily_cap": 2, "job_queue": f"{settings.redis_key_prefix}-cap"})
    queue = jobs.connect_queue(settings.redis_url, capped.job_queue, settings.dependency_timeout_s)
    area = build_notifications(capped, services.db, services.redis, services.mailer, queue)
    person = signed_up(server, settings, "capped")
    sends = []
    for n in range(3):
        message = Message(Kind.REPORT_READY, f"Report {n} ready", "Download it.")
        sends += await area.notifications.notify(person.id, message, key=f"cap-{n}")
    alert = Message(Kind.SECURITY_ALERT, "New sign-in", "A new device signed in.")
    sends += await area.notifications.notify(person.id, alert, key="cap-alert")

    done = [await area.notifications.deliver(s.id, final_attempt=True) for s in sends]
    assert [(d.message.title, d.status.value) for d in done if d] == [
        ("Report 0 ready", "sent"),
        ("Report 1 ready", "sent"),
        ("Report 2 ready", "skipped"),
        ("New sign-in", "sent"),
    ]
    assert done[2] is not None and done[2].error == "daily cap reached"
    assert "Report 2 ready" not in mails_to(settings, person.email)
    wait_for_mail(settings, person.email, "New sign-in")
    await queue.disconnect()


def test_a_ready_report_is_announced_on_the_chosen_channels(everywhere: Account, settings: Settings) -> None:
    token = new_device_token(settings)
    everywhere.client.data(REGISTER_DEVICE, {"t": token})
    everywhere.client.data(UPDATE_PREFERENCES, {"p": [{"kind": "REPORT_READY", "channels": ["EMAIL", "PUSH"]}]})
    roadmap = create_roadmap(everywhere, date.today())
    requested = everywhere.client.data(REQUEST_REPORT, {"id": roadmap["id"]})["requestReport"]
    assert wait_for_job(everywhere, requested["job"]["id"])["status"] == "SUCCEEDED"

    sends = wait_until_sent(settings, everywhere.id, count=2)
    assert sorted((s["kind"], s["channel"], s["status"]) for s in sends) == [
        ("report_ready", "email", "sent"),
        ("report_ready", "push", "sent"),
    ]
    wait_for_mail(settings, everywhere.email, "Your Migratio report is ready")
    [push] = pushes_to(settings, token)
    assert push["message"]["data"]["reportId"] == requested["report"]["id"]
    assert push["message"]["data"]["link"] == f"migratio://roadmaps/{roadmap['id']}"


def test_a_review_outcome_reaches_the_document_owner_once_per_review(
    server: LiveServer, settings: Settings, seeded: Services
) -> None:
    boss = admin(server, settings)
    advisor = with_role(server, settings, boss, "ADVISOR", "reviewer")
    person = signed_up(server, settings, "reviewed")
    subscribed(server.url, person.id, "advisor")  # the plan that includes an advisor's review
    boss.client.data(
        "mutation($c: ID!, $a: ID) { assignAdvisor(clientId: $c, advisorId: $a) { id } }",
        {"c": person.id, "a": advisor.id},
    )
    token = new_device_token(settings)
    person.client.data(REGISTER_DEVICE, {"t": token})
    person.client.data(UPDATE_PREFERENCES, {"p": [{"kind": "DOCUMENT_REVIEWED", "channels": ["PUSH"]}]})

    passport, diploma = uploaded(person, "passport"), uploaded(person, "police_certificates:IN")
    for document in (passport, diploma):
        advisor.client.data(START_REVIEW, {"id": document["id"]})
    advisor.client.data(VERIFY, {"id": passport["id"]})
    advisor.client.data(REJECT, {"id": diploma["id"], "reason": "The scan is cut off"})

    sends = wait_until_sent(settings, person.id, count=2)
    assert sorted((s["channel"], s["status"]) for s in sends) == [("push", "sent"), ("push", "sent")]
    pushes = {p["message"]["data"]["documentId"]: p["message"] for p in pushes_to(settings, token)}
    assert pushes[passport["id"]]["data"]["status"] == "verified"
    assert pushes[passport["id"]]["notification"]["body"] == "Your passport document was verified."
    assert pushes[diploma["id"]]["notification"]["body"] == (
        "Your police certificates document needs another look: The scan is cut off"
    )
    assert pushes[diploma["id"]]["data"]["link"] == f"migratio://documents/{diploma['id']}"
