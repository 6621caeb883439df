"""The bench scripts import one another as top-level modules (they run as `python bench/<script>.py`); their
tests import them the same way."""

import sys

from migratio.settings import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
