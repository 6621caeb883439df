"""Reads the mail the local SMTP sink received, so tests can assert on real messages."""

import email.policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses
from pathlib import Path


def mail_dir(stack_dir: Path) -> Path:
    return Path(stack_dir) / "data" / "mail"


def read_mail(stack_dir: Path, to: str | None = None) -> list[EmailMessage]:
    """Messages in arrival order; with `to`, only those whose envelope recipients include that address.

    Files keep the wire's CRLF line ends; they are read with `\n` so bodies compare with plain strings.
    """
    parser = BytesParser(policy=email.policy.default)
    messages = []
    for path in sorted(mail_dir(stack_dir).glob("*.eml")):
        try:
            raw = path.read_bytes()
        except FileNotFoundError:  # another test run's cleanup removed it after the listing
            continue
        message = parser.parsebytes(raw.replace(b"\r\n", b"\n"))
        assert isinstance(message, EmailMessage)
        if to is None or _addressed_to(message, to):
            messages.append(message)
    return messages


def _addressed_to(message: EmailMessage, address: str) -> bool:
    recipients = getaddresses(message.get_all("X-Envelope-To", []))
    return address.lower() in {addr.lower() for _, addr in recipients}
