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
  its controls, and pressing Play advances its frame slider;
- the search page finds a chapter by a word in it; the dark-mode toggle
  switches the theme;
- on every chapter whose Markdown pastes glued values (``{glue:text}``), the
  first one shows the value stored in the notebook, every role rendered,
  and no raw ``{glue`` is left (``test_glued_numbers_render``).
- every page links the favicon and shows the logo, both load, and
  /favicon.ico exists at the site's root; chapters have copy buttons on
  their code; every page has Open Graph meta tags with no image;
- opened from the file system (file://, no server), the book still shows
  math, figures and animations that play.

A full-page screenshot of every page is written to ``_build/screenshots/``
in the work tree, for people to look at.

Without Chromium (or Playwright) the tests skip, saying why; with the
environment variable ``CI`` set they fail instead.
"""

import functools
import http.server
import importlib.util
import os
import shutil
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bookbuild import ROOT, book_build  # noqa: F401  (the session fixture)

pytestmark = [pytest.mark.book]
if importlib.util.find_spec("pytest_socket") is not None:
    # The local server and the browser need sockets (to 127.0.0.1 only;
    # every other request is aborted by the browser test itself).
    pytestmark.append(pytest.mark.enable_socket)

SCREENSHOTS = ROOT / "_build" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
LOCAL_HOSTS = {"127.0.0.1"}
# A word that occurs in one chapter's text, and that chapter's page.
SEARCH_WORD, SEARCH_PAGE = "Kaiming", "book/10_initialization.html"
MIN_ANIMATIONS = 2  # book/13_playground.ipynb has two


def _unavailable(reason):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is an error, not a skip)")
    pytest.skip(reason)


def _chromium_path():
    for candidate in (
        os.environ.get("NNBOOK_CHROMIUM"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        "/usr/bin/chromium",
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    _unavailable(
        "Chromium not found: install Debian's chromium package "
        "(apt-get install chromium; .ci/run does) or set NNBOOK_CHROMIUM"
    )


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
    executable = _chromium_path()
    if importlib.util.find_spec("playwright") is None:
        _unavailable("the playwright package is not installed (requirements.txt)")
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
    assert len(animations) >= MIN_ANIMATIONS, (
        f"expected at least {MIN_ANIMATIONS} matplotlib animations in the book, "
        f"found {len(animations)}"
    )


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


# Opened from the file system: the home page, a chapter with math and
# figures, and the one with the animations.
FILE_PAGES = ["book/intro.html", "book/09_training.html", "book/13_playground.html"]


def test_book_works_from_file_urls(book_build, browser):  # noqa: F811
    html = book_build.html
    if book_build.returncode != 0 or not (html / "index.html").is_file():
        pytest.fail("the book did not build (see test_book_build.py)")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    problems, animations = [], 0
    # index.html sends the reader on to the first page, also from a file.
    page = context.new_page()
    page.goto((html / "index.html").as_uri(), wait_until="load")
    page.wait_for_url(lambda url: url.endswith("book/intro.html"), timeout=10000)
    page.close()
    for name in FILE_PAGES:
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
        problems += [f"{name}: {p}" for p in log.problems()]
        page.close()
    context.close()
    assert animations >= MIN_ANIMATIONS, f"{animations} animations from file://"
    assert not problems, "\n".join(problems)
