"""The suite where it is really used: many runs against one long-lived sandbox that is never reset, two
pipelines at once, the report directory, and the GitHub Actions example run locally.

`make conformance-repeat` runs the repeated test 50 times (REPEAT_RUNS)."""
from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import jsonschema
import pytest
import yaml

from conformance.report_files import SCHEMA_PATH
from conformance.sandbox import Sandbox

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("REPEAT_RUNS", "5"))
RUN_TIMEOUT_S = 600
EXAMPLE = ROOT / "examples" / "github-actions.yml"
MARKED = re.compile(r"^Conformance [a-z_]+ \[ledgerhq-conformance set ([0-9a-f]+)\]$")
SCRATCH = re.compile(r"^Conformance [0-9a-f]{6} (fuzz|paging) ")
SECRET_REFERENCE = re.compile(r"\$\{\{\s*secrets\.([A-Z_]+)\s*\}\}")


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox() as running:
        yield running


def suite_args(sandbox: Sandbox) -> list[str]:
    c = sandbox.credentials
    return ["--base-url", sandbox.base_url, "--token", c["accessToken"], "--other-token", c["otherFirmAccessToken"],
            "--other-company-id", c["otherCompanyId"], "--api-key", c["apiKey"],
            "--organization-id", c["organizationId"], "--quiet"]


def run_suite(sandbox: Sandbox, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "conformance.cli", *suite_args(sandbox), *extra],
                          capture_output=True, text=True, timeout=RUN_TIMEOUT_S,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def company_state(sandbox: Sandbox) -> tuple[int, int, int]:
    """Webhook subscriptions, the suite's marked account sets, and its other accounts still there."""
    c = sandbox.credentials
    headers = {"Authorization": f"Bearer {c['accessToken']}", "x-organization-id": c["organizationId"]}
    hooks = httpx.get(f"{sandbox.base_url}/api/v1/webhooks", params={"limit": 200}, headers=headers).json()
    names, cursor = [], None
    while True:
        page = httpx.get(f"{sandbox.base_url}/api/v1/companies/{c['companyId']}/accounts",
                         params={"limit": 200, **({"cursor": cursor} if cursor else {})}, headers=headers).json()
        names += [row["name"] for row in page["data"]]
        cursor = page["nextCursor"]
        if not cursor:
            sets = {found[1] for found in map(MARKED.match, names) if found}
            return len(hooks["data"]), len(sets), sum(bool(SCRATCH.match(name)) for name in names)


def test_repeated_runs_against_one_sandbox_never_reset_all_pass(sandbox: Sandbox, tmp_path: Path) -> None:
    states = []
    for number in range(1, RUNS + 1):
        extra = ["--seed", str(number)] + (["--report-dir", str(tmp_path / "report")] if number == RUNS else [])
        done = run_suite(sandbox, *extra)
        assert done.returncode == 0, f"run {number} of {RUNS}:\n{done.stdout[-6000:]}{done.stderr[-2000:]}"
        states.append(company_state(sandbox))
    # the run's one subscription is deleted; the account set is made once and reused; scratch accounts deleted
    assert states == [(0, 1, 0)] * RUNS, states
    check_report_dir(tmp_path / "report", sandbox)


def check_report_dir(directory: Path, sandbox: Sandbox) -> None:
    data = json.loads((directory / "report.json").read_text())
    jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text())).validate(data)
    assert data["summary"]["failed"] == 0 and data["summary"]["passed"] == data["summary"]["checks"] > 0
    assert data["footprint"]["reusedAccounts"], data["footprint"]
    assert data["coverage"]["summary"]["statusesExercised"] > 0
    page = (directory / "report.html").read_text()
    assert "<script" not in page and not re.search(r"""(src|href)=["']?https?:""", page)
    for artifact in ("junit.xml", "report.json", "report.html"):
        text = (directory / artifact).read_text()
        for secret in (sandbox.credentials["accessToken"], sandbox.credentials["apiKey"],
                       sandbox.credentials["otherFirmAccessToken"]):
            assert secret not in text, f"{secret} in {artifact}"
        assert not re.search(r"whsec_[0-9a-f]{8}", text), artifact


def test_two_runs_at_once_against_one_server_both_pass(sandbox: Sandbox) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda seed: run_suite(sandbox, "--seed", str(seed)), (101, 102)))
    for done in runs:
        assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    hooks, sets, scratch = company_state(sandbox)
    assert hooks == 0 and scratch == 0 and sets <= 2, (hooks, sets, scratch)


def run_steps(workflow: dict) -> list[dict]:
    job = next(iter(workflow["jobs"].values()))
    return [step for step in job["steps"] if "run" in step]


def test_github_actions_example_runs_locally(sandbox: Sandbox, tmp_path: Path) -> None:
    workflow = yaml.safe_load(EXAMPLE.read_text())
    secrets = {"LEDGERHQ_BASE_URL": sandbox.base_url, "LEDGERHQ_TOKEN": sandbox.credentials["accessToken"]}
    job = next(iter(workflow["jobs"].values()))
    uploads = [step for step in job["steps"] if str(step.get("uses", "")).startswith("actions/upload-artifact")]
    assert uploads and uploads[0]["if"] == "always()"
    report_dir = uploads[0]["with"]["path"].rstrip("/")
    bin_dir = Path(sys.executable).parent
    ran = 0
    for step in run_steps(workflow):
        if "pip install" in step["run"]:
            assert "ledgerhq-sandbox[conformance]" in step["run"]     # installed here already
            continue
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
        for name, value in (step.get("env") or {}).items():
            env[name] = SECRET_REFERENCE.sub(lambda found: secrets[found[1]], str(value))
        done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=RUN_TIMEOUT_S)
        assert done.returncode == 0, f"{step.get('name')}: {shlex.quote(step['run'])}\n{done.stdout[-6000:]}"
        ran += 1
    assert ran >= 1
    assert {p.name for p in (tmp_path / report_dir).iterdir()} >= {"junit.xml", "report.json", "report.html"}
