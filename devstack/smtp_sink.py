"""A local SMTP server that keeps every message as one .eml file, so tests can read the mail really sent.

Run: python -m devstack.smtp_sink --host 127.0.0.1 --port 2526 --maildir .stack/data/mail
"""

import argparse
import asyncio
import os
import signal
import time
import uuid
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, Session


class MaildirHandler:
    """Writes each message atomically (temp file, then rename) so a reader never sees half a mail."""

    def __init__(self, maildir: Path) -> None:
        self.maildir = maildir

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        # envelope recipients include Bcc, which the headers do not show
        headers = (
            f"X-Envelope-From: {envelope.mail_from}\r\nX-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n"
        ).encode()
        await asyncio.to_thread(self._store, headers + (envelope.original_content or b""))
        return "250 Message accepted for delivery"

    def _store(self, message: bytes) -> None:
        name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.eml"
        temporary = self.maildir / f".{name}.tmp"
        temporary.write_bytes(message)
        os.replace(temporary, self.maildir / name)


def _accept_any_login(*_: Any) -> AuthResult:
    """Lets an app configured with SMTP credentials log in; the sink is loopback-only."""
    return AuthResult(success=True)


async def serve(host: str, port: int, maildir: Path) -> None:
    handler = MaildirHandler(maildir)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(
            handler,
            enable_SMTPUTF8=True,
            hostname="smtp-sink.local",
            authenticator=_accept_any_login,
            auth_require_tls=False,
        ),
        host=host,
        port=port,
    )
    stopped = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopped.set)
    print(f"smtp sink listening on {host}:{port}, writing to {maildir}", flush=True)
    async with server:
        await stopped.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=2526)
    parser.add_argument("--maildir", type=Path, required=True)
    args = parser.parse_args()
    args.maildir.mkdir(parents=True, exist_ok=True)
    asyncio.run(serve(args.host, args.port, args.maildir))


if __name__ == "__main__":
    main()
