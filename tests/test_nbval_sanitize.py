"""The nbval sanitize rules hide run-dependent text, never a number to check.

tests/nbval_sanitize.cfg is applied to the stored and the fresh output of
every cell before nbval compares them, so a rule that matched a computed
value would let a wrong value pass. These tests read the rules as nbval does
and check that each is explained by a comment, and that on every output
stored in the notebooks it matches only what it says it covers.
"""

import configparser
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CFG = ROOT / "tests" / "nbval_sanitize.cfg"
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))

# What each rule may match, in full: the rule's own description.
COVERS = {
    "regex1": re.compile(r" at 0x[0-9a-fA-F]+"),              # addresses
    "regex2": re.compile(r"[^\s\"']*ipykernel_\d+[/\\]\d+\.py"),  # cell files
    "regex3": re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+"),  # frames
}
# Compared by nbval (see CONVENTIONS.md): everything else is not compared.
COMPARED = ("text/plain", "text/html", "text/latex", "image/svg+xml")


def rules():
    parser = configparser.ConfigParser()
    parser.read(CFG)
    return {name: (re.compile(parser[name]["regex"]), parser[name]["replace"])
            for name in parser.sections()}


def stored_outputs():
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text())
        for i, cell in enumerate(nb["cells"]):
            for out in cell.get("outputs", []):
                texts = [out.get("text", "")]
                texts += [out.get("data", {}).get(k, "") for k in COMPARED]
                texts += ["\n".join(out.get("traceback", []))]
                for text in texts:
                    text = "".join(text) if isinstance(text, list) else text
                    if text:
                        yield f"{path.name} cell {i}", text


def test_every_rule_is_known_and_has_a_comment():
    assert set(rules()) == set(COVERS)
    # PNG frames first: rule 2's pattern is slow on long base64 text.
    assert list(rules()).index("regex3") < list(rules()).index("regex2")
    lines = CFG.read_text().splitlines()
    for n, line in enumerate(lines):
        if re.fullmatch(r"\[regex\d+\]", line):
            above = lines[n - 1] if n else ""
            assert above.startswith("# "), (
                f"{line} needs a comment saying what it covers")
            block = []
            for prev in reversed(lines[:n]):
                if not prev.startswith("#"):
                    break
                block.append(prev)
            assert any(f"Rule {line[6:-1]} " in c for c in block), (
                f"{line}: its comment should start 'Rule {line[6:-1]} - ...'")


@pytest.mark.parametrize("name", sorted(COVERS))
def test_a_rule_matches_only_what_it_covers_in_stored_outputs(name):
    # nbval applies the rules in the file's order, each to the text the
    # previous ones left; so does this test (rule 2 would take minutes on
    # the base64 frames that rule 3, earlier in the file, replaces).
    ordered = list(rules().items())
    before = [rule for key, rule in ordered[:[k for k, _ in ordered].index(name)]]
    regex, _ = rules()[name]
    for where, text in stored_outputs():
        for earlier, replace in before:
            text = earlier.sub(replace, text)
        for match in regex.finditer(text):
            assert COVERS[name].fullmatch(match.group(0)), (
                f"{name} hides {match.group(0)!r} in {where}")


@pytest.mark.parametrize("text", [
    "loss 0.1234  val_loss 0.5678",
    "relative error 3.2e-11 at 1e-06",
    "epoch 10/10 at 0.01 learning rate",
    "0x7f is 127 in hex",                 # a hex value printed on purpose
    "value at 0.5 and 0x10 elsewhere",
    "ipykernel 7.4.0 and 12345.py",
    "<Figure size 640x400 with 1 Axes>",  # figure sizes are fixed by setup()
    'alt="Secant of slope 0.5403 at h = 0.001"',   # an explorer's numbers
    "data:image/svg+xml;base64,PHN2Zz4=",          # only PNG frames are hidden
])
def test_numbers_survive_sanitizing(text):
    for regex, replace in rules().values():
        text2 = regex.sub(replace, text)
        assert text2 == text


def test_what_the_rules_replace():
    sanitized = ("<Line2D at 0x7f3a2b1c> in /tmp/ipykernel_12345/3041546427.py:2"
                 ' <img src="data:image/png;base64,iVBORw0KGgo+/=" alt="h = 1">')
    for regex, replace in rules().values():
        sanitized = regex.sub(replace, sanitized)
    assert sanitized == ("<Line2D at 0xADDRESS> in <kernel-cell>.py:2"
                         ' <img src="data:image/png;base64,PIXELS" alt="h = 1">')
