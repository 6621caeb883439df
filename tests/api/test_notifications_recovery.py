"""A send recorded but never delivered (its process died in between, as `notify_now` can) is queued for the
module's worker by the worker's periodic sweep once NOTIFICATION_PENDING_GRACE_S has passed, and sent once."""

import asyncio
from datetime import UTC, datetime, timedelta

from domain.notifications.model import Channel, Kind, Message, Send, SendStatus
from migratio.entrypoints.worker import WorkerRuntime
from migratio.settings import Settings
from migratio.wiring.services import Services
from tests.builders.accounts import mails_to, signed_up, wait_for_mail
from tests.builders.notifications import MY_NOTIFICATIONS
from tests.server import LiveServer

SUBJECT = "Reset your Migratio password"
SETTLE_S = 1.5  # long enough for a second, duplicate mail to show up in the sink


def _later(settings: Settings) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=settings.notification_pending_grace_s + 1)


async def test_a_send_left_pending_by_a_dead_process_is_sent_once_by_the_sweep(
    server: LiveServer, settings: Settings, services: Services
) -> None:
    person = signed_up(server, settings, "crashed")
    now = datetime.now(UTC)
    message = Message(Kind.PASSWORD_RESET, SUBJECT, "Reset it here.", link="http://127.0.0.1/reset?token=x")
    send = Send("password_reset:crashed:email", person.id, message, Channel.EMAIL, SendStatus.QUEUED, now, now)
    assert await services.notifications.sends.add(send)  # notify_now's record; its process dies before sending

    sweepers = [WorkerRuntime(settings), WorkerRuntime(settings)]  # two workers of the deployment
    try:
        await sweepers[0].sweep()  # within the grace period: it may still be being sent
        await asyncio.sleep(SETTLE_S)
        assert SUBJECT not in mails_to(settings, person.email)

        for runtime in sweepers:
            runtime.notifications.notifications.clock = lambda: _later(settings)
        await asyncio.gather(*(runtime.sweep() for runtime in sweepers))  # both find it at once
        wait_for_mail(settings, person.email, SUBJECT)
        await asyncio.sleep(SETTLE_S)
        assert mails_to(settings, person.email).count(SUBJECT) == 1
        sends = person.client.data(MY_NOTIFICATIONS)["me"]["notifications"]
        [recovered] = [s for s in sends if s["id"] == send.id]
        assert (recovered["status"], recovered["attempts"]) == ("SENT", 1)

        await sweepers[0].sweep()  # the send is final now: nothing more to queue or send
        assert await sweepers[1].notifications.notifications.recover() == 0
        await asyncio.sleep(SETTLE_S)
        assert mails_to(settings, person.email).count(SUBJECT) == 1
    finally:
        for runtime in sweepers:
            await runtime.close()
