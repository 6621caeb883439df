"""The SMTP sink (`smtp_sink.py`) as a stack service: nothing to install, it ships with the package."""

import smtplib
import sys
from collections.abc import Mapping, Sequence

from devstack.layout import Address, address_of
from devstack.mailbox import mail_dir
from devstack.service import Service
from migratio.settings import PROJECT_ROOT


class SmtpService(Service):
    name = "smtp"
    startup_timeout_s = 20.0

    @property
    def address(self) -> Address:
        return address_of(self.settings.smtp_url, 25)

    def install(self) -> None:
        mail_dir(self.paths.root).mkdir(parents=True, exist_ok=True)

    def argv(self) -> Sequence[str]:
        return [
            sys.executable, "-m", "devstack.smtp_sink",
            "--host", self.address.host,
            "--port", str(self.address.port),
            "--maildir", str(mail_dir(self.paths.root)),
        ]  # fmt: skip

    def env(self) -> Mapping[str, str]:
        """It runs from its data directory, and devstack is not an installed package: point at the checkout."""
        return {"PYTHONPATH": str(PROJECT_ROOT)}

    def is_healthy(self) -> bool:
        try:
            with smtplib.SMTP(self.address.host, self.address.port, timeout=1) as client:
                return client.noop()[0] == 250
        except (OSError, smtplib.SMTPException):
            return False
