"""Installed as another team installs it: a wheel, in a fresh venv outside the checkout, run from another
directory. The venv reuses .venv's site-packages through a .pth file (only the dependencies: the project's
own packages come from the wheel), so the test needs no network and stays fast."""
from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from ledgerhq_contract.version import VERSION

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
PACKAGED = ("ledgerhq_contract/openapi.json", "mock_server/fixtures/default.yaml", "conformance/report.schema.json")
STEP_TIMEOUT_S = 300


def step(command: list[str], cwd: Path, env: dict | None = None) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=STEP_TIMEOUT_S)
    assert done.returncode == 0, f"{' '.join(command)} exited {done.returncode}:\n{done.stdout[-6000:]}" \
                                 f"{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    step([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
          str(ROOT)], cwd=out)
    found = list(out.glob("ledgerhq_sandbox-*.whl"))
    assert len(found) == 1, found
    return found[0]


def test_the_wheel_carries_the_contract_and_the_fixtures(wheel: Path) -> None:
    assert wheel.name.startswith(f"ledgerhq_sandbox-{VERSION}-")
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in PACKAGED:
        assert path in names, path
    assert not any(name.startswith(("tests/", "fixtures/", "openapi.json")) for name in names)


def fresh_venv(base: Path) -> Path:
    """A venv with pip-free speed: .venv's site-packages visible through a .pth, not its editable install."""
    venv = base / "venv"
    step([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=base)
    site = next((venv / "lib").glob("python3*/site-packages"))
    (site / "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


def test_installed_wheel_serves_and_checks_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    venv = fresh_venv(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    python = str(venv / "bin" / "python")
    step([python, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "-q", str(wheel)], cwd=elsewhere,
         env=env)
    where = step([python, "-c", "import conformance, ledgerhq_contract, mock_server; "
                  "print(mock_server.__file__, conformance.__file__, ledgerhq_contract.CONTRACT_PATH)"],
                 cwd=elsewhere, env=env)
    assert str(ROOT) not in where and all(str(venv) in path for path in where.split()), where
    for command in ("ledgerhq-sandbox", "ledgerhq-conformance"):
        assert step([str(venv / "bin" / command), "--version"], cwd=elsewhere, env=env).strip() == \
            f"{command} {VERSION}"
    # no --base-url: the suite serves the installed sandbox itself (ledgerhq-sandbox serve), then checks it
    output = step([str(venv / "bin" / "ledgerhq-conformance"), "--seed", "7", "--quiet",
                   "--report-dir", str(elsewhere / "report")], cwd=elsewhere, env=env)
    assert "0 failed" in output and str(ROOT) not in output.split("Checking", 1)[1].split("\n", 1)[0], output[-3000:]
    assert (elsewhere / "report" / "report.html").is_file()
