"""Stoplight Prism's mock (npm `@stoplight/prism-cli`), installed on first use into
build/prism/ with `npm install --prefix`, served as `prism mock -m -h 127.0.0.1 -p PORT
openapi.json` (`-m`: Prism's multiprocess mode, its HTTP server forked from the CLI). Its
answers are the contract's static examples: nothing is stored, a list has the example's items."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

PRISM_PACKAGE = "@stoplight/prism-cli@5.14.2"
PRISM_VERSION = "5.14.2"
NODE_MAJOR_MIN = 18
ROOT = Path(__file__).resolve().parent.parent
PRISM_DIR = ROOT / "build" / "prism"
PRISM_BIN = PRISM_DIR / "node_modules" / ".bin" / "prism"
CONTRACT = ROOT / "openapi.json"
INSTALL_TIMEOUT_S = 900


def node_major() -> int | None:
    if not shutil.which("node"):
        return None
    done = subprocess.run(["node", "--version"], capture_output=True, text=True, timeout=30, check=False)
    text = done.stdout.strip().lstrip("v")
    return int(text.split(".")[0]) if text.split(".")[0].isdigit() else None


def ensure_prism() -> tuple[Path | None, str]:
    """(the prism executable or None, a note saying why not / what was done)."""
    major = node_major()
    if major is None or not shutil.which("npm"):
        return None, "Prism skipped: npm or Node is missing"
    if major < NODE_MAJOR_MIN:
        return None, f"Prism skipped: Node {major} is older than {NODE_MAJOR_MIN}"
    if PRISM_BIN.exists():
        return PRISM_BIN, ""
    PRISM_DIR.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["npm", "install", "--prefix", str(PRISM_DIR), "--no-audit", "--no-fund",
                           "--loglevel=error", PRISM_PACKAGE],
                          capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S, check=False)
    if done.returncode != 0 or not PRISM_BIN.exists():
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return None, f"Prism skipped: npm install {PRISM_PACKAGE} failed ({last})"
    return PRISM_BIN, f"Prism installed into {PRISM_DIR.relative_to(ROOT)}/"


def prism_command(prism: Path, port: int) -> list[str]:
    return [str(prism), "mock", "-m", "-h", "127.0.0.1", "-p", str(port), str(CONTRACT)]
