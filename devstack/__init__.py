"""The self-installing local stack: FerretDB, Redis, OpenSearch, S3 and an SMTP sink on loopback.

`python -m devstack up|down|status`, or `ensure_stack_running(settings)` from a test fixture.
"""

from devstack.control import down, ensure_stack_running, status, up
from devstack.mailbox import read_mail
from devstack.process import StackError

__all__ = ["StackError", "down", "ensure_stack_running", "read_mail", "status", "up"]
