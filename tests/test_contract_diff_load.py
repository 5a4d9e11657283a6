"""`diff OLD` as a git ref reads the contract wherever it lived in that commit: the package, the root file, or a
root symlink followed to its target; `make contract-diff` runs the command."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.diff.load import ContractNotFound, load_source
from ledgerhq_contract import CONTRACT_PATH, load_contract

REPOSITORY = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=cwd,
                          check=True, capture_output=True, text=True).stdout


def commit(cwd: Path, message: str) -> None:
    git(cwd, "add", "-A")
    git(cwd, "commit", "-q", "-m", message)


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """Three commits: the contract at the root; moved into the package with a root symlink; moved again, with
    only the root symlink (to a third place) left where the loader looks."""
    git(tmp_path, "init", "-q")
    contract = load_contract()
    (tmp_path / "openapi.json").write_text(json.dumps({**contract, "info": {**contract["info"], "version": "1"}}))
    commit(tmp_path, "root")
    (tmp_path / "ledgerhq_contract").mkdir()
    (tmp_path / "openapi.json").rename(tmp_path / "ledgerhq_contract" / "openapi.json")
    (tmp_path / "openapi.json").symlink_to("ledgerhq_contract/openapi.json")
    commit(tmp_path, "package")
    (tmp_path / "spec").mkdir()
    (tmp_path / "ledgerhq_contract" / "openapi.json").rename(tmp_path / "spec" / "openapi.json")
    (tmp_path / "openapi.json").unlink()
    (tmp_path / "openapi.json").symlink_to("spec/openapi.json")
    commit(tmp_path, "elsewhere")
    return tmp_path


def test_a_ref_reads_the_contract_wherever_it_lived(history: Path) -> None:
    assert load_source("HEAD~2", history)[1] == "HEAD~2:openapi.json"
    assert load_source("HEAD~1", history)[1] == "HEAD~1:ledgerhq_contract/openapi.json"
    spec, label = load_source("HEAD", history)
    assert label == "HEAD:openapi.json" and spec["info"]["version"] == "1"


def test_an_unknown_ref_or_a_commit_without_a_contract_is_refused(history: Path) -> None:
    with pytest.raises(ContractNotFound):
        load_source("no-such-ref", history)
    (history / "spec" / "openapi.json").unlink()
    (history / "openapi.json").unlink()
    commit(history, "no contract")
    with pytest.raises(ContractNotFound):
        load_source("HEAD", history)


def test_a_file_is_read_before_a_ref() -> None:
    assert load_source(str(CONTRACT_PATH))[0] == load_contract()


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_contract_diff_runs_the_command() -> None:
    bin_dir = str(Path(sys.executable).parent)
    done = subprocess.run(["make", "-s", "-o", ".venv/.installed", "contract-diff", f"OLD={CONTRACT_PATH}",
                           f"BIN={bin_dir}", "FORMAT=markdown"], cwd=REPOSITORY, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 changes, 0 breaking, 0 not breaking: no breaking change." in done.stdout
