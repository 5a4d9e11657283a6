"""Faulty contracts: a copy of the contract with one promise broken, for the checks that read only the contract."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Callable

from ledgerhq_contract import load_contract


def money_typed_number(document: dict) -> None:
    """R1: response money (`MoneyCents`, behind every `*Cents` output) typed as a JSON number."""
    document["components"]["schemas"]["MoneyCents"]["type"] = "number"


BREAKS: dict[str, Callable[[dict], None]] = {"money_typed_number": money_typed_number}


def faulty_contract(name: str, folder: Path | None = None) -> Path:
    """A copy of the packaged contract with fault `name` applied, written to a new file."""
    document = json.loads(json.dumps(load_contract()))
    BREAKS[name](document)
    folder = folder or Path(tempfile.mkdtemp(prefix="ledgerhq-faulty-contract-"))
    path = folder / f"{name}.json"
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
