"""Every stored notebook is in the form JupyterLab saves.

``make execute`` runs ``tools/normalize_notebooks.py``, so a reader who runs
a chapter in ``make lab`` and saves it sees no diff when the outputs are
the same (``tests/test_lab.py`` checks that in Lab for one chapter). This
test checks the form of all of them, without Lab: a notebook re-executed
without the normalizer (``nbconvert --execute`` alone stores execution
timestamps and widget state) fails here.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(str(p) for p in (ROOT / "book").glob("*.ipynb"))


def test_notebooks_are_stored_as_jupyterlab_saves_them():
    assert NOTEBOOKS
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "normalize_notebooks.py"),
         "--check", *NOTEBOOKS], capture_output=True, text=True)
    assert result.returncode == 0, (
        "run `make execute` (or tools/normalize_notebooks.py) on:\n"
        + result.stdout + result.stderr)


def test_the_check_fails_on_a_notebook_as_nbconvert_leaves_it(tmp_path):
    nb = Path(NOTEBOOKS[0]).read_text()
    stamped = nb.replace('"metadata": {}', '"metadata": {"execution": '
                         '{"iopub.status.busy": "2026-12-02T00:00:00"}}', 1)
    assert stamped != nb
    path = tmp_path / "stamped.ipynb"
    path.write_text(stamped)
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "normalize_notebooks.py"),
         "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 1
