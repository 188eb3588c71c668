"""Build the whole Jupyter Book and fail on any warning.

Runs ``jupyter-book build --all --warningiserror --keep-going`` on the
repository root into a temporary directory, so the work tree's ``_build/``
is neither used nor touched.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def _jupyter_book_executable():
    # The jupyter-book from the environment that runs the tests (the venv).
    # Not resolved: sys.executable may be a symlink out of the venv.
    bindir = Path(sys.executable).parent
    for name in ("jupyter-book", "jupyter-book.exe"):
        candidate = bindir / name
        if candidate.exists():
            return str(candidate)
    pytest.fail(f"jupyter-book not found next to {sys.executable}")


@pytest.mark.book
def test_book_builds_without_warnings(tmp_path):
    cmd = [
        _jupyter_book_executable(),
        "build",
        str(ROOT),
        "--path-output",
        str(tmp_path),
        "--all",
        "--warningiserror",
        "--keep-going",
    ]
    proc = subprocess.run(
        cmd,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=900,
    )
    log = ANSI_ESCAPE.sub("", proc.stdout)  # Sphinx colours its log
    assert proc.returncode == 0, (
        f"jupyter-book build exited with {proc.returncode}:\n{log}"
    )
    warnings = [line for line in log.splitlines() if "WARNING" in line]
    assert not warnings, "build log has warnings:\n" + "\n".join(warnings)
    index = tmp_path / "_build" / "html" / "index.html"
    assert index.is_file(), f"{index} missing; build log:\n{log}"
