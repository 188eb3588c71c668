"""Citations, cross-references, glue keys and reader-visible wording.

Fast checks on the sources, without building the book. They read the
Markdown cells of ``book/*.ipynb``, the pages ``book/*.md`` (not
``AUTHORING.md``, which readers never see) and the docstrings of
``nnbook/*.py`` (the API appendix renders them), and check that

- every ``{cite}`` key is in ``references.bib``, and every entry of
  ``references.bib`` is cited somewhere;
- the prose types no chapter, exercise, section or figure numbers
  ("chapter 7", "Exercise 7.2", "Section 3.4"): chapters are linked with
  ``{doc}`` and exercises and figures with ``{numref}``, so that inserting a
  chapter renumbers everything;
- no reader-visible text (any file under ``book/`` but ``AUTHORING.md``,
  with the code and outputs of the notebooks, and ``nnbook/``) calls the
  source texts "seed 000" ... "seed 003": readers never see those files, and
  the book names the texts by title with a citation;
- every ``{numref}``/``{ref}``/``{eq}`` label, every solution's exercise,
  every ``{doc}`` page and every ``{term}`` exists;
- every ``{glue:text}``/``{glue}`` key that a notebook's Markdown uses is
  glued by a code cell of that notebook (``glue("key", ...)``), and the
  notebook's stored outputs hold the glued value (the book renders stored
  outputs: a key glued in the source but never executed shows nothing).

Each scanner is also run on small synthetic texts with a known violation
(the ``test_scanner_*`` tests), so that a check cannot pass by finding
nothing. The messages name the file, the cell and the offending text.
"""

import ast
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
PACKAGE = ROOT / "nnbook"
BIBFILE = ROOT / "references.bib"
NOT_FOR_READERS = {"AUTHORING.md"}  # in exclude_patterns of _config.yml


# --------------------------------------------------------------------------
# Reading the sources


@dataclass(frozen=True)
class Text:
    """One piece of source text and where it comes from."""

    where: str  # "book/07_backprop_network.ipynb cell 14", "nnbook/layers.py: Dense"
    text: str
    doc: Path  # the page (or module) it belongs to


def _pages():
    return sorted(p for p in BOOK.glob("*.md") if p.name not in NOT_FOR_READERS)


def _notebooks():
    return sorted(BOOK.glob("*.ipynb"))


def _rel(path):
    return path.relative_to(ROOT).as_posix()


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _cell_where(path, index, cell):
    cell_id = cell.get("id")
    return f"{_rel(path)} cell {index}" + (f" (id {cell_id})" if cell_id else "")


def markdown_texts():
    """The Markdown a reader sees: pages, and the Markdown cells of notebooks."""
    texts = [Text(_rel(p), p.read_text(encoding="utf-8"), p) for p in _pages()]
    for path in _notebooks():
        for i, cell in enumerate(_cells(path)):
            if cell["cell_type"] == "markdown":
                texts.append(Text(_cell_where(path, i, cell), _source(cell), path))
            caption = _figure_metadata(cell).get("caption")
            if caption:  # a figure caption from cell metadata is Markdown too
                texts.append(Text(_cell_where(path, i, cell) + " caption", caption, path))
    return texts


def _figure_metadata(cell):
    figure = cell.get("metadata", {}).get("mystnb", {}).get("figure", {})
    return figure if isinstance(figure, dict) else {}


def docstring_texts():
    """Module, class and function docstrings of nnbook/*.py."""
    texts = []
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nodes = [tree] + [
            n
            for n in ast.walk(tree)
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        ]
        for node in nodes:
            doc = ast.get_docstring(node, clean=False)
            if doc:
                name = getattr(node, "name", "module docstring")
                texts.append(Text(f"{_rel(path)}: {name}", doc, path))
    return texts


def _output_text(output):
    parts = []
    if "text" in output:
        parts.append(_source(output))
    for mime, value in output.get("data", {}).items():
        if mime.startswith("text/") or mime.startswith("application/papermill"):
            parts.append("".join(value) if isinstance(value, list) else str(value))
    if "traceback" in output:
        parts.append("\n".join(output["traceback"]))
    return "\n".join(parts)


def visible_texts():
    """Everything a reader can see: book/ (but AUTHORING.md) and nnbook/.

    Notebooks give every cell's source and every text output; other files
    under book/ and every file of nnbook/ are read whole (comments included:
    the package is meant to be read).
    """
    texts = []
    for path in sorted(BOOK.rglob("*")):
        if not path.is_file() or path.name in NOT_FOR_READERS:
            continue
        if any(part.startswith((".", "_build")) for part in path.relative_to(BOOK).parts):
            continue  # .ipynb_checkpoints and other local files are not published
        if path.suffix == ".ipynb":
            for i, cell in enumerate(_cells(path)):
                where = _cell_where(path, i, cell)
                texts.append(Text(where, _source(cell), path))
                # Captions and alt text are shown (or read out) too.
                metadata = json.dumps(cell.get("metadata", {}), ensure_ascii=False)
                texts.append(Text(f"{where} metadata", metadata, path))
                for output in cell.get("outputs", []):
                    texts.append(Text(f"{where} output", _output_text(output), path))
        elif path.suffix in {".md", ".py", ".txt", ".yml", ".yaml", ".svg", ".html"}:
            texts.append(Text(_rel(path), path.read_text(encoding="utf-8"), path))
    for path in sorted(PACKAGE.rglob("*.py")):
        texts.append(Text(_rel(path), path.read_text(encoding="utf-8"), path))
    return texts


# --------------------------------------------------------------------------
# Scanners (each is tested on synthetic text below)

FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
OPTION = re.compile(r"^\s*:[\w-]+:")
# Directives whose body is not prose: code, math, raw reStructuredText.
CODE_DIRECTIVES = {
    "code", "code-block", "code-cell", "sourcecode", "literalinclude", "math",
    "eval-rst", "eval-sphinx", "raw", "glue:math", "bibliography",
}


def split_fences(markdown):
    """Yield ``(kind, line)`` for each line of ``markdown``.

    ``kind`` is "prose", "code" (inside a code block or a non-prose
    directive), "fence" (a fence line) or "option" (a directive option such
    as ``:label: ex-ch7-2``, or a line of its ``---`` option block). The body
    of a directive such as ``{exercise}`` is prose; its title (the text after
    ``{exercise}`` on the fence line) is yielded as prose too.
    """
    stack = []  # open fences: (fence string, is_code)
    in_options = False  # just after a directive's fence line
    yaml_block = False
    for line in markdown.splitlines():
        match = FENCE.match(line)
        if match:
            fence, info = match["fence"], match["info"].strip()
            if stack and fence[0] == stack[-1][0][0] and len(fence) >= len(
                stack[-1][0]
            ) and not info:
                stack.pop()
                in_options = yaml_block = False
                yield "fence", line
                continue
            if not (stack and stack[-1][1]):  # a fence opens (not inside code)
                directive = re.match(r"\{([^}]*)\}\s*(.*)", info)
                if directive:
                    name = directive[1].strip()
                    is_code = name in CODE_DIRECTIVES
                    stack.append((fence, is_code))
                    in_options = not is_code
                    yield "fence", line
                    if not is_code and directive[2]:
                        yield "prose", directive[2]  # the directive's title
                    continue
                if fence[0] != ":":
                    stack.append((fence, True))  # a plain code block
                    yield "fence", line
                    continue
        if stack and stack[-1][1]:
            yield "code", line
            continue
        if in_options:
            if yaml_block:
                if line.strip() == "---":
                    yaml_block = in_options = False
                yield "option", line
                continue
            if line.strip() == "---":
                yaml_block = True
                yield "option", line
                continue
            if OPTION.match(line):
                yield "option", line
                continue
            in_options = False
        yield "prose", line


ROLE = re.compile(r"\{[\w:.+-]+\}`[^`]*`")
CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
LINK_URL = re.compile(r"\]\([^)]*\)")
TARGET_LINE = re.compile(r"^\s*\([^()\s]+\)=\s*$")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
CITED = " \x00cited\x00 "  # what prose() leaves of a {cite} role


def prose(markdown):
    """The prose of a Markdown text: no code, options, roles or link targets."""
    lines = [
        line
        for kind, line in split_fences(HTML_COMMENT.sub(" ", markdown))
        if kind == "prose" and not TARGET_LINE.match(line)
    ]
    text = "\n".join(lines)
    # {doc}`07_x`, {numref}`ex-ch7-2` go; a citation leaves a mark (below).
    text = ROLE.sub(lambda m: CITED if m[0].startswith("{cite") else " ", text)
    text = CODE_SPAN.sub(" ", text)
    return LINK_URL.sub("]", text)


_NUMBER = r"\d+(?:\.\d+)*"
TYPED_NUMBER = re.compile(
    r"(?<![\w-])(?:chapters?|ch\.|exercises?|ex\.|sections?|sec\.|figures?|figs?\.)"
    rf"\s*~?\s*{_NUMBER}(?:\s*(?:,|and|or|to|-|\u2013)\s*{_NUMBER})*"
    rf"|\u00a7\s*{_NUMBER}",
    re.IGNORECASE,
)


SENTENCE_END = re.compile(r"[.!?](?=\s)|\n\s*\n")


def typed_numbers(markdown):
    """Typed chapter/exercise/section/figure numbers in the prose.

    A number in a sentence that cites a work before it is that work's
    chapter ("the textbook of {cite:t}`goodfellow2016` ... (chapter 6)"),
    not this book's, and is allowed.
    """
    text = prose(markdown)
    found = []
    for match in TYPED_NUMBER.finditer(text):
        starts = [m.end() for m in SENTENCE_END.finditer(text, 0, match.start())]
        if CITED in text[(starts[-1] if starts else 0):match.start()]:
            continue
        found.append(" ".join(match.group(0).split()))
    return found


SEED = re.compile(
    r"\bseeds?[\s_-]*(?:no\.?\s*)?0{2}[0-3](?!\d)"  # seed 001, Seeds 000-003
    r"|\b00[0-3]_[0-9a-f]{16}\b",  # the file names in shared/seeds
    re.IGNORECASE,
)


def seed_mentions(text):
    return [m.group(0) for m in SEED.finditer(text)]


CITE = re.compile(r"\{cite(?::[\w]+)?\}`([^`]*)`|:cite(?::[\w]+)?:`([^`]*)`")


def cited_keys(text):
    """Keys of every {cite}, {cite:p}, {cite:t} (and :cite:p: in docstrings)."""
    keys = []
    for match in CITE.finditer(text):
        body = match[1] if match[1] is not None else match[2]
        keys += [k.strip() for k in body.split(",") if k.strip()]
    return keys


BIB_ENTRY = re.compile(r"^\s*@(\w+)\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)


def bib_keys(bibtex):
    return [
        key
        for kind, key in BIB_ENTRY.findall(bibtex)
        if kind.lower() not in {"comment", "string", "preamble"}
    ]


REF_ROLE = re.compile(r"\{(numref|ref|eq|doc|term)\}`([^`]*)`")
SOLUTION = re.compile(r"^\s*(?:`{3,}|:{3,})\{(solution|solution-start)\}\s*(\S+)", re.M)


# A Markdown link to a page of the book, [](07_backprop_network.ipynb): the
# notebooks link chapters this way (Jupyter Book fills in the title, and in
# JupyterLab the link opens the notebook; a {doc} role there does not).
PAGE_LINK = re.compile(r"\[[^\]]*\]\(([\w./-]+\.(?:ipynb|md))(?:#[^)\s]*)?\)")


def references(markdown):
    """``(role, target)`` of every cross-reference role, page link and solution."""
    refs = []
    for role, body in REF_ROLE.findall(markdown):
        explicit = re.search(r"<([^<>]+)>\s*$", body)
        refs.append((role, (explicit[1] if explicit else body).strip()))
    refs += [("doc", target) for target in PAGE_LINK.findall(markdown)]
    refs += [("solution", target) for _, target in SOLUTION.findall(markdown)]
    return refs


LABEL_DEFS = [
    re.compile(r"^\s*:(?:label|name):\s*(\S+)\s*$", re.M),  # exercises, figures
    re.compile(r"^\s*\(([^()\s]+)\)=\s*$", re.M),  # (label)= targets
    re.compile(r"\$\$\s*\(([^()\s]+)\)", re.M),  # $$ ... $$ (eq-label)
]
EXERCISE_LABEL = re.compile(
    r"^\s*(?:`{3,}|:{3,})\{(?:exercise|exercise-start)\}[^\n]*\n"
    r"(?:\s*:[\w-]+:[^\n]*\n)*?\s*:label:\s*(\S+)",
    re.M,
)


def label_definitions(markdown):
    labels = set()
    for pattern in LABEL_DEFS:
        labels.update(pattern.findall(markdown))
    return labels


def exercise_labels(markdown):
    return set(EXERCISE_LABEL.findall(markdown))


def glossary_terms(markdown):
    """Terms of the {glossary} directives: the unindented lines in them."""
    terms = set()
    for block in re.findall(r"```\{glossary\}[^\n]*\n(.*?)\n```", markdown, re.S):
        for line in block.splitlines():
            if line.strip() and not line[0].isspace() and not OPTION.match(line):
                terms.add(line.strip().lower())
    return terms


GLUE_ROLE = re.compile(r"\{glue(?::(\w*))?\}`([^`]+)`")
GLUE_DIRECTIVE = re.compile(r"^\s*(?:`{3,}|:{3,})\{glue(?::(\w*))?\}\s*(\S+)", re.M)


def glue_uses(markdown):
    """``(role, document, key, format)`` for each glue role or directive.

    ``document`` is "" for the same notebook (``{glue:text}`key:.2f```), or
    the path before ``::`` (``{glue:text}`other.ipynb::key```).
    """
    uses = []
    for role, body in GLUE_ROLE.findall(markdown):
        uses.append(("glue:" + role if role else "glue", body))
    for role, body in GLUE_DIRECTIVE.findall(markdown):
        uses.append(("glue:" + role if role else "glue", body))
    result = []
    for role, body in uses:
        fmt = ""
        if role in ("glue:text", "glue:md") and ":" in body.replace("::", ""):
            body, fmt = body.rsplit(":", 1)
        document, _, key = body.rpartition("::")
        result.append((role, document, key.strip(), fmt))
    return result


GLUE_CALL = re.compile(r"\bglue\(\s*(f?)(\"|')(.*?)\2")
GLUE_CALL_ANY = re.compile(r"\bglue\(\s*([^\s\"'])")


def glued_in_source(code):
    """Keys glued by literal ``glue("key", ...)`` calls, as regular expressions.

    An f-string key (``glue(f"ratio_{n}", ...)``) matches any text where its
    replacement fields are; ``dynamic`` is True if some call's key is not a
    string literal at all (``glue(name, ...)``).
    """
    patterns = []
    for is_f, _, key in GLUE_CALL.findall(code):
        if is_f:
            parts = re.split(r"\{[^{}]*\}", key)
            patterns.append("^" + ".+".join(re.escape(p) for p in parts) + "$")
        else:
            patterns.append("^" + re.escape(key) + "$")
    dynamic = bool(GLUE_CALL_ANY.search(code))
    return patterns, dynamic


def stored_glue_records(cells):
    """Names of the glue records in the stored outputs, with their data."""
    records = {}
    for cell in cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name is not None:
                records[name] = output.get("data", {})
    return records


def glue_problems(cells):
    """Glue keys a notebook's Markdown uses that it does not glue or store."""
    patterns, dynamic = [], False
    for cell in cells:
        if cell["cell_type"] == "code":
            found, dyn = glued_in_source(_source(cell))
            patterns += found
            dynamic = dynamic or dyn
    records = stored_glue_records(cells)
    problems = []
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        for role, document, key, fmt in glue_uses(_source(cell)):
            if document:
                continue  # another notebook's key: checked there (see test)
            in_source = any(re.match(p, key) for p in patterns)
            if not in_source and not (dynamic and key in records):
                problems.append((i, cell, f"{role} key {key!r} is glued by no code cell"))
            elif key not in records:
                problems.append(
                    (i, cell, f"{role} key {key!r} has no stored glue output "
                              "(re-execute the notebook)")
                )
            elif role == "glue:text":
                message = _format_problem(records[key], fmt)
                if message:
                    problems.append((i, cell, f"{role} key {key!r}: {message}"))
    return problems


def _format_problem(data, fmt):
    """Why myst-nb cannot paste this stored value with this format, or None."""
    from myst_nb.core.variables import format_plain_text

    plain = data.get("application/papermill.record/text/plain")
    if plain is None:
        return "the stored glue output has no text/plain value"
    plain = "".join(plain) if isinstance(plain, list) else plain
    try:
        format_plain_text(plain, fmt or "s")
    except ValueError as exc:
        return (f"the stored value {plain!r} does not take the format {fmt!r} "
                f"({exc}); glue a Python number, e.g. float(round(x, 2))")
    return None


# --------------------------------------------------------------------------
# The scanners find what they must (so that the checks below can fail)


def test_scanner_typed_numbers():
    bad = {
        "As chapter 7 showed, it works.": "chapter 7",
        "See Chapter 12 for timings.": "Chapter 12",
        "chapters 9, 11 and 12 use it": "chapters 9, 11 and 12",
        "Solve Exercise 7.2 first.": "Exercise 7.2",
        "in Section 3.4 above": "Section 3.4",
        "Figure 2.1 shows": "Figure 2.1",
        "as in \u00a73.2": "\u00a73.2",
        "```{exercise} Chapter 4's layer\n:label: ex-ch5-1\n\nText.\n```": "Chapter 4",
        "```{exercise}\n:label: ex-ch5-1\n\nUse ex. 4.1 here.\n```": "ex. 4.1",
        "[chapter 3](03_computational_graphs.ipynb)": "chapter 3",
        "As {cite:t}`nielsen2015` shows. See chapter 7.": "chapter 7",
    }
    for text, expected in bad.items():
        assert typed_numbers(text) == [expected], (text, typed_numbers(text))
    good = [
        "layer 2 has 3 units; Part II starts here; Appendix A lists them.",
        "See {numref}`ex-ch7-2` and {doc}`07_backprop_network`.",
        "See {numref}`Exercise %s <ex-ch7-2>`.",
        "The code `chapter_7 = 1` and ``Section 3`` are code.",
        "```python\n# chapter 7\nx = 1\n```",
        "````{solution-start} ex-ch7-2\n:class: dropdown\n````",
        "```{exercise}\n:label: ex-ch7-2\n:name: chapter-7\n```",
        "(sec-3-4)=\n## A heading",
        "<!-- chapter 7 -->",
        "a cross-section 3 and the subchapter",
        "[the next chapter](07_backprop_network.ipynb#section-3)",
        "The textbook of {cite:t}`goodfellow2016` treats graphs (chapter 6)\n"
        "and optimization (chapter 8).",
    ]
    for text in good:
        assert typed_numbers(text) == [], (text, typed_numbers(text))


def test_scanner_fences_nest():
    text = (
        "````{solution-start} ex-ch1-1\n:class: dropdown\n````\n"
        "Prose with chapter 1.\n"
        "````{exercise}\n:label: ex-ch1-2\n\nSee chapter 2:\n"
        "```python\nprint('chapter 3')\n```\n"
        "and chapter 4.\n````\n"
        "```{eval-rst}\nSee chapter 5.\n```\n"
        "After: chapter 6."
    )
    assert typed_numbers(text) == ["chapter 1", "chapter 2", "chapter 4", "chapter 6"]


def test_scanner_seed_mentions():
    text = (
        "Seed 001's table; seeds 000 and 002; SEED 003; seed 000..003;"
        " the file 002_2630118dc530c686.txt"
    )
    assert seed_mentions(text) == [
        "Seed 001", "seeds 000", "SEED 003", "seed 000",
        "002_2630118dc530c686",
    ]
    assert seed_mentions("rng(seed), seed 0, seed=1001, seeds 0 to 19, seed 0042") == []


def test_scanner_citations_and_bib():
    assert cited_keys("{cite:p}`a2000, b2001` and {cite:t}`c` and {cite}`d`") == [
        "a2000", "b2001", "c", "d",
    ]
    assert cited_keys("Docstring :cite:p:`e2002`.") == ["e2002"]
    bib = "@article{a2000,\n title={x}}\n@comment{ignored,}\n@misc{ b2001 ,\n}"
    assert bib_keys(bib) == ["a2000", "b2001"]


def test_scanner_references_and_labels():
    text = (
        "{numref}`ex-ch7-2`, {numref}`Exercise %s <ex-ch7-3>`, {ref}`fig-a`,"
        " {doc}`07_backprop_network`, {doc}`the glossary <glossary>`,"
        " {term}`batches <Batch>`, {eq}`eq-chain`, [](08_gradient_checking.ipynb),"
        " [the glossary](glossary.md#term-Batch), [a site](https://example.org)\n"
        "```{solution} ex-ch7-9\n:class: dropdown\n```\n"
    )
    assert references(text) == [
        ("numref", "ex-ch7-2"), ("numref", "ex-ch7-3"), ("ref", "fig-a"),
        ("doc", "07_backprop_network"), ("doc", "glossary"), ("term", "Batch"),
        ("eq", "eq-chain"), ("doc", "08_gradient_checking.ipynb"),
        ("doc", "glossary.md"), ("solution", "ex-ch7-9"),
    ]
    assert not _doc_exists("no_such_chapter.ipynb", BOOK / "intro.md")
    defs = (
        "```{exercise} Title\n:label: ex-ch7-2\n```\n"
        "```{figure} a.png\n:name: fig-a\n:alt: A.\n```\n"
        "(sec-x)=\n# X\n$$ a = b $$ (eq-chain)\n"
    )
    assert label_definitions(defs) == {"ex-ch7-2", "fig-a", "sec-x", "eq-chain"}
    assert exercise_labels(defs) == {"ex-ch7-2"}
    glossary = "```{glossary}\nBatch\n  A group.\n\nError signal\n  Delta.\n```"
    assert glossary_terms(glossary) == {"batch", "error signal"}


def test_scanner_glue():
    assert glue_uses(
        "{glue:text}`ratio:.2f`, {glue}`n`, {glue:}`m`, {glue:text}`big`,"
        " {glue:text}`other.ipynb::k:.1f`\n```{glue:figure} fig_key\n```"
    ) == [
        ("glue:text", "", "ratio", ".2f"), ("glue", "", "n", ""),
        ("glue", "", "m", ""), ("glue:text", "", "big", ""),
        ("glue:text", "other.ipynb", "k", ".1f"), ("glue:figure", "", "fig_key", ""),
    ]
    record = {
        "output_type": "display_data",
        "data": {"application/papermill.record/text/plain": "1.5"},
        "metadata": {"scrapbook": {"name": "ratio", "mime_prefix": "x"}},
    }
    cells = [
        {"cell_type": "code", "source": 'glue("ratio", 1.5, display=False)\n'
                                         'glue(f"speed_{n}", 2.0)',
         "outputs": [record]},
        {"cell_type": "code", "source": 'glue("r64", np.float64(0.5))',
         "outputs": [{
             "output_type": "display_data",
             "data": {"application/papermill.record/text/plain": "np.float64(0.5)"},
             "metadata": {"scrapbook": {"name": "r64"}}}]},
        {"cell_type": "markdown",
         "source": "{glue:text}`ratio:.1f` {glue:text}`speed_8:.1f` {glue:text}`gone`"
                   " {glue:text}`r64:.2f` {glue:text}`r64`"},
    ]
    problems = [message for _, _, message in glue_problems(cells)]
    assert problems[:2] == [
        "glue:text key 'speed_8' has no stored glue output (re-execute the notebook)",
        "glue:text key 'gone' is glued by no code cell",
    ]
    assert len(problems) == 3 and "'np.float64(0.5)' does not take" in problems[2]


# --------------------------------------------------------------------------
# The checks on the book


def _report(problems, what):
    by_file = defaultdict(list)
    for where, message in problems:
        by_file[where.split(" ", 1)[0].rstrip(":")].append(f"  {where}: {message}")
    lines = [f"{len(problems)} {what}:"]
    for name in sorted(by_file):
        lines += by_file[name]
    return "\n".join(lines)


def test_every_citation_is_in_the_bibliography_and_every_entry_is_cited():
    defined = bib_keys(BIBFILE.read_text(encoding="utf-8"))
    duplicates = sorted({k for k in defined if defined.count(k) > 1})
    assert not duplicates, f"keys defined twice in references.bib: {duplicates}"
    cited = defaultdict(list)
    for text in markdown_texts() + docstring_texts():
        for key in cited_keys(text.text):
            cited[key].append(text.where)
    unknown = [
        (where, f"cites {key!r}, which is not in references.bib")
        for key, wheres in cited.items()
        if key not in defined
        for where in wheres
    ]
    assert not unknown, _report(unknown, "citations of unknown keys")
    uncited = [key for key in defined if key not in cited]
    assert not uncited, (
        f"entries of references.bib that nothing cites: {uncited} (cite them "
        "where the book uses them, or remove them)"
    )


def test_no_typed_chapter_exercise_or_section_numbers():
    problems = [
        (text.where, f"typed number {found!r}: link it with {{doc}} or {{numref}}")
        for text in markdown_texts() + docstring_texts()
        for found in typed_numbers(text.text)
    ]
    assert not problems, _report(problems, "typed chapter/exercise/section numbers")


def test_no_seed_numbers_where_readers_see_them():
    problems = [
        (text.where, f"{found!r}: name the source by its short name and cite it")
        for text in visible_texts()
        for found in seed_mentions(text.text)
    ]
    assert not problems, _report(problems, "mentions of 'seed 00N'")


def _doc_exists(target, page):
    base = ROOT if target.startswith("/") else page.parent
    path = (base / target.lstrip("/")).resolve()
    candidates = [path] if path.suffix in (".md", ".ipynb") else [
        path.with_name(path.name + ".md"), path.with_name(path.name + ".ipynb")
    ]
    return any(c.is_file() for c in candidates)


def test_every_reference_target_exists():
    texts = markdown_texts()
    labels, exercises = set(), set()
    for text in texts:
        labels |= label_definitions(text.text)
        exercises |= exercise_labels(text.text)
    for path in _notebooks():
        for cell in _cells(path):
            name = _figure_metadata(cell).get("name")
            if name:
                labels.add(name)
    terms = glossary_terms((BOOK / "glossary.md").read_text(encoding="utf-8"))
    assert labels and exercises and terms, "found no labels, exercises or terms"
    problems = []
    for text in texts:
        for role, target in references(text.text):
            if role in ("numref", "ref", "eq") and target not in labels:
                problems.append((text.where, f"{{{role}}} to unknown label {target!r}"))
            elif role == "solution" and target not in exercises:
                problems.append((text.where, f"solution of unknown exercise {target!r}"))
            elif role == "doc" and not _doc_exists(target, text.doc):
                problems.append((text.where, f"{{doc}} to missing page {target!r}"))
            elif role == "term" and target.lower() not in terms:
                problems.append((text.where, f"{{term}} {target!r} is not in the glossary"))
    assert not problems, _report(problems, "references to missing targets")


def test_every_glue_key_is_glued_and_stored():
    problems = []
    for path in _notebooks():
        cells = _cells(path)
        for i, cell, message in glue_problems(cells):
            problems.append((_cell_where(path, i, cell), message))
        # Keys pasted from another notebook must be stored there.
        for i, cell in enumerate(cells):
            if cell["cell_type"] != "markdown":
                continue
            for role, document, key, _ in glue_uses(_source(cell)):
                if not document:
                    continue
                other = (path.parent / document).with_suffix(".ipynb")
                if not other.is_file() or key not in stored_glue_records(_cells(other)):
                    problems.append((_cell_where(path, i, cell),
                                     f"{role} key {key!r} is not stored in {document}"))
    for page in _pages():
        for role, document, key, _ in glue_uses(page.read_text(encoding="utf-8")):
            if not document:
                problems.append((_rel(page), f"{role} key {key!r}: a page can only "
                                             "paste from a notebook (notebook::key)"))
    assert not problems, _report(problems, "glue keys without a glued value")


@pytest.mark.parametrize("check", [markdown_texts, docstring_texts, visible_texts])
def test_the_sources_are_found(check):
    """The readers above find the book (so that no check passes on nothing)."""
    texts = check()
    assert len(texts) > 20, f"{check.__name__} found only {len(texts)} texts"
    assert any(t.doc.suffix == ".ipynb" for t in texts) or check is docstring_texts


def test_doc_targets_resolve_like_sphinx():
    page = BOOK / "intro.md"
    assert _doc_exists("07_backprop_network", page)
    assert _doc_exists("glossary", page)
    assert _doc_exists("/book/glossary", page)
    assert not _doc_exists("07_backprop_networks", page)
