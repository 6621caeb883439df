"""Outgoing mail over SMTP (stdlib smtplib in a worker thread: short, rare messages)."""

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import urlsplit

from anyio import to_thread


@dataclass(frozen=True)
class Mailer:
    url: str
    sender: str
    timeout_s: float

    def _connect(self) -> smtplib.SMTP:
        parts = urlsplit(self.url)
        cls = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
        smtp = cls(parts.hostname or "127.0.0.1", parts.port or 25, timeout=self.timeout_s)
        if parts.username:
            smtp.login(parts.username, parts.password or "")
        return smtp

    async def send(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, to, subject
        message.set_content(body)

        def deliver() -> None:
            with self._connect() as smtp:
                smtp.send_message(message)

        await to_thread.run_sync(deliver)

    async def noop(self) -> None:
        def ping() -> None:
            with self._connect() as smtp:
                smtp.noop()

        await to_thread.run_sync(ping)
