"""Headless Chromium for the browser tests (test_browser.py, test_lab.py).

Debian's ``chromium`` package, driven by the PyPI ``playwright`` package
(which downloads no browser). Without Chromium the tests skip, saying why;
with the environment variable ``CI`` set they fail instead.
"""

import os
import shutil
from pathlib import Path

import pytest

# No sandbox (root in a container), no GPU, and nothing that phones home:
# every request that leaves 127.0.0.1 would be refused here anyway.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def unavailable(reason):
    """Skip the test, or fail it when ``CI`` is set."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is an error, not a skip)")
    pytest.skip(reason)


def chromium_path():
    """The Chromium executable (``NNBOOK_CHROMIUM`` first), or skip."""
    for candidate in (
        os.environ.get("NNBOOK_CHROMIUM"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        "/usr/bin/chromium",
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    unavailable(
        "Chromium not found: install Debian's chromium package "
        "(apt-get install chromium; .ci/run does) or set NNBOOK_CHROMIUM"
    )
