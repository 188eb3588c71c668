"""Open the book in JupyterLab as `make lab` does, and read it like a reader.

A temporary copy of ``book/`` (the repository is never modified) is trusted
with ``jupyter trust`` (as ``make lab`` does), served by ``jupyter lab`` on
127.0.0.1 (a free port, a random token, Jupyter's config, data and runtime
directories in the temporary folder, so nothing of the user's is read or
written) and opened in headless Chromium (Debian's ``chromium`` package,
driven by Playwright, flags as in ``test_browser.py``). One chapter is
opened: the first, in file order, whose stored outputs hold an explorer
(``nnbook.explorer``), or else the first with an exercise. Then:

- before anything runs, its exercises are rendered by jupyterlab-myst (no
  raw ``{exercise}`` markup), a solution with ``:class: dropdown`` is
  folded, and the code of a ``solution-start``/``solution-end`` pair is
  collapsed (``tools/normalize_notebooks.py``);
- Run All Cells: no cell gives an error (cells tagged ``raises-exception``
  excepted) and no output shows a JavaScript or widget error;
- saved at once (Ctrl+S), the copy holds the repository's notebook (the
  same JSON) apart from PNG data and the outputs of cells marked
  ``# NBVAL_IGNORE_OUTPUT`` (timings: they differ on every run, so a chapter
  with one never saves clean) (``make execute`` stores the form Lab saves;
  the PNG bytes are matplotlib's on this machine, which nbval does not
  compare either);
- the first explorer's slider moved with the keyboard changes its image and
  its readout (the live widget recomputes through the kernel).

Lab's notebook windowing is switched off in the temporary settings, so every
cell is in the page. Without Chromium (or Playwright) the tests skip, saying
why; with the environment variable ``CI`` set they fail instead. About 40 s.
"""

import importlib.util
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from chromium import CHROMIUM_FLAGS, chromium_path, unavailable

pytestmark = [pytest.mark.book]
if importlib.util.find_spec("pytest_socket") is not None:
    # jupyter lab and the browser talk over 127.0.0.1.
    pytestmark.append(pytest.mark.enable_socket)

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
BIN = Path(sys.executable).parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
START_TIMEOUT = 90  # s, for jupyter lab to answer
RUN_TIMEOUT = 240  # s, for Run All Cells
# ms, for the page to show something. A few seconds on a quiet machine; the
# margin is for a machine loaded by other jobs (2 cores at load 13 took 30 s
# to render one chapter's Markdown).
WAIT_MS = 120_000
# Text that Lab or a widget shows when an output failed to render.
RENDER_ERRORS = ("Click to show javascript error", "Error displaying widget",
                 "model not found", "Failed to create view")




def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _has_explorer(nb):
    return any(
        str(out.get("data", {}).get(WIDGET_VIEW, {}).get("model_id", ""))
        .startswith("nnbook-")
        for cell in nb["cells"] for out in cell.get("outputs", []))


def _has_exercise(nb):
    return any(cell["cell_type"] == "markdown" and "{exercise" in _source(cell)
               for cell in nb["cells"])


def _chapter():
    """The notebook to open: the first with an explorer, else with an exercise."""
    notebooks = sorted(p for p in BOOK.glob("*.ipynb"))
    for path in notebooks:
        if _has_explorer(_load(path)):
            return path.name
    for path in notebooks:
        if _has_exercise(_load(path)):
            return path.name
    pytest.fail("no notebook under book/ has an exercise")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _jupyter(*args):
    exe = BIN / "jupyter"
    return [str(exe), *args] if exe.is_file() else [sys.executable, "-m", "jupyter", *args]


def _write_settings(folder, plugin, values):
    package, name = plugin.rsplit(":", 1)
    path = folder / package / f"{name}.jupyterlab-settings"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(values), encoding="utf-8")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """(base URL, token, copy of book/, chapter file name) of a running Lab."""
    if importlib.util.find_spec("jupyterlab") is None:
        unavailable("jupyterlab is not installed (requirements.txt)")
    if importlib.util.find_spec("jupyterlab_myst") is None:
        unavailable("jupyterlab-myst is not installed (requirements.txt)")
    chapter = _chapter()
    home = tmp_path_factory.mktemp("lab")
    root = home / "book"
    shutil.copytree(BOOK, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env.update(
        JUPYTER_PREFER_ENV_PATH="1",  # the venv's python3 kernel, as make lab
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        IPYTHONDIR=str(home / "ipython"),
    )
    # Every cell in the page (Lab renders only the visible ones by default),
    # and no news or update check (tools/jupyterlab_overrides.json, which
    # make venv installs, says the same).
    _write_settings(home / "settings", "@jupyterlab/notebook-extension:tracker",
                    {"windowingMode": "none"})
    _write_settings(home / "settings", "@jupyterlab/apputils-extension:notification",
                    {"fetchNews": "false", "checkForUpdates": False})
    # As make lab: trust the notebook (make lab trusts them all; signatures
    # go to JUPYTER_DATA_DIR).
    subprocess.run(_jupyter("trust", str(root / chapter)), env=env, check=True,
                   capture_output=True, timeout=120)
    port, token = _free_port(), secrets.token_hex(16)
    command = _jupyter(
        "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log_path = home / "lab.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(command, env=env, cwd=root, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("jupyter lab did not start:\n"
                                + log_path.read_text()[-3000:])
                time.sleep(0.2)
        yield url, token, root, chapter
    finally:
        # SIGTERM: the server shuts its kernels down, then exits.
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def page(lab):
    """The chapter open in Lab, before any cell ran; console errors recorded."""
    executable = chromium_path()
    if importlib.util.find_spec("playwright") is None:
        unavailable("the playwright package is not installed (requirements.txt)")
    from playwright.sync_api import sync_playwright

    url, token, _root, chapter = lab
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True,
                                     args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.errors = []
        page.on("pageerror", lambda err: page.errors.append(str(err)))
        page.on("console", lambda msg: page.errors.append(msg.text)
                if msg.type == "error" else None)
        page.goto(f"{url}/lab/tree/{chapter}?token={token}")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=WAIT_MS)
        page.wait_for_selector(
            ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=WAIT_MS)
        # jupyterlab-myst renders every Markdown cell.
        page.wait_for_function(
            "() => { const md = document.querySelectorAll('.jp-MarkdownCell');"
            " return md.length > 0 && [...md].every(c => c.querySelector('.myst')); }",
            timeout=WAIT_MS)
        yield page
        browser.close()


def _menu(page, menu, item):
    page.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


@pytest.fixture(scope="module")
def ran(page, lab):
    """Run All Cells, wait until done, save: the saved notebook (dict)."""
    _url, _token, root, chapter = lab
    saved = root / chapter
    before = saved.stat().st_mtime_ns
    # Clear every output first, so that "every code cell has a number again
    # and the kernel is idle" means the run is over. (The prompt of a cell
    # whose input is collapsed is empty.)
    prompts = "[...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]" \
              ".map(e => e.textContent.trim()).filter(t => t)"
    _menu(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function(f"() => {prompts}.every(t => !/\\d/.test(t))",
                           timeout=WAIT_MS)
    _menu(page, "Run", "Run All Cells")
    page.wait_for_function(
        f"() => {prompts}.every(t => /^\\[\\d+\\]/.test(t)) && document"
        ".querySelector(\".jp-Notebook-ExecutionIndicator[data-status='idle']\")",
        timeout=RUN_TIMEOUT * 1000)
    page.wait_for_selector(
        ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=WAIT_MS)
    page.locator(".jp-Notebook").first.click(position={"x": 5, "y": 5})
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")
    deadline = time.monotonic() + 30
    while saved.stat().st_mtime_ns == before:
        assert time.monotonic() < deadline, "Ctrl+S did not save the notebook"
        time.sleep(0.2)
    time.sleep(0.5)  # the write is complete
    return _load(saved)


def _markdown_text(page):
    return page.evaluate(
        "() => [...document.querySelectorAll('.jp-MarkdownCell .myst')]"
        ".map(e => e.innerText).join('\\n')")


def test_exercises_render_with_solutions_folded(page, lab):
    chapter = lab[3]
    text = _markdown_text(page)
    for raw in ("{exercise", "{solution", ":class: dropdown", ":label:"):
        assert raw not in text, f"raw MyST markup {raw!r} shown in {chapter}"
    exercises = page.locator(".jp-MarkdownCell .myst .myst-exercise")
    assert exercises.count() > 0, f"no exercise rendered in {chapter}"
    assert "Exercise" in exercises.first.inner_text()
    # A solution (dropdown) is a closed <details>: title shown, answer hidden.
    solutions = page.locator(".jp-MarkdownCell .myst details.myst-exercise")
    assert solutions.count() > 0, f"no folded solution in {chapter}"
    for i in range(solutions.count()):
        details = solutions.nth(i)
        assert details.get_attribute("open") is None, "a solution starts open"
        assert "Solution to" in details.locator("summary").inner_text()
    # Code inside solution-start/solution-end: collapsed in Lab.
    nb = _load(BOOK / chapter)
    cells = page.locator(".jp-Notebook .jp-Cell")
    assert cells.count() == len(nb["cells"])
    inside = False
    for i, cell in enumerate(nb["cells"]):
        src = _source(cell)
        if cell["cell_type"] == "markdown":
            if "{solution-start}" in src and "dropdown" in src:
                inside = "{solution-end}" not in src
            elif "{solution-end}" in src:
                inside = False
        elif inside:
            placeholder = cells.nth(i).locator(".jp-InputPlaceholder")
            assert placeholder.count() and placeholder.first.is_visible(), (
                f"cell {i} of {chapter}, code of a folded solution, is not "
                "collapsed: run tools/normalize_notebooks.py on it")


def test_run_all_gives_no_error(ran, page, lab):
    chapter = lab[3]
    for i, cell in enumerate(ran["cells"]):
        if "raises-exception" in cell.get("metadata", {}).get("tags", []):
            continue
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", (
                f"cell {i} of {chapter} raised in Lab: {out.get('ename')}: "
                f"{out.get('evalue')}")
    shown = page.evaluate(
        "() => [...document.querySelectorAll('.jp-OutputArea-output')]"
        ".map(e => e.innerText).join('\\n')")
    for text in RENDER_ERRORS:
        assert text not in shown, f"an output of {chapter} shows {text!r}"


def _ignores_output(cell):
    # nbval's markers: a timing cell's output differs on every run.
    return ("nbval-ignore-output" in cell.get("metadata", {}).get("tags", [])
            or re.search(r"^\s*# NBVAL_IGNORE_OUTPUT\s*$", _source(cell), re.M))


def _mask_png(nb):
    for cell in nb.get("cells", []):
        if cell["cell_type"] == "code" and _ignores_output(cell):
            cell["outputs"] = "<outputs that vary, as nbval ignores them>"
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "image/png" in data:
                data["image/png"] = "<png>"
            html = data.get("text/html")
            if html is not None:
                html = "".join(html) if isinstance(html, list) else html
                data["text/html"] = re.sub(
                    r"data:image/png;base64,[A-Za-z0-9+/=]+", "data:<png>", html)
    return nb


def test_saving_after_run_all_changes_nothing(ran, lab):
    chapter = lab[3]
    stored = _mask_png(_load(BOOK / chapter))
    saved = _mask_png(ran)
    if saved == stored:
        return
    diffs = [f"metadata: {saved['metadata']!r} != {stored['metadata']!r}"] if (
        saved["metadata"] != stored["metadata"]) else []
    for i, (a, b) in enumerate(zip(saved["cells"], stored["cells"])):
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                diffs.append(f"cell {i} {key}: Lab saved {str(a.get(key))[:200]!r}, "
                             f"stored {str(b.get(key))[:200]!r}")
    pytest.fail(f"saving {chapter} in Lab after Run All changed it (run "
                "`make execute NOTEBOOKS=book/...` or tools/normalize_notebooks.py):\n"
                + "\n".join(diffs[:10]))


def test_explorer_slider_redraws(ran, page, lab):
    chapter = lab[3]
    if not _has_explorer(_load(BOOK / chapter)):
        pytest.skip(f"no notebook under book/ has an explorer ({chapter} opened)")
    box = page.locator(".jp-OutputArea-output .widget-vbox",
                       has=page.locator(".widget-slider")).first
    box.wait_for(timeout=WAIT_MS)
    # The frame: an <img> (with its alt text) in an HTML widget; the readout:
    # the HTML widget under it.
    image = box.locator(".widget-html img").first
    assert image.count(), (
        f"the first explorer of {chapter} shows no image: "
        + box.inner_text()[:300])
    assert image.get_attribute("alt"), "the explorer's image has no alt text"
    readout = box.locator(".widget-html").last
    handle = box.locator(".noUi-handle").first
    before = (image.get_attribute("src"), readout.inner_text())
    handle.focus()
    handle.press("ArrowRight")
    deadline = time.monotonic() + 20
    while (image.get_attribute("src"), readout.inner_text()) == before:
        assert time.monotonic() < deadline, (
            f"moving the first explorer's slider in {chapter} changed nothing")
        time.sleep(0.2)
    after_src = image.get_attribute("src")
    assert after_src != before[0], "the explorer's image did not change"
    assert readout.inner_text() != before[1], "the explorer's readout did not change"
    # The image is a PNG the kernel drew.
    assert after_src.startswith("data:image/png"), after_src[:40]


def test_a_chapter_link_opens_the_chapter(ran, page, lab):
    # Chapters link each other with [](NN_name.ipynb) (a {doc} role would be
    # a dead link in Lab): clicking one opens that notebook in a new tab.
    # Last in this file: it leaves another notebook active.
    chapter = lab[3]
    links = page.locator(".jp-MarkdownCell .myst a[href*='.ipynb']")
    if not links.count():
        pytest.skip(f"{chapter} links no other chapter")
    link = links.first
    target = re.search(r"([\w-]+\.ipynb)", link.get_attribute("href"))[1]
    assert target != chapter and (BOOK / target).is_file(), target
    link.click()
    page.locator(".lm-TabBar-tabLabel", has_text=target).first.wait_for(
        timeout=WAIT_MS)
