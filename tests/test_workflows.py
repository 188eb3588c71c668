"""The GitHub Actions workflows in .github/workflows/, checked offline.

- check-jsonschema validates each workflow against the GitHub workflow JSON
  schema that it ships (``--builtin-schema vendor.github-workflows``: no
  download);
- zizmor audits them for security problems with ``--offline`` (no audit that
  needs the network, no GitHub API); a finding of medium or high severity
  fails;
- the workflow does what README.md ("Publish your copy") says: ``.ci/run``
  (so ``make test``) on pull requests and pushes; on pushes to main,
  ``make book`` and ``_build/html`` deployed with the official Pages actions;
  the venv cached by requirements.txt; every action pinned to a commit.

Both tools run as subprocesses from the environment that runs the tests (the
venv). pytest-socket does not reach into subprocesses, so the flags above are
what keeps them offline. Each check is also run on a deliberately broken copy
(in tmp_path) and must fail there, so a broken workflow fails ``make test``.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
BOOK_WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"
FAILING_SEVERITIES = {"Medium", "High"}
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def _tool(name):
    # Next to the interpreter that runs the tests (not resolved: it may be a
    # symlink out of the venv).
    path = Path(sys.executable).parent / name
    if not path.exists():
        pytest.fail(f"{name} not found next to {sys.executable} (requirements.txt)")
    return str(path)


def _run(*cmd):
    return subprocess.run(
        cmd,
        cwd=ROOT,
        check=False,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
    )


def check_schema(paths):
    return _run(
        _tool("check-jsonschema"),
        "--builtin-schema",
        "vendor.github-workflows",
        *map(str, paths),
    )


def zizmor_findings(paths):
    """zizmor's offline findings of medium or high severity, as text."""
    proc = subprocess.run(
        [
            _tool("zizmor"),
            "--offline",
            "--no-config",
            "--no-progress",
            "--format",
            "json",
            *map(str, paths),
        ],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    try:
        findings = json.loads(proc.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"zizmor exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return [
        f"{f['ident']} ({f['determinations']['severity']}): {f['desc']}"
        for f in findings
        if f["determinations"]["severity"] in FAILING_SEVERITIES
    ]


def _load(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def _steps(workflow):
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


@pytest.fixture
def broken(tmp_path):
    """Write a copy of book.yml with `old` replaced by `new`; return its path."""

    def make(old, new):
        text = BOOK_WORKFLOW.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {BOOK_WORKFLOW.name}"
        path = tmp_path / BOOK_WORKFLOW.name
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return path

    return make


def test_workflows_exist():
    assert BOOK_WORKFLOW in WORKFLOWS, WORKFLOWS


def test_workflows_match_the_github_schema():
    proc = check_schema(WORKFLOWS)
    assert proc.returncode == 0, proc.stdout


def test_schema_check_fails_on_a_broken_workflow(broken):
    # A job without `runs-on` (misspelt) is not a valid workflow.
    proc = check_schema([broken("    runs-on: ubuntu-24.04", "    run-on: ubuntu-24.04")])
    assert proc.returncode != 0, proc.stdout


def test_zizmor_finds_nothing_of_medium_or_high_severity():
    findings = zizmor_findings(WORKFLOWS)
    assert not findings, "\n".join(findings)


def test_zizmor_fails_on_an_insecure_workflow(broken):
    # A pull request's title pasted into a shell command: template injection.
    path = broken(
        "run: bash .ci/run\n",
        'run: bash .ci/run "${{ github.event.pull_request.title }}"\n',
    )
    findings = zizmor_findings([path])
    assert any(f.startswith("template-injection (High)") for f in findings), findings


def test_tests_run_on_pull_requests_and_pushes():
    workflow = _load(BOOK_WORKFLOW)
    assert {"push", "pull_request"} <= set(workflow["on"])
    test = workflow["jobs"]["test"]
    assert "if" not in test
    runs = [step.get("run", "") for step in test["steps"]]
    assert "bash .ci/run" in runs, runs
    ci_run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci_run and "chromium" in ci_run


def test_pushes_to_main_build_and_deploy_the_book():
    workflow = _load(BOOK_WORKFLOW)
    jobs = workflow["jobs"]
    build, deploy = jobs["build"], jobs["deploy"]
    assert build["needs"] == "test" and deploy["needs"] == "build"
    assert "github.ref == 'refs/heads/main'" in build["if"]
    assert "github.event_name == 'push'" in build["if"]
    assert "make book" in [step.get("run") for step in build["steps"]]
    upload = [s for s in build["steps"] if "upload-pages-artifact@" in s.get("uses", "")]
    assert upload and upload[0]["with"]["path"] == "_build/html"
    assert any("actions/deploy-pages@" in s.get("uses", "") for s in deploy["steps"])
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["concurrency"]["group"] == "pages"


def test_venv_is_cached_by_requirements():
    workflow = _load(BOOK_WORKFLOW)
    for name in ("test", "build"):
        caches = [
            s for s in workflow["jobs"][name]["steps"]
            if s.get("uses", "").startswith("actions/cache@")
        ]
        assert caches, f"job {name} does not cache the venv"
        assert caches[0]["with"]["path"] == ".venv"
        assert "hashFiles('requirements.txt'" in caches[0]["with"]["key"]


def test_permissions_are_minimal_and_actions_pinned():
    for path in WORKFLOWS:
        workflow = _load(path)
        assert workflow.get("permissions") == {}, f"{path.name}: top-level permissions"
        for name, job in workflow["jobs"].items():
            assert "permissions" in job, f"{path.name}: job {name} sets no permissions"
        for step in _steps(workflow):
            if "uses" in step:
                assert PINNED.match(step["uses"]), (
                    f"{path.name}: {step['uses']} is not pinned to a commit SHA"
                )
            if "actions/checkout@" in step.get("uses", ""):
                assert step["with"]["persist-credentials"] is False


def test_no_openblas_coretype():
    # CONVENTIONS: OPENBLAS_CORETYPE is never set in tests or CI.
    for path in WORKFLOWS:
        assert "OPENBLAS_CORETYPE" not in path.read_text(encoding="utf-8"), path.name
