"""Shared setup of the unit tests.

- The engine under test is the ``nnbook/`` of this repository: its root is
  put first on ``sys.path``, ahead of any other installed copy.
- Hypothesis runs derandomized and without an example database, so every run
  (locally and in CI) draws the same examples and writes nothing to disk.
  Tests choose their own ``max_examples``.
"""

import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
if sys.path[0] != str(ROOT):
    sys.path.insert(0, str(ROOT))

settings.register_profile(
    "nnbook",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("nnbook")
