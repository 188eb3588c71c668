"""Open every page of the built book in headless Chromium.

The book is built once per session (``bookbuild.book_build``) into a
temporary directory, served by this test from 127.0.0.1 (``http.server`` in a
thread) and opened with Playwright driving Debian's ``chromium`` package
(``executable_path``; Playwright downloads no browser). Every page is opened
once; what it showed is recorded and the tests below check it:

- math is typeset by MathJax (served from the book itself) on every page
  that has math, with no raw TeX left and no TeX errors;
- every image loaded and has alt text;
- no console error, no page error, no failed or non-local request: any
  request whose host is not 127.0.0.1 is aborted and reported;
- solutions start collapsed and open when clicked; chapters link to the
  glossary and cite the bibliography;
- every matplotlib JavaScript animation (``FuncAnimation.to_jshtml()``) has
  its controls, and pressing Play advances its frame slider (skipped when
  the book has none left: explorers replaced them);
- every explorer (``nnbook.explorer``, ``div.nnbook-explorer``) has an image
  with alt text, and sliders with a label and ``aria-valuetext``; pressing
  End (or Home) on each slider changes the image, its alt text, the readout
  and the slider's value text; every combination of slider values shows a
  frame that decodes as an image; every chapter of Parts I-III (``_toc.yml``)
  has an explorer;
- axe-core (vendored in ``tests/vendor/axe-core``, injected into each page)
  finds no critical accessibility violation; serious ones are summarized
  (printed, and one warning), not failed;
- each page of the book, with the images it loads from ``_images/``, is
  under 3 MB (the explorers' frames are inside the page);
- the search page finds a chapter by a word in it; the dark-mode toggle
  switches the theme;
- on every chapter whose Markdown pastes glued values (``{glue:text}``), the
  first one shows the value stored in the notebook, every role rendered,
  and no raw ``{glue`` is left (``test_glued_numbers_render``).
- every page links the favicon and shows the logo, both load, and
  /favicon.ico exists at the site's root; chapters have copy buttons on
  their code; every page has Open Graph meta tags with no image;
- opened from the file system (file://, no server), the book still shows
  math, figures, explorers whose sliders move them, and animations that
  play.

A full-page screenshot of every page is written to ``_build/screenshots/``
in the work tree, for people to look at.

Without Chromium (or Playwright) the tests skip, saying why; with the
environment variable ``CI`` set they fail instead.
"""

import functools
import http.server
import importlib.util
import re
import threading
import time
import urllib.request
import warnings
from urllib.parse import urlsplit

import pytest
from bookbuild import ROOT, book_build  # noqa: F401  (the session fixture)
from chromium import CHROMIUM_FLAGS, chromium_path, unavailable

pytestmark = [pytest.mark.book]
if importlib.util.find_spec("pytest_socket") is not None:
    # The local server and the browser need sockets (to 127.0.0.1 only;
    # every other request is aborted by the browser test itself).
    pytestmark.append(pytest.mark.enable_socket)

SCREENSHOTS = ROOT / "_build" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1"}
# A word that occurs in one chapter's text, and that chapter's page.
SEARCH_WORD, SEARCH_PAGE = "Kaiming", "book/10_initialization.html"
# axe-core, injected into every page (tests/vendor/axe-core/README.md).
AXE_JS = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
# Each page of the book with the images it references: "under about 3 MB".
PAGE_BYTES_LIMIT = 3_000_000
# The parts of _toc.yml whose every chapter must have an explorer (issue 16).
EXPLORER_PARTS = ("Part I:", "Part II:", "Part III:")




class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(book_build):  # noqa: F811
    """Base URL of the built book, served from 127.0.0.1 on a free port."""
    if book_build.returncode != 0 or not (book_build.html / "index.html").is_file():
        pytest.fail("the book did not build (see test_book_build.py)")
    handler = functools.partial(_QuietHandler, directory=str(book_build.html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", book_build.html
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    if importlib.util.find_spec("playwright") is None:
        unavailable("the playwright package is not installed (requirements.txt)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


def _is_local(url):
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about", "file") or (
        parts.hostname in LOCAL_HOSTS
    )


class PageLog:
    """What happened while one page was open."""

    def __init__(self, page):
        self.console_errors = []
        self.page_errors = []
        self.blocked = []  # requests to other hosts, aborted
        self.failed = []  # local requests that failed or returned >= 400
        page.on(
            "console",
            lambda msg: (
                msg.type == "error"
                and self.console_errors.append(
                    f"{msg.text} ({msg.location.get('url')})"
                )
            ),
        )
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on(
            "requestfailed",
            lambda req: (
                _is_local(req.url)
                and self.failed.append(f"{req.url}: {req.failure}")
            ),
        )
        page.on(
            "response",
            lambda resp: (
                resp.status >= 400
                and self.failed.append(f"{resp.url}: HTTP {resp.status}")
            ),
        )
        page.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        if _is_local(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def problems(self):
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"page error: {m}" for m in self.page_errors]
            + [f"request to another host (aborted): {u}" for u in self.blocked]
            + [f"failed request: {u}" for u in self.failed]
        )


# Runs in the page: typeset state of the math.
MATH_JS = """async () => {
  const math = document.querySelectorAll('.math, span.math, div.math');
  if (math.length === 0) return {count: 0};
  const deadline = Date.now() + 30000;
  while (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) {
    if (Date.now() > deadline) return {count: math.length, loaded: false};
    await new Promise(r => setTimeout(r, 50));
  }
  await MathJax.startup.promise;
  const raw = [];
  for (const el of math) {
    if (!el.querySelector('mjx-container')) raw.push(el.textContent.slice(0, 80));
  }
  // Raw TeX delimiters left in the text outside code.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    if (node.parentElement.closest('pre, code, script, style, mjx-container, textarea'))
      continue;
    const t = node.textContent;
    if (t.includes('\\\\(') || t.includes('\\\\[') || t.includes('$$'))
      raw.push(t.trim().slice(0, 80));
  }
  return {
    count: math.length,
    loaded: true,
    typeset: document.querySelectorAll('mjx-container').length,
    raw: raw,
    errors: Array.from(document.querySelectorAll('mjx-merror'))
                 .map(e => e.textContent.slice(0, 80)),
  };
}"""

# Runs in the page: wait for every image, then report the broken ones and
# the ones without alt text.
IMAGES_JS = """async () => {
  const imgs = Array.from(document.images);
  for (const img of imgs) img.loading = 'eager';
  await Promise.all(imgs.map(img => img.complete ? null :
    new Promise(r => { img.addEventListener('load', r); img.addEventListener('error', r);
                       setTimeout(r, 10000); })));
  const name = img => img.getAttribute('src').slice(0, 80);
  return {
    count: imgs.length,
    broken: imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(name),
    no_alt: imgs.filter(i => !i.closest('.animation')
                             && !(i.getAttribute('alt') || '').trim()).map(name),
  };
}"""

ANIMATION_JS = """() => Array.from(document.querySelectorAll('div.animation')).map(a => ({
  slider: !!a.querySelector('input[type=range]'),
  img: !!a.querySelector('img'),
  buttons: Array.from(a.querySelectorAll('button')).map(b => b.title),
}))"""


# Runs in the page: is each solution's body shown?
SOLUTIONS_JS = """() => Array.from(document.querySelectorAll('.solution.dropdown')).map(s => {
  const body = Array.from(s.children).find(c => !c.classList.contains('admonition-title'));
  return !!body && body.getBoundingClientRect().height > 0
         && getComputedStyle(body).visibility !== 'hidden';
})"""

LINKS_JS = """() => ({
  glossary: document.querySelectorAll('article a[href*="glossary.html#term-"]').length,
  citations: document.querySelectorAll('article a[href*="bibliography.html#"]').length,
})"""


# Runs in the page (after IMAGES_JS): the favicon links and the logo. Every
# fetch is also seen by PageLog, so a 404 is a failed request there too.
# (/favicon.ico itself is fetched by the test: with request routing on,
# Chromium fails a page's fetch of that one path without routing it.)
ICONS_JS = """async () => {
  const status = async url => {
    try { return (await fetch(url, {cache: 'no-store'})).status; }
    catch (e) { return String(e); }
  };
  const icons = Array.from(document.querySelectorAll('link[rel~="icon"]'));
  return {
    icons: await Promise.all(icons.map(async l => [l.href, await status(l.href)])),
    logos: Array.from(document.querySelectorAll('img.logo__image')).map(
      i => [i.getAttribute('src'), i.complete && i.naturalWidth > 0]),
    copy_buttons: document.querySelectorAll('button.copybtn').length,
  };
}"""


def _check_solutions(page):
    """Solutions start collapsed; the first one's toggle button opens it."""
    shown = page.evaluate(SOLUTIONS_JS)
    result = {"count": len(shown), "shown_at_start": sum(shown), "opens": None}
    if shown:
        # The chevron button. (The "Exercise N.M" link inside the title:
        # test_solution_title_link_opens_solution.)
        page.locator(".solution.dropdown .toggle-button").first.click()
        page.wait_for_timeout(100)
        result["opens"] = page.evaluate(SOLUTIONS_JS)[0]
    return result


def _check_animations(page):
    """Controls of every animation on the page; does Play advance it?"""
    results = []
    for i, info in enumerate(page.evaluate(ANIMATION_JS)):
        anim = page.locator("div.animation").nth(i)
        info["plays"] = False
        if info["slider"] and "Play" in info["buttons"]:
            anim.scroll_into_view_if_needed()
            slider = anim.locator("input[type=range]")
            anim.locator("button[title='First frame']").click()
            start = slider.input_value()
            anim.locator("button[title='Play']").click()
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                if slider.input_value() != start:
                    info["plays"] = True
                    break
                page.wait_for_timeout(50)
            anim.locator("button[title='Pause']").click()
        results.append(info)
    return results


# Runs on one explorer (div.nnbook-explorer): what a reader and a screen
# reader get without moving anything.
EXPLORER_JS = """root => {
  const img = root.querySelector('img');
  const name = el => {
    const by = (el.getAttribute('aria-labelledby') || '').split(/\\s+/)
      .map(id => document.getElementById(id)).filter(e => e)
      .map(e => e.textContent.trim()).join(' ');
    const labels = Array.from(el.labels || []).map(l => l.textContent.trim()).join(' ');
    return (by || (el.getAttribute('aria-label') || '').trim() || labels
            || (el.getAttribute('title') || '').trim());
  };
  return {
    id: root.id,
    img: !!img,
    alt: img ? (img.getAttribute('alt') || '').trim() : '',
    readout: !!root.querySelector('.nnbook-explorer-readout'),
    sliders: Array.from(root.querySelectorAll('input[type="range"]')).map(i => ({
      id: i.id, label: name(i), valuetext: (i.getAttribute('aria-valuetext') || '').trim(),
    })),
    buttons: Array.from(root.querySelectorAll('button'))
      .map(b => b.textContent.trim() || name(b)),
  };
}"""

# Runs on one explorer after a slider moved: what it shows now, once its
# image is decoded.
EXPLORER_STATE_JS = """async (root, j) => {
  const img = root.querySelector('img');
  let decoded = true;
  try { await img.decode(); } catch (e) { decoded = false; }
  const input = root.querySelectorAll('input[type="range"]')[j];
  const readout = root.querySelector('.nnbook-explorer-readout');
  return {
    src: img.getAttribute('src'), alt: img.getAttribute('alt') || '',
    decoded: decoded && img.naturalWidth > 0,
    readout: readout ? readout.textContent : '',
    value: input.value, max: input.max,
    valuetext: input.getAttribute('aria-valuetext') || '',
    output: input.nextElementSibling ? input.nextElementSibling.textContent : '',
  };
}"""

# Runs on one explorer: sets the sliders to every combination of their
# positions in turn (as a reader's input events would) and checks that each
# frame shown decodes as an image with alt text; restores the start.
EXPLORER_FRAMES_JS = """async root => {
  const img = root.querySelector('img');
  const inputs = Array.from(root.querySelectorAll('input[type="range"]'));
  const start = inputs.map(i => i.value);
  const sizes = inputs.map(i => Math.round((Number(i.max) - Number(i.min)) /
                                           Number(i.step || 1)) + 1);
  const total = sizes.reduce((a, b) => a * b, 1);
  const broken = [], no_alt = [], srcs = new Set();
  const set = values => {
    inputs.forEach((i, k) => { i.value = values[k]; });
    inputs.forEach(i => i.dispatchEvent(new Event('input', {bubbles: true})));
  };
  for (let n = 0; n < total; n++) {
    let rest = n;
    const values = sizes.map(() => 0);
    for (let k = inputs.length - 1; k >= 0; k--) {
      values[k] = String(Number(inputs[k].min) + (rest % sizes[k]) * Number(inputs[k].step || 1));
      rest = Math.floor(rest / sizes[k]);
    }
    set(values);
    let ok = true;
    try { await img.decode(); } catch (e) { ok = false; }
    if (!(ok && img.naturalWidth > 0)) broken.push(values.join(','));
    if (!(img.getAttribute('alt') || '').trim()) no_alt.push(values.join(','));
    srcs.add(img.getAttribute('src'));
  }
  set(start);
  return {total: total, broken: broken, no_alt: no_alt, distinct: srcs.size};
}"""


def _check_explorers(page, frames=True):
    """Every explorer on the page: its labels, and what moving each slider
    with the keyboard (End, or Home if it is at the end) changes; with
    ``frames``, also whether every combination of values shows a frame."""
    results = []
    explorers = page.locator("div.nnbook-explorer")
    for i in range(explorers.count()):
        explorer = explorers.nth(i)
        info = explorer.evaluate(EXPLORER_JS)
        info["moves"] = []
        sliders = explorer.locator('input[type="range"]')
        for j in range(sliders.count()):
            before = explorer.evaluate(EXPLORER_STATE_JS, j)
            key = "Home" if before["value"] == before["max"] else "End"
            move = {"slider": info["sliders"][j]["id"], "key": key}
            try:
                sliders.nth(j).press(key, timeout=5000)
            except Exception as exc:  # playwright's TimeoutError, or not focusable
                move["error"] = str(exc).splitlines()[0]
                info["moves"].append(move)
                continue
            after = explorer.evaluate(EXPLORER_STATE_JS, j)
            move["moved"] = after["value"] != before["value"]
            move["decoded"] = after["decoded"]
            move["unchanged"] = [
                what for what in ("src", "alt", "readout", "valuetext", "output")
                if after[what] == before[what]
                # A readout is optional (draw may return None).
                and not (what == "readout" and not before[what] and not after[what])
            ]
            info["moves"].append(move)
        info["frames"] = explorer.evaluate(EXPLORER_FRAMES_JS) if frames else None
        results.append(info)
    return results


def _explorer_problems(name, info):
    """What is wrong with one explorer's record from _check_explorers."""
    where = f"{name}: explorer {info['id']!r}"
    problems = []
    if not info["img"]:
        problems.append(f"{where}: no image")
    elif not info["alt"]:
        problems.append(f"{where}: image without alt text")
    if not info["readout"]:
        problems.append(f"{where}: no readout (.nnbook-explorer-readout)")
    if not info["sliders"]:
        problems.append(f"{where}: no slider")
    for slider in info["sliders"]:
        if not slider["label"]:
            problems.append(f"{where}: slider {slider['id']!r} has no label")
        if not slider["valuetext"]:
            problems.append(f"{where}: slider {slider['id']!r} has no aria-valuetext")
    problems += [f"{where}: a button without a label" for b in info["buttons"] if not b]
    for move in info["moves"]:
        what = f"{where}: {move['key']} on slider {move['slider']!r}"
        if "error" in move:
            problems.append(f"{what} failed: {move['error']}")
            continue
        if not move["moved"]:
            problems.append(f"{what} did not move it")
        elif move["unchanged"]:
            problems.append(f"{what} did not change its {', '.join(move['unchanged'])}")
        if not move["decoded"]:
            problems.append(f"{what}: the new frame does not decode as an image")
    frames = info.get("frames")
    if frames:
        if frames["broken"]:
            problems.append(f"{where}: {len(frames['broken'])} of {frames['total']} "
                            f"frames do not decode (slider positions "
                            f"{frames['broken'][:5]})")
        if frames["no_alt"]:
            problems.append(f"{where}: {len(frames['no_alt'])} frames without alt "
                            f"text (slider positions {frames['no_alt'][:5]})")
    return problems


# Runs in the page after axe.min.js: axe-core's violations, each with the
# elements it concerns (CSS selector, start of the HTML).
AXE_RUN_JS = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160)})),
  }));
}"""

# Violations of axe-core left out of test_axe_finds_no_critical_violation,
# as (rule id, page name or "*", substring of the element's selector or HTML,
# reason). Only for what the theme, Sphinx or a Sphinx extension write and the
# book cannot fix; the book's own content is never left out. Empty: the one
# critical violation that Sphinx wrote (docutils' bibliography list, with no
# list items: aria-required-children) is fixed by _ext/nnbook_a11y.py. The
# serious ones left are the theme's (its search and colour-mode buttons'
# names, label-content-name-mismatch): reported, not failed.
AXE_EXCLUDED = []


def _axe_excluded(name, violation, node):
    return any(
        rule == violation["id"]
        and page in ("*", name)
        and (part in node["target"] or part in node["html"])
        for rule, page, part, _reason in AXE_EXCLUDED
    )


def _run_axe(page):
    """axe-core's violations on the page as it is now."""
    page.add_script_tag(content=_axe_source())
    return page.evaluate(AXE_RUN_JS)


@functools.lru_cache(maxsize=1)
def _axe_source():
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} is missing (see tests/vendor/axe-core/README.md)")
    return AXE_JS.read_text(encoding="utf-8")


def _is_redirect(path):
    head = path.read_text(encoding="utf-8", errors="replace")[:2000].lower()
    return 'http-equiv="refresh"' in head


@pytest.fixture(scope="module")
def visits(site, browser):
    """Open every page once; record math, images, errors, animations."""
    base, html = site
    pages = sorted(
        p.relative_to(html).as_posix()
        for p in html.rglob("*.html")
        if not p.relative_to(html).parts[0].startswith("_")
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in [*SCREENSHOTS.glob("*.png"), *SCREENSHOTS.glob("*.jpg")]:
        old.unlink()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    results = {}
    for name in pages:
        page = context.new_page()
        log = PageLog(page)
        page.goto(base + name, wait_until="load")
        if _is_redirect(html / name):
            # index.html only sends the reader on to the first chapter, which
            # is opened in its own right.
            page.wait_for_url(
                lambda url, name=name: not url.endswith(name), timeout=10000
            )
            page.close()
            continue
        record = {
            "math": page.evaluate(MATH_JS),
            "images": page.evaluate(IMAGES_JS),
            "links": page.evaluate(LINKS_JS),
            "icons": page.evaluate(ICONS_JS),
        }
        # The page as a reader first sees it (before the clicks below), whole,
        # as JPEG: a full-page PNG of a chapter takes twice as long to write.
        shot = SCREENSHOTS / (name.removesuffix(".html").replace("/", "__") + ".jpg")
        page.screenshot(path=str(shot), full_page=True, type="jpeg", quality=60)
        record["animations"] = _check_animations(page)
        record["solutions"] = _check_solutions(page)
        record["explorers"] = _check_explorers(page)
        # After the clicks: one solution is open, the sliders have moved.
        record["axe"] = _run_axe(page)
        record["problems"] = log.problems()
        record["screenshot"] = shot
        results[name] = record
        page.close()
    context.close()
    return results


def test_every_page_was_opened(visits):
    assert "book/intro.html" in visits
    assert "search.html" in visits
    chapters = [name for name in visits if name.startswith("book/")]
    assert len(chapters) >= 12, sorted(visits)


def test_math_is_typeset(visits):
    problems = []
    pages_with_math = 0
    for name, record in visits.items():
        math = record["math"]
        if not math["count"]:
            continue
        pages_with_math += 1
        if not math["loaded"]:
            problems.append(f"{name}: MathJax did not load")
            continue
        if math["typeset"] < math["count"]:
            problems.append(
                f"{name}: {math['typeset']} typeset of {math['count']} formulas"
            )
        problems += [f"{name}: raw TeX {t!r}" for t in math["raw"]]
        problems += [f"{name}: TeX error {t!r}" for t in math["errors"]]
    assert pages_with_math >= 12, "expected math on every chapter"
    assert not problems, "\n".join(problems)


def test_images_load_and_have_alt_text(visits):
    problems = []
    for name, record in visits.items():
        images = record["images"]
        problems += [f"{name}: image did not load: {s}" for s in images["broken"]]
        problems += [f"{name}: image without alt text: {s}" for s in images["no_alt"]]
    assert sum(r["images"]["count"] for r in visits.values()) > 0
    assert not problems, "\n".join(problems)


def test_no_errors_and_no_request_leaves_localhost(visits):
    problems = [
        f"{name}: {problem}"
        for name, record in visits.items()
        for problem in record["problems"]
    ]
    assert not problems, "\n".join(problems)


def test_animations_have_controls_and_play(visits):
    animations = [
        (name, anim) for name, record in visits.items() for anim in record["animations"]
    ]
    if not animations:
        pytest.skip("no matplotlib JavaScript animation in the book (explorers, "
                    "checked by test_explorers_are_labelled_and_move, replaced them)")
    problems = []
    for name, anim in animations:
        if not (anim["slider"] and anim["img"]):
            problems.append(f"{name}: animation without frame image or slider")
        missing = {"Play", "Pause", "First frame", "Next frame"} - set(anim["buttons"])
        if missing:
            problems.append(f"{name}: animation lacks buttons {sorted(missing)}")
        if not anim["plays"]:
            problems.append(f"{name}: Play did not advance the animation's slider")
    assert not problems, "\n".join(problems)


def test_explorers_are_labelled_and_move(visits):
    """Every explorer: alt text, labelled sliders with value texts; End or
    Home on each slider changes the frame, its alt text, the readout and the
    value text, with no console error (test_no_errors_and_no_request_leaves_
    localhost); every combination of values shows a frame that decodes."""
    explorers = [(name, info) for name, record in visits.items()
                 for info in record["explorers"]]
    assert explorers, "no explorer (div.nnbook-explorer) in the book"
    problems = [p for name, info in explorers for p in _explorer_problems(name, info)]
    assert not problems, "\n".join(problems)


def _toc_part_pages(prefixes):
    """The pages (book/NAME.html) of the _toc.yml parts whose caption starts
    with one of ``prefixes``."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [f"{chapter['file']}.html"
            for part in toc["parts"] if part["caption"].startswith(prefixes)
            for chapter in part["chapters"]]


def test_every_chapter_of_parts_1_to_3_has_an_explorer(visits):
    pages = _toc_part_pages(EXPLORER_PARTS)
    assert len(pages) >= 13, pages
    missing = [name for name in pages
               if name not in visits or not visits[name]["explorers"]]
    assert not missing, f"chapters of Parts I-III without an explorer: {missing}"


def test_axe_finds_no_critical_violation(visits):
    """axe-core on every page: no critical violation (minus AXE_EXCLUDED);
    the serious ones are printed as a summary and given as one warning."""
    critical, serious = [], {}
    for name, record in visits.items():
        for violation in record["axe"]:
            nodes = [node for node in violation["nodes"]
                     if not _axe_excluded(name, violation, node)]
            if not nodes:
                continue
            if violation["impact"] == "critical":
                critical += [f"{name}: {violation['id']} ({violation['help']}): "
                             f"{node['target']}: {node['html']}" for node in nodes]
            elif violation["impact"] == "serious":
                entry = serious.setdefault(
                    violation["id"], {"help": violation["help"], "pages": set(),
                                      "targets": set()})
                entry["pages"].add(name)
                entry["targets"].update(node["target"] for node in nodes)
    if serious:
        summary = "axe-core, serious violations (reported, not failed):\n" + "\n".join(
            f"  {rule}: {entry['help']}; on {len(entry['pages'])} pages; "
            f"{len(entry['targets'])} elements, e.g. {sorted(entry['targets'])[:3]}"
            for rule, entry in sorted(serious.items()))
        print(summary)
        warnings.warn(summary, UserWarning, stacklevel=1)
    assert not critical, "\n".join(critical)


def test_pages_with_their_images_are_under_3_mb(book_build):  # noqa: F811
    """Each page of the book (book/*.html) with the images it references in
    _images/ (the explorers' frames are data URIs inside the page)."""
    html = book_build.html
    if book_build.returncode != 0 or not (html / "index.html").is_file():
        pytest.fail("the book did not build (see test_book_build.py)")
    sizes = {}
    for page in sorted((html / "book").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        images = {
            (page.parent / src).resolve()
            for src in re.findall(r'src="([^"]*_images/[^"]+)"', text)
        }
        sizes[page.name] = page.stat().st_size + sum(
            image.stat().st_size for image in images if image.is_file())
    assert len(sizes) >= 12, sorted(sizes)
    print("page sizes with images (MB): " + ", ".join(
        f"{name} {size / 1e6:.2f}" for name, size in sizes.items()))
    over = [f"{name}: {size / 1e6:.2f} MB" for name, size in sizes.items()
            if size >= PAGE_BYTES_LIMIT]
    assert not over, f"pages over {PAGE_BYTES_LIMIT / 1e6:g} MB: {over}"


def test_solutions_are_collapsed_and_open(visits):
    problems = []
    for name, record in visits.items():
        solutions = record["solutions"]
        if solutions["shown_at_start"]:
            problems.append(
                f"{name}: {solutions['shown_at_start']} solutions not collapsed"
            )
        if solutions["count"] and not solutions["opens"]:
            problems.append(f"{name}: the toggle button did not open a solution")
    assert sum(r["solutions"]["count"] for r in visits.values()) >= 12
    assert not problems, "\n".join(problems)


def test_chapters_link_glossary_and_cite(visits):
    chapters = [n for n in visits if n.startswith("book/") and n[5:7].isdigit()]
    linked = [n for n in chapters if visits[n]["links"]["glossary"]]
    assert len(linked) >= 12, f"chapters with a glossary link: {linked}"
    citing = [n for n in chapters if visits[n]["links"]["citations"]]
    assert len(citing) >= 4, f"chapters with citations: {citing}"


def test_screenshots_written(visits):
    for name, record in visits.items():
        shot = record["screenshot"]
        assert shot.is_file() and shot.stat().st_size > 1000, name


def test_search_finds_a_chapter(site, browser):
    base, _ = site
    page = browser.new_page()
    log = PageLog(page)
    page.goto(base + "search.html?q=" + SEARCH_WORD, wait_until="load")
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=30000)
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any(SEARCH_PAGE in (h or "") for h in hrefs), hrefs
    assert not log.problems(), "\n".join(log.problems())
    page.close()


def test_dark_mode_toggle(site, browser):
    base, _ = site
    page = browser.new_page(color_scheme="light")
    log = PageLog(page)
    page.goto(base + "book/intro.html", wait_until="load")

    def theme():
        return page.evaluate("document.documentElement.dataset.theme")

    def background():
        return page.evaluate("getComputedStyle(document.body).backgroundColor")

    light = background()
    button = page.locator(".theme-switch-button").first
    for _ in range(3):  # the button cycles light -> dark -> auto
        if theme() == "dark":
            break
        button.click()
    assert theme() == "dark"
    assert background() != light, "the page did not change colour in dark mode"
    # The choice is remembered on the next page.
    page.goto(base + "book/01_derivatives.html", wait_until="load")
    assert theme() == "dark"
    assert not log.problems(), "\n".join(log.problems())
    page.close()


def test_solution_title_link_opens_solution(site, browser):
    """Clicking the "Exercise N.M" link in a solution's title goes to the
    exercise and opens the solution, without a JavaScript error.

    sphinx-togglebutton 0.4.5 alone throws "button is not defined" here;
    _static/togglebutton-title-click.js fixes its click handler.
    """
    base, _ = site
    page = browser.new_page()
    log = PageLog(page)
    page.goto(base + "book/02_one_neuron.html", wait_until="load")
    assert page.evaluate(SOLUTIONS_JS)[0] is False
    link = page.locator(".solution.dropdown > .admonition-title a").first
    href = link.get_attribute("href")
    assert href and href.startswith("#"), href
    link.click()
    page.wait_for_timeout(100)
    assert page.url.endswith(href), page.url
    assert page.evaluate(SOLUTIONS_JS)[0] is True, "the solution did not open"
    # Clicking the link again closes it, like the rest of the title.
    link.click()
    page.wait_for_timeout(100)
    assert page.evaluate(SOLUTIONS_JS)[0] is False, "the solution did not close"
    assert not log.problems(), "\n".join(log.problems())
    page.close()


# Runs in the page: the texts myst-nb pasted from glue records, in page order
# ({glue:text} gives span.pasted-text; {glue} and {glue:any} of a text/plain
# value give span.output.text_plain), and any "{glue" left as raw text
# outside code.
GLUE_JS = """() => {
  const pasted = Array.from(document.querySelectorAll(
      'article span.pasted-text, article span.output.text_plain'))
    .map(e => e.textContent.trim());
  const raw = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    if (node.parentElement.closest('pre, code, script, style, textarea')) continue;
    if (node.textContent.includes('{glue')) raw.push(node.textContent.trim().slice(0, 80));
  }
  return {pasted: pasted, raw: raw};
}"""

GLUE_RECORD = "application/papermill.record/"


def _glued_texts(notebook):
    """The glue roles of a notebook's Markdown that paste text, in order, each
    with the text the page must show: read from the notebook (the key and
    format in the Markdown, the value in the stored glue record), not typed
    here. Cells tagged remove-cell are not rendered and are left out."""
    import json

    from myst_nb.core.variables import format_plain_text
    from test_references import glue_uses, stored_glue_records

    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    records = stored_glue_records(cells)
    expected = []
    for cell in cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] != "markdown" or {"remove-cell", "remove"} & set(tags):
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) \
            else cell["source"]
        for role, document, key, fmt in glue_uses(source):
            if role not in ("glue:text", "glue", "glue:any"):
                continue  # figures, math and Markdown are not pasted as text
            data = records.get(key, {}) if not document else {}
            plain = data.get(GLUE_RECORD + "text/plain")
            if plain is None or (role != "glue:text" and len(data) > 1):
                expected.append((role, key, None))  # pasted, value not known here
                continue
            plain = "".join(plain) if isinstance(plain, list) else plain
            try:
                text = format_plain_text(plain, fmt or "s") if role == "glue:text" \
                    else plain
            except ValueError:  # the build warns too (test_references checks it)
                text = None
            expected.append((role, key, text.strip() if text is not None else None))
    return expected


def test_glued_numbers_render(site, browser):
    """On every chapter whose Markdown pastes glued values, the first one is
    on the page as text, equal to the value stored in the notebook; every
    pasted role rendered, and no raw "{glue" is left in the page's text."""
    base, html = site
    chapters = sorted(
        p for p in (ROOT / "book").glob("*.ipynb") if _glued_texts(p)
    )
    assert chapters, "no chapter pastes a glued value ({glue:text}`key:fmt`)"
    problems = []
    for notebook in chapters:
        name = f"book/{notebook.stem}.html"
        expected = _glued_texts(notebook)
        page = browser.new_page()
        log = PageLog(page)
        page.goto(base + name, wait_until="load")
        shown = page.evaluate(GLUE_JS)
        page.close()
        role, key, text = expected[0]
        if text is None:
            problems.append(f"{name}: the first glued key {key!r} has no stored "
                            "text/plain value in the notebook that its format "
                            "accepts")
        elif not shown["pasted"]:
            problems.append(f"{name}: no pasted glue value on the page "
                            f"(expected {text!r} for {key!r})")
        elif shown["pasted"][0] != text:
            problems.append(f"{name}: the first glued value, {role} {key!r}, shows "
                            f"{shown['pasted'][0]!r}; the notebook stores {text!r}")
        if len(shown["pasted"]) < len(expected):
            problems.append(f"{name}: {len(shown['pasted'])} pasted values on the "
                            f"page for {len(expected)} glue roles in the notebook")
        problems += [f"{name}: raw glue role in the text: {t!r}" for t in shown["raw"]]
        problems += [f"{name}: {p}" for p in log.problems()]
def test_favicon_and_logo_load_on_every_page(visits, site):
    base, html = site
    # What a browser asks for when a page links no icon.
    with urllib.request.urlopen(base + "favicon.ico", timeout=10) as response:
        assert response.status == 200
        assert response.read()[:4] == b"\x00\x00\x01\x00", "not an .ico file"
    problems = []
    for name, record in visits.items():
        icons = record["icons"]
        if not icons["icons"]:
            problems.append(f"{name}: no <link rel=icon>")
        problems += [f"{name}: favicon {u}: {st}" for u, st in icons["icons"] if st != 200]
        if not icons["logos"]:
            problems.append(f"{name}: no logo")
        problems += [f"{name}: logo did not load: {u}" for u, ok in icons["logos"] if not ok]
    assert not problems, "\n".join(problems)


def test_chapters_have_copy_buttons(visits):
    chapters = [n for n in visits if n.startswith("book/") and n[5:7].isdigit()]
    missing = [n for n in chapters if not visits[n]["icons"]["copy_buttons"]]
    assert len(chapters) >= 12 and not missing, f"no copy button on {missing}"


def test_pages_have_open_graph_tags(visits, site):
    """Title, description and URL for link previews; no (remote) image.

    On the pages of the book (Sphinx's search and index pages have none)."""
    _, html = site
    pages = [name for name in visits if name.startswith("book/")]
    assert len(pages) >= 12, pages
    problems = []
    for name in pages:
        head = (html / name).read_text(encoding="utf-8").split("</head>")[0]
        for tag in ('property="og:title"', 'property="og:url"',
                    'property="og:description"', 'name="description"'):
            if tag not in head:
                problems.append(f"{name}: no {tag}")
        if "og:image" in head:
            problems.append(f"{name}: has og:image")
    assert not problems, "\n".join(problems)


# Opened from the file system: the home page and a chapter with math and
# figures; test_book_works_from_file_urls adds the first two pages that have
# an explorer, and every page with an animation.
FILE_PAGES = ["book/intro.html", "book/09_training.html"]


def _file_pages(html):
    explorers, animations = [], []
    for page in sorted((html / "book").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        name = page.relative_to(html).as_posix()
        if 'class="nnbook-explorer"' in text:
            explorers.append(name)
        if '<div class="animation">' in text:
            animations.append(name)
    return list(dict.fromkeys(FILE_PAGES + explorers[:2] + animations))


def test_book_works_from_file_urls(book_build, browser):  # noqa: F811
    html = book_build.html
    if book_build.returncode != 0 or not (html / "index.html").is_file():
        pytest.fail("the book did not build (see test_book_build.py)")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    problems, animations, explorers = [], 0, 0
    # index.html sends the reader on to the first page, also from a file.
    page = context.new_page()
    page.goto((html / "index.html").as_uri(), wait_until="load")
    page.wait_for_url(lambda url: url.endswith("book/intro.html"), timeout=10000)
    page.close()
    for name in _file_pages(html):
        page = context.new_page()
        log = PageLog(page)
        page.goto((html / name).as_uri(), wait_until="load")
        math = page.evaluate(MATH_JS)
        if name != "book/intro.html" and not math["count"]:
            problems.append(f"{name}: no math found")
        if math["count"] and not (
            math["loaded"] and math["typeset"] >= math["count"] and not math["raw"]
        ):
            problems.append(f"{name}: math not typeset: {math}")
        images = page.evaluate(IMAGES_JS)
        if not images["count"] or images["broken"]:
            problems.append(f"{name}: images: {images}")
        for anim in _check_animations(page):
            animations += 1
            if not anim["plays"]:
                problems.append(f"{name}: an animation did not play")
        for info in _check_explorers(page, frames=False):
            explorers += 1
            problems += [f"{p} (from file://)" for p in _explorer_problems(name, info)]
        problems += [f"{name}: {p}" for p in log.problems()]
        page.close()
    context.close()
    assert explorers, "no explorer opened from file://"
    assert not problems, "\n".join(problems)
