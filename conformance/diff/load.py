"""Read a contract from a file, or from a git ref wherever the contract lived in that commit."""
from __future__ import annotations

import json
import posixpath
import subprocess
from pathlib import Path

CONTRACT_PLACES = ("ledgerhq_contract/openapi.json", "openapi.json")   # newest place first
SYMLINK_MODE = "120000"
SYMLINK_HOPS_MAX = 8
GIT_TIMEOUT_S = 30


class ContractNotFound(Exception):
    """The source names neither a readable contract file nor a git ref holding one."""


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=GIT_TIMEOUT_S)
    if done.returncode != 0:
        raise ContractNotFound(done.stderr.strip() or f"git {' '.join(args)} failed")
    return done.stdout


def blob_at(ref: str, path: str, cwd: Path) -> str | None:
    """The text of `path` in commit `ref`, a symlink followed to its target (inside the repository); None when
    the commit has no such path."""
    for _ in range(SYMLINK_HOPS_MAX):
        listing = git("ls-tree", ref, "--", path, cwd=cwd).split()
        if not listing:
            return None
        mode, text = listing[0], git("cat-file", "blob", listing[2], cwd=cwd)
        if mode != SYMLINK_MODE:
            return text
        path = posixpath.normpath(posixpath.join(posixpath.dirname(path), text.strip()))
        if path.startswith(".."):
            raise ContractNotFound(f"{ref}: the contract's symlink points outside the repository")
    raise ContractNotFound(f"{ref}: too many symlinks to the contract")


def contract_from_ref(ref: str, cwd: Path) -> tuple[dict, str]:
    commit = git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", cwd=cwd).strip()
    for place in CONTRACT_PLACES:
        text = blob_at(commit, place, cwd)
        if text is not None:
            return parse(text, f"{ref}:{place}"), f"{ref}:{place}"
    raise ContractNotFound(f"{ref} holds no contract at {' or '.join(CONTRACT_PLACES)}")


def parse(text: str, label: str) -> dict:
    try:
        spec = json.loads(text)
    except ValueError as error:
        raise ContractNotFound(f"{label} is not JSON: {error}") from None
    if not isinstance(spec, dict) or not isinstance(spec.get("paths"), dict):
        raise ContractNotFound(f"{label} is not an OpenAPI document (no paths)")
    return spec


def load_source(source: str, cwd: Path | None = None) -> tuple[dict, str]:
    """(contract, label) from a file path, else from a git ref of the repository around `cwd`."""
    path = Path(source)
    if path.is_file():
        return parse(path.read_text(encoding="utf-8"), str(path)), str(path)
    try:
        return contract_from_ref(source, cwd or Path.cwd())
    except ContractNotFound as error:
        raise ContractNotFound(f"{source}: no such file, and not a git ref with a contract ({error})") from None
