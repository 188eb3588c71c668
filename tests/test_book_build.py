"""Build the whole Jupyter Book and fail on any warning.

The build (``jupyter-book build --all --warningiserror --keep-going`` into a
temporary directory) is shared with the browser tests: see ``bookbuild.py``.
"""

import pytest
from bookbuild import book_build  # noqa: F401  (the session fixture)


@pytest.mark.book
def test_book_builds_without_warnings(book_build):  # noqa: F811
    assert book_build.returncode == 0, (
        f"jupyter-book build exited with {book_build.returncode}:\n{book_build.log}"
    )
    assert not book_build.warnings, "build log has warnings:\n" + "\n".join(
        book_build.warnings
    )
    index = book_build.html / "index.html"
    assert index.is_file(), f"{index} missing; build log:\n{book_build.log}"
