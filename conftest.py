"""Root pytest configuration.

- Makes the relative ``--nbval-sanitize-with`` path in pyproject.toml work
  when pytest is started from a sub-directory (it is resolved against the
  rootdir).
- Times every notebook that nbval runs and prints a table at the end of the
  run: seconds per notebook (kernel start, every cell, kernel shutdown: the
  sum of the setup, call and teardown durations of its items) and the total.
  A notebook over ``--notebook-time-limit`` (20 s) or a total over
  ``--book-time-limit`` (240 s) is marked in the table, a ``FAILED`` line
  names it, and the run exits non-zero even if every cell passed. A limit of
  0 turns that check off (e.g. on a loaded machine or with ``-n``). nbval's
  own behaviour is unchanged: this only reads the reports.
"""

from pathlib import Path

import pytest

NOTEBOOK_TIME_LIMIT = 20.0   # seconds, one notebook
BOOK_TIME_LIMIT = 240.0      # seconds, all 22 notebooks of the run together


def pytest_addoption(parser):
    group = parser.getgroup("nnbook", "nnbook notebook timing")
    group.addoption(
        "--notebook-time-limit", type=float, default=NOTEBOOK_TIME_LIMIT,
        metavar="SECONDS",
        help="fail the run if one notebook takes longer under nbval "
             f"(default {NOTEBOOK_TIME_LIMIT:g}; 0: no limit)",
    )
    group.addoption(
        "--book-time-limit", type=float, default=BOOK_TIME_LIMIT,
        metavar="SECONDS",
        help="fail the run if all notebooks together take longer "
             f"(default {BOOK_TIME_LIMIT:g}; 0: no limit)",
    )


def pytest_configure(config):
    sanitize = getattr(config.option, "nbval_sanitize_with", None)
    if sanitize and not Path(sanitize).is_absolute():
        config.option.nbval_sanitize_with = str(config.rootpath / sanitize)
    if not hasattr(config, "workerinput"):   # the xdist controller, or no xdist
        config.pluginmanager.register(NotebookTimer(config),
                                      "nnbook-notebook-timer")


class NotebookTimer:
    """Adds up the durations nbval's items report, per notebook."""

    def __init__(self, config):
        self.notebook_limit = config.getoption("notebook_time_limit")
        self.book_limit = config.getoption("book_time_limit")
        self.seconds = {}                    # "book/01_x.ipynb" -> seconds
        self.problems = []

    def pytest_runtest_logreport(self, report):
        path = report.nodeid.split("::", 1)[0]
        if path.endswith(".ipynb"):
            self.seconds[path] = self.seconds.get(path, 0.0) + report.duration

    def _over(self, value, limit):
        return limit > 0 and value > limit

    def pytest_sessionfinish(self, session):
        total = sum(self.seconds.values())
        self.problems = [
            f"{path} took {sec:.1f} s (limit {self.notebook_limit:g} s)"
            for path, sec in sorted(self.seconds.items())
            if self._over(sec, self.notebook_limit)
        ]
        if self._over(total, self.book_limit):
            self.problems.append(f"all notebooks took {total:.1f} s "
                                 f"(limit {self.book_limit:g} s)")
        if self.problems and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter):
        if not self.seconds:
            return
        tr = terminalreporter
        total = sum(self.seconds.values())
        width = max(len(path) for path in self.seconds) + 2
        tr.write_sep("-", "notebook execution times (nbval)")
        tr.write_line(f"{'notebook':{width}s}{'seconds':>8s}")
        for path, sec in sorted(self.seconds.items()):
            flag = "  over the limit" if self._over(
                sec, self.notebook_limit) else ""
            tr.write_line(f"{path:{width}s}{sec:8.1f}{flag}",
                          red=bool(flag))
        n = len(self.seconds)
        label = f"total ({n} notebook{'' if n == 1 else 's'})"
        flag = "  over the limit" if self._over(total, self.book_limit) else ""
        tr.write_line(f"{label:{width}s}{total:8.1f}{flag}", red=bool(flag))
        limits = (f"limits: {self.notebook_limit:g} s per notebook, "
                  f"{self.book_limit:g} s in all (0 = none)")
        tr.write_line(limits)
        for problem in self.problems:
            tr.write_line(f"FAILED notebook time limit: {problem}",
                          red=True, bold=True)
