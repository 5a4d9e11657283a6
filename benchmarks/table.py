"""The one table a bench run prints, the machine it ran on, and benchmarks/results.json."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

RESULTS_PATH = Path(__file__).resolve().parent / "results.json"
RESULTS_KEYS = ("command", "mode", "started_utc", "wall_s", "bound_s", "machine", "load_generator",
                "cores", "notes", "rows")
SECTIONS = ("http", "layers", "start-up", "suite", "scale")
TEXT_KEYS = ("section", "name", "value", "target", "ok")
COLUMNS = (  # (header, row key, format)
    ("section", "section", "{}"), ("measure", "name", "{}"), ("conns", "connections", "{}"),
    ("req/s", "requests_per_s", "{:,}"), ("p50 ms", "p50_ms", "{:.2f}"), ("p99 ms", "p99_ms", "{:.2f}"),
    ("CPU ms/req", "cpu_ms", "{:.3f}"), ("Prism req/s", "prism_requests_per_s", "{:,}"),
    ("Prism p50", "prism_p50_ms", "{:.2f}"), ("Prism p99", "prism_p99_ms", "{:.2f}"),
    ("Prism CPU", "prism_cpu_ms", "{:.3f}"), ("x Prism", "x_prism", "{:.1f}x"),
    ("x Prism CPU", "x_prism_cpu", "{:.1f}x"),
    ("% ceiling", "ceiling_pct", "{:.1f}%"), ("% ceiling CPU", "ceiling_cpu_pct", "{:.1f}%"), ("value", "value", "{}"), ("target", "target", "{}"),
    ("met", "ok", "{}"),
)


def cell(row: dict, key: str, form: str) -> str:
    value = row.get(key)
    if value is None or value == "":
        return ""
    if key == "ok":
        return "yes" if value else "NO"
    if key == "value":
        share = f" ({row['share_pct']:g}%)" if row.get("share_pct") is not None else ""
        return f"{value:,} {row.get('unit', '')}{share}".strip() if isinstance(value, (int, float)) else str(value)
    return form.format(value)


def print_table(header: list[str], rows: list[list[str]], left: tuple[int, ...] = (0,)) -> None:
    widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths]] + rows:
        print("  ".join(str(c).ljust(w) if i in left else str(c).rjust(w)
                        for i, (c, w) in enumerate(zip(row, widths))).rstrip())


def ordered(rows: list[dict]) -> list[dict]:
    """By section (SECTIONS' order, any other last; "layers: ROUTE" by route, the profile's rows
    before the over-HTTP ones), else in the order measured."""
    rank = {name: index for index, name in enumerate(SECTIONS)}

    def key(row: dict) -> tuple:
        section = str(row.get("section", ""))
        kind = section.partition(":")[0]
        return (rank.get(kind, len(SECTIONS)), section if kind == "layers" else "", "over HTTP" in row["name"])
    return sorted(rows, key=key)


def print_rows(rows: list[dict]) -> None:
    """The rows as one table; a column no row fills is left out."""
    rows = ordered(rows)
    used = [column for column in COLUMNS if any(cell(row, column[1], column[2]) for row in rows)]
    print_table([header for header, _, _ in used], [[cell(row, key, form) for _, key, form in used] for row in rows],
                tuple(i for i, (_, key, _) in enumerate(used) if key in TEXT_KEYS))
    notes = list(dict.fromkeys(f"  {row['section']} / {row['name']}: {row['note']}" for row in rows if row.get("note")))
    if notes:
        print("notes:\n" + "\n".join(notes))


def version_of(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def command_output(command: list[str]) -> str | None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except OSError:
        return None
    return (done.stdout + done.stderr).strip().splitlines()[0] if (done.stdout + done.stderr).strip() else None


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine(prism_version: str | None, wrk_path: str | None) -> dict:
    return {"nproc": len(os.sched_getaffinity(0)), "cpu_count": os.cpu_count(), "cpu_model": cpu_model(),
            "load_average": [round(value, 2) for value in os.getloadavg()],
            "python": platform.python_version(), "platform": platform.platform(),
            "uvicorn": version_of("uvicorn"), "connexion": version_of("connexion"),
            "uvloop": version_of("uvloop"), "httptools": version_of("httptools"),
            "prism": prism_version, "node": command_output(["node", "--version"]),
            "wrk": command_output([wrk_path, "-v"]) if wrk_path else None}


def write_results(results: dict, path: Path = RESULTS_PATH) -> Path:
    missing = [key for key in RESULTS_KEYS if key not in results]
    assert not missing, missing
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return path


def markdown(rows: list[dict]) -> str:
    """The rows as a Markdown table (the README's performance section): `python -m benchmarks.table`."""
    rows = ordered(rows)
    used = [column for column in COLUMNS if any(cell(row, column[1], column[2]) for row in rows)]
    lines = ["| " + " | ".join(header for header, _, _ in used) + " |", "|" + "---|" * len(used)]
    lines += ["| " + " | ".join(cell(row, key, form) for _, key, form in used) + " |" for row in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(json.loads(RESULTS_PATH.read_text())["rows"]))
