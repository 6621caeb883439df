"""The self-installing local stack: FerretDB, Redis, OpenSearch, S3 and an SMTP sink on loopback.

`python -m migratio.stack up|down|status`, or `ensure_stack_running(settings)` from a test fixture.
"""

from migratio.stack.control import down, ensure_stack_running, status, up
from migratio.stack.mailbox import read_mail
from migratio.stack.process import StackError

__all__ = ["StackError", "down", "ensure_stack_running", "read_mail", "status", "up"]
