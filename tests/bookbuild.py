"""Build the Jupyter Book once per test session (shared by the book tests).

``test_book_build.py`` checks the build log; ``test_browser.py`` opens the
pages. Both ask for the ``book_build`` fixture, which runs
``jupyter-book build --all --warningiserror --keep-going`` on the repository
root into a temporary directory the first time and returns that result
afterwards, so ``make test`` builds the book once. The work tree's
``_build/`` is neither used nor touched by the build.
"""

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class BookBuild:
    returncode: int
    log: str  # stdout and stderr, without Sphinx's colour codes
    html: Path  # the _build/html directory of the build

    @property
    def warnings(self):
        return [line for line in self.log.splitlines() if "WARNING" in line]


_cache = {}


def _jupyter_book_executable():
    # The jupyter-book from the environment that runs the tests (the venv).
    # Not resolved: sys.executable may be a symlink out of the venv.
    bindir = Path(sys.executable).parent
    for name in ("jupyter-book", "jupyter-book.exe"):
        candidate = bindir / name
        if candidate.exists():
            return str(candidate)
    pytest.fail(f"jupyter-book not found next to {sys.executable}")


def build_book(tmp_path_factory):
    """The one build of this session (built on first call)."""
    if "build" not in _cache:
        out = tmp_path_factory.mktemp("book")
        cmd = [
            _jupyter_book_executable(),
            "build",
            str(ROOT),
            "--path-output",
            str(out),
            "--all",
            "--warningiserror",
            "--keep-going",
        ]
        proc = subprocess.run(
            cmd,
            cwd=ROOT,
            check=False,  # the tests report the exit status
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=900,
        )
        _cache["build"] = BookBuild(
            returncode=proc.returncode,
            log=ANSI_ESCAPE.sub("", proc.stdout),  # Sphinx colours its log
            html=out / "_build" / "html",
        )
    return _cache["build"]


@pytest.fixture(scope="session")
def book_build(tmp_path_factory):
    """The book built once per session; see :func:`build_book`."""
    return build_book(tmp_path_factory)
