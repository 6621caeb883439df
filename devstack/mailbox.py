"""Reads the mail the local SMTP sink received, so tests can assert on real messages."""

import email.policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses
from pathlib import Path


def mail_dir(stack_dir: Path) -> Path:
    return Path(stack_dir) / "data" / "mail"


_PARSED: dict[Path, tuple[EmailMessage, frozenset[str]]] = {}
"""Messages already parsed, by file: the sink writes each file once (a rename) and never changes it, and tests
poll the folder every 50 ms while it holds thousands of messages — parsing them all on every poll made a
suite's sign-ups slower with every mail sent before them."""


def read_mail(stack_dir: Path, to: str | None = None) -> list[EmailMessage]:
    """Messages in arrival order; with `to`, only those whose envelope recipients include that address.

    Files keep the wire's CRLF line ends; they are read with `\n` so bodies compare with plain strings.
    """
    parser = BytesParser(policy=email.policy.default)
    messages = []
    paths = sorted(mail_dir(stack_dir).glob("*.eml"))
    for gone in _PARSED.keys() - set(paths):
        del _PARSED[gone]
    for path in paths:
        held = _PARSED.get(path)
        if held is None:
            try:
                raw = path.read_bytes()
            except FileNotFoundError:  # another test run's cleanup removed it after the listing
                continue
            parsed = parser.parsebytes(raw.replace(b"\r\n", b"\n"))
            assert isinstance(parsed, EmailMessage)
            held = _PARSED[path] = (parsed, _recipients(parsed))
        message, recipients = held
        if to is None or to.lower() in recipients:
            messages.append(message)
    return messages


def _recipients(message: EmailMessage) -> frozenset[str]:
    """The envelope recipients, lower case (they include Bcc, which the headers do not show)."""
    return frozenset(addr.lower() for _, addr in getaddresses(message.get_all("X-Envelope-To", [])))
