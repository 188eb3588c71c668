"""Store notebooks in the form JupyterLab saves, so that running a chapter
in Lab and saving it leaves no diff when its outputs are unchanged.

Usage: python tools/normalize_notebooks.py [--check] NOTEBOOK...

What JupyterLab 4.6 rewrites on save (found by running chapters in Lab and
saving them, then `git diff`), and what this script therefore does:

- ``execution`` timestamps in a code cell's metadata (written by nbclient
  when ``record_timing`` is on): Lab drops them (its "record timing" setting
  is off by default). Removed here.
- ``metadata.widgets`` (the widget state nbclient stores): Lab leaves it
  as it is with its default setting (``saveState`` off) but never reads it
  then either; the book's HTML never renders widget views. Removed here: it
  only duplicated every explorer's image in the file.
- ``kernelspec.display_name``: Lab writes the display name of the kernel it
  runs. ``make venv`` installs the ``python3`` kernel as "Python 3", the
  name the notebooks store; set here too.
- ``trusted`` in cell metadata (nbformat 3 era): removed.

It also folds what Jupyter Book folds, for JupyterLab: a code cell between a
``{solution-start}`` whose options include ``:class: dropdown`` and its
``{solution-end}`` gets ``"jupyter": {"source_hidden": true}``: Lab shows
its code collapsed (a click on the bar opens it); Jupyter Book ignores the
key (its dropdown folds the cell already). Not ``outputs_hidden``: Lab shows
the outputs of a cell it runs and drops that key on save, a diff after every
Run All. Likewise a code cell tagged ``hide-input`` (plotting code that
is not the lesson: Jupyter Book folds it) gets ``source_hidden`` in Lab.

Outputs, sources, cell ids and every other key are kept. The file is
written the way nbformat (and Lab) writes it: one-space indent, a final
newline. With --check, nothing is written and the exit status is 1 if a
file would change.
"""

import argparse
import json
import re
import sys
from pathlib import Path

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
_START = re.compile(r"```+\{solution-start\}")
_END = re.compile(r"```+\{solution-end\}")
_DROPDOWN = re.compile(r"^:class:.*\bdropdown\b", re.M)


def _source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def normalize(nb):
    """Normalize a notebook (a dict as json.load gives it) in place."""
    meta = nb.setdefault("metadata", {})
    meta.pop("widgets", None)
    spec = meta.get("kernelspec")
    if spec is None or spec.get("name") == "python3":
        meta["kernelspec"] = dict(spec or {}, **KERNELSPEC)
    in_folded_solution = False
    for cell in nb.get("cells", []):
        cmeta = cell.setdefault("metadata", {})
        cmeta.pop("execution", None)
        cmeta.pop("trusted", None)
        if cell["cell_type"] == "markdown":
            src = _source(cell)
            start = _START.search(src)
            end = _END.search(src)
            if start and (not end or end.start() < start.start()):
                options = src[start.end():].split("```", 1)[0]
                in_folded_solution = bool(_DROPDOWN.search(options))
            elif end:
                in_folded_solution = False
        elif cell["cell_type"] == "code" and (
                in_folded_solution or "hide-input" in cmeta.get("tags", [])):
            cmeta["jupyter"] = dict(cmeta.get("jupyter", {}), source_hidden=True)
    return nb


def dumps(nb):
    # nbformat.writes: indent=1, sort_keys=True, ensure_ascii=False, newline.
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a notebook would change")
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    changed = []
    for path in args.notebooks:
        text = path.read_text(encoding="utf-8")
        new = dumps(normalize(json.loads(text)))
        if new != text:
            changed.append(path)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    verb = "would change" if args.check else "normalized"
    for path in changed:
        print(f"{verb}: {path}")
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
