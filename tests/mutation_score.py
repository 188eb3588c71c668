"""Print the mutation score of the last ``mutmut run``; fail below the bar.

Run by ``make mutation`` after ``mutmut run`` (not a test module: pytest
does not collect it). Reads the status of every mutant from
``mutmut results --all true`` and the documented equivalent mutants from
``tests/mutation_equivalents.md``, then prints::

    killed / total = score

A mutant counts as killed when a test failed on it, or it made the tests
time out or crash (its behaviour changed). Exits 1 if the score is below
``--min`` (percent), or if the list of equivalents is out of date: a
survivor not explained there, or an entry that is no longer a survivor.
"""

import argparse
import collections
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EQUIVALENTS = ROOT / "tests" / "mutation_equivalents.md"
DETECTED = {"killed", "timeout", "segfault", "caught by type check"}
MUTANT_ID = re.compile(r"`(nnbook\.[\w.]+__mutmut_\d+)`")


def mutant_statuses():
    mutmut = Path(sys.executable).with_name("mutmut")
    out = subprocess.run([str(mutmut), "results", "--all", "true"],
                         cwd=ROOT, check=True, capture_output=True,
                         text=True).stdout
    statuses = {}
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and "__mutmut_" in name:
            statuses[name] = status
    return statuses


def documented_equivalents():
    if not EQUIVALENTS.exists():
        return set()
    return {m.group(1) for line in EQUIVALENTS.read_text().splitlines()
            if line.startswith("- ") for m in [MUTANT_ID.search(line)] if m}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min", type=float, default=90.0,
                        help="lowest acceptable score in percent")
    args = parser.parse_args()

    statuses = mutant_statuses()
    if not statuses:
        sys.exit("no mutants found: run `mutmut run` first")
    counts = collections.Counter(statuses.values())
    total = len(statuses)
    killed = sum(n for status, n in counts.items() if status in DETECTED)
    survivors = {name for name, s in statuses.items() if s not in DETECTED}
    equivalents = documented_equivalents()
    unexplained = sorted(survivors - equivalents)
    stale = sorted(equivalents - survivors)
    score = 100.0 * killed / total

    print("mutants by status: " + ", ".join(
        f"{status} {n}" for status, n in counts.most_common()))
    print(f"survivors: {len(survivors)}, of which "
          f"{len(survivors & equivalents)} are documented as equivalent in "
          f"{EQUIVALENTS.relative_to(ROOT)}")
    non_equivalent = total - len(survivors & equivalents)
    print(f"killed / non-equivalent mutants: {killed} / {non_equivalent} = "
          f"{100.0 * killed / non_equivalent:.1f} %")
    print(f"MUTATION SCORE: killed / total = {killed} / {total} = "
          f"{score:.1f} % (required: >= {args.min:g} %)")

    failed = False
    if unexplained:
        failed = True
        print(f"\n{len(unexplained)} surviving mutants are neither killed nor "
              f"listed as equivalent (see `{mutmut_cmd()} show NAME`):")
        for name in unexplained:
            print(f"    {name}: {statuses[name]}")
    if stale:
        failed = True
        print(f"\n{len(stale)} entries of {EQUIVALENTS.name} are not "
              f"surviving mutants (any more): update the file.")
        for name in stale:
            print(f"    {name}: {statuses.get(name, 'no such mutant')}")
    if score < args.min:
        failed = True
        print(f"\nFAILED: the mutation score {score:.1f} % is below "
              f"{args.min:g} %")
    sys.exit(1 if failed else 0)


def mutmut_cmd():
    return str(Path(sys.executable).with_name("mutmut").relative_to(ROOT)) \
        if Path(sys.executable).is_relative_to(ROOT) else "mutmut"


if __name__ == "__main__":
    main()
