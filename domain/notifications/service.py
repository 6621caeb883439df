"""The notification use case: what to tell whom is the caller's; where (per kind × channel) is the person's.

`notify` records one send per chosen channel and queues each for the worker; `deliver` (in the worker) sends
one of them, so a channel that fails never holds back another. Each send's id is `<kind>:<key>:<channel>`, a
unique `_id`: the same notice asked for twice is recorded, and sent, once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.errors import BadUserInput, NotFound
from domain.notifications.model import (
    EMAIL_ONLY,
    TERMINAL,
    UNCAPPED,
    Channel,
    Device,
    Kind,
    Message,
    NotificationConfig,
    Platform,
    Preferences,
    PushOutcome,
    Recipient,
    Send,
    SendStatus,
)
from domain.notifications.ports import (
    DailyCounts,
    DeliveryQueue,
    DeviceRegistry,
    EmailSender,
    OptOuts,
    PhoneBook,
    PreferenceStore,
    PushSender,
    RateLimiter,
    Recipients,
    SendLog,
    SmsSender,
)

MAX_TOKEN_LENGTH = 4096
SCRUBBED = "(removed once sent)"
MAX_PAGE = 100
RECOVERY_BATCH = 500  # per sweep; the next sweep takes the rest


class DeliveryFailed(RuntimeError):
    """The channel's provider refused or could not be reached: the worker tries again."""


class NothingToSend(RuntimeError):
    """Found out while sending that the send goes nowhere (every device token was pruned): skipped."""


@dataclass
class Notifications:
    preferences: PreferenceStore
    sends: SendLog
    phones: PhoneBook
    opt_outs: OptOuts
    devices: DeviceRegistry
    recipients: Recipients
    queue: DeliveryQueue
    email: EmailSender
    sms: SmsSender
    push: PushSender
    daily: DailyCounts
    limiter: RateLimiter
    clock: Callable[[], datetime]
    config: NotificationConfig

    # -- preferences -------------------------------------------------------------------------------------

    async def preferences_of(self, user_id: str) -> Preferences:
        chosen = await self.preferences.get(user_id)
        if chosen is not None:
            return chosen
        recipient = await self.recipients.recipient(user_id)
        return Preferences.everywhere(recipient.channels if recipient else (Channel.EMAIL,))

    async def update_preferences(self, user_id: str, changes: Mapping[Kind, Sequence[Channel]]) -> Preferences:
        updated = (await self.preferences_of(user_id)).with_changes(changes)
        await self.preferences.put(user_id, updated, self.clock())
        return updated

    # -- sending -----------------------------------------------------------------------------------------

    async def notify(self, user_id: str, message: Message, key: str) -> list[Send]:
        """Record and queue the notice on each channel the person chose for its kind; the sends recorded now
        (none for a channel where this notice was recorded before)."""
        channels = (await self.preferences_of(user_id)).for_kind(message.kind)
        return [send for channel in sorted(channels) if (send := await self._queue(user_id, message, key, channel))]

    async def notify_now(self, user_id: str, message: Message, key: str) -> None:
        """Like `notify`, but each send is tried here at once (a verification link must not wait behind the
        queue); only one that fails is queued, for the worker's retries."""
        channels = (await self.preferences_of(user_id)).for_kind(message.kind)
        for channel in sorted(channels):
            send = await self._record(user_id, message, key, channel)
            if send is None:
                continue
            try:
                await self.deliver(send.id, final_attempt=False)
            except DeliveryFailed:
                await self.queue.enqueue_delivery(send.id)

    async def recover(self, batch: int = RECOVERY_BATCH) -> int:
        """Queue for the worker the sends still queued after the grace period: `notify_now`'s process died
        between recording and sending. Idempotent: the queue takes a send once, `deliver` skips a final one."""
        cutoff = self.clock() - timedelta(seconds=self.config.pending_grace_s)
        stuck = await self.sends.pending(cutoff, batch)
        for send_id in stuck:
            await self.queue.enqueue_delivery(send_id)
        return len(stuck)

    async def notify_number(self, user_id: str, e164: str, message: Message, key: str) -> Send | None:
        """A text to one given number whatever the preferences say (its verification code)."""
        return await self._queue(user_id, message, key, Channel.SMS, address=e164)

    async def _queue(
        self, user_id: str, message: Message, key: str, channel: Channel, address: str | None = None
    ) -> Send | None:
        send = await self._record(user_id, message, key, channel, address)
        if send is not None:
            await self.queue.enqueue_delivery(send.id)
        return send

    async def _record(
        self, user_id: str, message: Message, key: str, channel: Channel, address: str | None = None
    ) -> Send | None:
        """The send recorded now, or None when this notice was recorded on this channel before."""
        now = self.clock()
        send = Send(
            id=f"{message.kind.value}:{key}:{channel.value}",
            user_id=user_id,
            message=message,
            channel=channel,
            status=SendStatus.QUEUED,
            created_at=now,
            updated_at=now,
            address=address,
        )
        return send if await self.sends.add(send) else None

    async def deliver(self, send_id: str, *, final_attempt: bool) -> Send | None:
        """Send one recorded send (in the worker, or at once for `notify_now`). A provider failure raises
        DeliveryFailed so the worker retries; on the final attempt the send is marked failed instead."""
        send = await self.sends.by_id(send_id)
        if send is None or send.status in TERMINAL:
            return send
        send = await self._attempt(send)
        if send is None:
            return None
        try:
            skipped = await self._skip_reason(send)
            if skipped is not None:
                return await self._finish(send, SendStatus.SKIPPED, error=skipped)
            provider_id = await self._send(send)
        except NothingToSend as nothing:
            return await self._finish(send, SendStatus.SKIPPED, error=str(nothing))
        except DeliveryFailed as failure:
            if final_attempt:
                return await self._finish(send, SendStatus.FAILED, error=str(failure))
            reason = str(failure)
            await self.sends.update(send.id, lambda _: {"error": reason}, lambda s: s.status not in TERMINAL)
            raise
        return await self._finish(send, SendStatus.SENT, provider_id=provider_id)

    async def _attempt(self, send: Send) -> Send | None:
        return await self.sends.update(
            send.id, lambda current: {"attempts": current.attempts + 1}, lambda s: s.status not in TERMINAL
        )

    async def _skip_reason(self, send: Send) -> str | None:
        """Why this send goes nowhere (checked before it counts against the daily cap), or None."""
        if send.channel is Channel.SMS:
            number = send.address or await self._verified_number(send.user_id)
            if number is None:
                return "no verified phone number"
            if await self.opt_outs.is_opted_out(number):
                return "the number opted out (STOP)"
        if send.channel is Channel.EMAIL:
            recipient = await self.recipients.recipient(send.user_id)
            if recipient is None:
                return "no account"
            if recipient.deletion_scheduled and send.kind is not Kind.SECURITY_ALERT:
                return "the account is scheduled for deletion"
        if send.channel is Channel.PUSH and not await self.devices.for_user(send.user_id):
            return "no registered device"
        if send.kind not in UNCAPPED and not send.capped:
            if not await self.daily.take(send.user_id, send.channel, self.clock().date(), self.config.daily_cap):
                return "daily cap reached"
            await self.sends.update(send.id, lambda _: {"capped": True}, lambda s: s.status not in TERMINAL)
        return None

    async def _verified_number(self, user_id: str) -> str | None:
        number = await self.phones.verified_number(user_id)
        return number.e164 if number is not None else None

    async def _send(self, send: Send) -> str | None:
        message = send.message
        if send.channel is Channel.EMAIL:
            recipient = await self.recipients.recipient(send.user_id)
            assert recipient is not None  # checked in _skip_reason
            try:
                await self.email.send(recipient.email, message.title, _greeting(recipient) + message.text())
            except Exception as error:
                raise DeliveryFailed(f"mail: {type(error).__name__}: {error}") from error
            return None
        if send.channel is Channel.SMS:
            number = send.address or await self._verified_number(send.user_id)
            assert number is not None
            retry_after = await self.limiter.acquire(
                [(f"sms:number:{number}", self.config.sms_per_number)], self.config.sms_window_s, send.id
            )
            if retry_after is not None:
                raise DeliveryFailed(f"too many texts to this number; free again in {retry_after} s")
            try:
                return await self.sms.send_sms(number, message.text(), self.config.status_callback_url)
            except Exception as error:
                raise DeliveryFailed(f"sms: {type(error).__name__}: {error}") from error
        return await self._push_all(send)

    async def _push_all(self, send: Send) -> str | None:
        """Push to each of the person's devices; tokens the service no longer knows are pruned."""
        sent: list[str] = []
        errors: list[str] = []
        for device in await self.devices.for_user(send.user_id):
            try:
                result = await self.push.push(device.token, send.message)
            except Exception as error:
                errors.append(f"{type(error).__name__}: {error}")
                continue
            if result.outcome is PushOutcome.SENT:
                sent.append(result.provider_id or "")
            elif result.outcome is PushOutcome.UNREGISTERED:
                await self.devices.prune(device.token)
            else:
                errors.append(result.error or "push failed")
        if sent:
            return ",".join(sent)
        if errors:
            raise DeliveryFailed("push: " + "; ".join(errors))
        raise NothingToSend("every device's token was unregistered (pruned)")

    async def _finish(
        self, send: Send, status: SendStatus, *, provider_id: str | None = None, error: str | None = None
    ) -> Send | None:
        changes: dict[str, object] = {"status": status, "provider_id": provider_id, "error": error}
        if send.kind in EMAIL_ONLY:  # its link or code works like a password: not kept readable once out
            changes["message.body"] = SCRUBBED
        return await self.sends.update(send.id, lambda _: changes, lambda s: s.status not in TERMINAL)

    # -- provider reports --------------------------------------------------------------------------------

    async def provider_status(self, provider_id: str, status: SendStatus, error: str | None) -> Send | None:
        """A delivery report (Twilio's status callback): sent → delivered or failed; never backwards."""
        send = await self.sends.by_provider_id(provider_id)
        if send is None or status not in (SendStatus.DELIVERED, SendStatus.FAILED):
            return send
        return await self.sends.update(
            send.id,
            lambda _: {"status": status, "error": error},
            lambda s: s.status in (SendStatus.QUEUED, SendStatus.SENT),
        )

    async def history(self, user_id: str, first: int) -> list[Send]:
        return await self.sends.for_user(user_id, max(1, min(first, MAX_PAGE)))

    # -- devices -----------------------------------------------------------------------------------------

    async def register_device(self, user_id: str, platform: Platform, token: str) -> Device:
        token = token.strip()
        if not token or len(token) > MAX_TOKEN_LENGTH or any(c.isspace() for c in token):
            raise BadUserInput("not a push registration token", field="token")
        device = Device(uuid.uuid4().hex, user_id, platform, token, self.clock())
        await self.devices.add(device)
        return device

    async def unregister_device(self, user_id: str, token: str) -> bool:
        if not await self.devices.remove(user_id, token.strip()):
            raise NotFound("no such device")
        return True

    async def devices_of(self, user_id: str) -> list[Device]:
        return await self.devices.for_user(user_id)


def _greeting(recipient: Recipient) -> str:
    return f"Hello {recipient.name},\n\n"
