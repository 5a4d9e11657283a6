"""`--report-dir DIR`: junit.xml, report.json (schema: conformance/report.schema.json, described in
docs/report-schema.md) and report.html (one static file, no network). Everything redacted."""
from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from conformance.config import RunConfig
from conformance.report import causes_of, rule_counts, write_junit
from conformance.runner import ERROR, FAIL, PASS, SKIP, Outcome
from ledgerhq_contract.version import VERSION

SCHEMA_VERSION = 1
SCHEMA_PATH = Path(__file__).with_name("report.schema.json")
DEPENDENTS_LISTED_MAX = 50


@dataclass
class RunResult:
    config: RunConfig
    outcomes: list[Outcome]
    coverage: dict            # {"summary": ..., "operations": [...]}
    footprint: dict
    started_at: datetime
    seconds: float
    exit_code: int = 0
    check_functions: int = 0


def summary_of(outcomes: list[Outcome], check_functions: int = 0) -> dict:
    """`checks`: rows of the table (a check once per operation it runs against); `checkFunctions`: checks."""
    failures = [f for o in outcomes for f in o.failures]
    return {"checks": len(outcomes), "checkFunctions": check_functions, "passed": sum(o.status == PASS for o in outcomes),
            "failed": sum(o.status in (FAIL, ERROR) for o in outcomes),
            "skipped": sum(o.status == SKIP for o in outcomes), "violations": len(failures),
            "rootCauses": len(causes_of(outcomes)),
            "rulesBroken": sorted({o.rule_id for o in outcomes if o.status in (FAIL, ERROR)})}


def cause_json(cause) -> dict:
    head = cause.head.as_json()
    return {**head, "headline": cause.headline(), "operations": cause.operations, "symptom": cause.symptom,
            "dependents": [{"rule": f.rule, "check": f.check, "kind": f.kind, "operation": f.operation}
                           for f in cause.dependents[:DEPENDENTS_LISTED_MAX]],
            "dependentCount": len(cause.dependents)}


def report_json(result: RunResult) -> dict:
    config = result.config
    return {
        "schemaVersion": SCHEMA_VERSION,
        "tool": {"name": "ledgerhq-conformance", "version": VERSION},
        "run": {"baseUrl": config.base_url, "profile": config.profile.name, "rules": list(config.rules),
                "seed": config.seed, "contract": str(config.contract_path),
                "startedAt": result.started_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "seconds": round(result.seconds, 3), "exitCode": result.exit_code,
                "rerun": f"ledgerhq-conformance --seed {config.seed} --profile {config.profile.name}"},
        "summary": summary_of(result.outcomes, result.check_functions),
        "rules": rule_counts(result.outcomes),
        "rootCauses": [cause_json(cause) for cause in causes_of(result.outcomes)],
        "outcomes": [{"rule": o.rule_id, "ruleName": o.rule, "check": o.check, "operation": o.operation,
                      "status": o.status, "seconds": round(o.seconds, 3), "reason": o.reason}
                     for o in result.outcomes],
        "coverage": result.coverage,
        "footprint": result.footprint,
    }


def write_report_dir(result: RunResult, directory: Path, redact) -> dict[str, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    data = redact.deep(report_json(result))
    paths = {"junit": directory / "junit.xml", "json": directory / "report.json", "html": directory / "report.html"}
    write_junit(result.outcomes, paths["junit"], result.config.seed, redact)
    paths["json"].write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    paths["html"].write_text(report_html(data), encoding="utf-8")
    return paths


CSS = """body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1200px;color:#1d2330;padding:0 1rem}
h1{font-size:1.5rem;margin:0 0 .2rem}h2{font-size:1.15rem;margin:2rem 0 .6rem;border-bottom:1px solid #dde}
.meta{color:#5a6170}.cards{display:flex;gap:.8rem;flex-wrap:wrap;margin:1rem 0}
.card{border:1px solid #dde;border-radius:8px;padding:.6rem 1rem;min-width:7rem}
.card b{display:block;font-size:1.4rem}.pass{color:#137333}.fail{color:#b3261e}.skip{color:#8a6d00}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #eef;padding:.25rem .5rem;text-align:left;
vertical-align:top}th{background:#f5f6fa}code,pre{font:12px/1.4 ui-monospace,monospace}
pre{background:#f5f6fa;padding:.6rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
.st{display:inline-block;padding:0 .35rem;margin:1px;border-radius:4px;font:12px ui-monospace,monospace}
.st.hit{background:#d7f0dc;color:#0b5b1f}.st.miss{background:#eceef2;color:#8a909c}
.st.extra{background:#fde2e0;color:#8c1d18}.cause{border:1px solid #f1c6c2;border-radius:8px;padding:.6rem 1rem;
margin:.8rem 0;background:#fffafa}"""


def e(value) -> str:
    return html.escape(str(value if value is not None else ""))


def cards_html(summary: dict) -> str:
    cards = [("checks", summary["checkFunctions"], ""), ("results", summary["checks"], ""), ("passed", summary["passed"], "pass"),
             ("failed", summary["failed"], "fail" if summary["failed"] else ""),
             ("skipped", summary["skipped"], "skip" if summary["skipped"] else ""),
             ("violations", summary["violations"], "fail" if summary["violations"] else ""),
             ("root causes", summary["rootCauses"], "fail" if summary["rootCauses"] else "")]
    return '<div class="cards">' + "".join(f'<div class="card {cls}"><b>{e(value)}</b>{e(name)}</div>'
                                           for name, value, cls in cards) + "</div>"


def causes_html(causes: list[dict]) -> str:
    if not causes:
        return "<p class='pass'>No violations.</p>"
    parts = []
    for number, cause in enumerate(causes, start=1):
        dependents = "".join(f"<li>[{e(d['rule'])}] {e(d['check'])}: {e(d['kind'])} {e(d['operation'])}</li>"
                             for d in cause["dependents"])
        parts.append(f"<div class='cause'><b>{number}. {e(cause['headline'])}</b>"
                     f"<p>operation <code>{e(cause['operation'])}</code> &middot; status {e(cause['status'])} "
                     f"&middot; X-Request-Id <code>{e(cause['requestId'])}</code> &middot; seed {e(cause['seed'])}</p>"
                     f"<pre>{e(chr(10).join(cause['curl']))}</pre>"
                     + (f"<details><summary>{cause['dependentCount']} failure(s) listed under this cause</summary>"
                        f"<ul>{dependents}</ul></details>" if cause["dependentCount"] else "") + "</div>")
    return "".join(parts)


def rules_html(rules: list[dict]) -> str:
    rows = "".join(f"<tr><td>{e(r['rule'])}</td><td>{e(r['name'])}</td><td>{r['passed']}</td><td>{r['failed']}</td>"
                   f"<td>{r['skipped']}</td><td class='{'fail' if r['verdict'] == 'FAIL' else 'pass'}'>"
                   f"{e(r['verdict'])}</td></tr>" for r in rules)
    return f"<table><tr><th>Rule</th><th>Name</th><th>pass</th><th>fail</th><th>skip</th><th></th></tr>{rows}</table>"


def coverage_html(coverage: dict) -> str:
    s = coverage["summary"]
    rows = []
    for row in coverage["operations"]:
        cells = "".join(f"<span class='st {'hit' if st in row['exercised'] else 'miss'}'>{e(st)}</span>"
                        for st in row["declared"])
        cells += "".join(f"<span class='st extra' title='not declared'>{e(st)}</span>" for st in row["undeclaredSeen"])
        rows.append(f"<tr><td><code>{e(row['operation'])}</code></td><td>{cells}</td></tr>")
    return (f"<p>{s['statusesExercised']} of {s['statusesDeclared']} declared statuses exercised over "
            f"{s['operations']} operations; {s['operationsWith2xxAnd4xx']} operations with both a 2xx and a 4xx. "
            "<span class='st hit'>seen</span> <span class='st miss'>not seen</span> "
            "<span class='st extra'>seen, not declared</span></p>"
            f"<table><tr><th>Operation</th><th>Declared statuses</th></tr>{''.join(rows)}</table>")


def footprint_html(footprint: dict) -> str:
    left = "".join(f"<li>{e(r['kind'])} <code>{e(r['id'])}</code>: {e(r['reason'])}</li>"
                   for r in footprint["leftBehind"][:200])
    notes = "".join(f"<li>{e(n)}</li>" for n in footprint["notes"])
    return (f"<p>{len(footprint['created'])} made, {len(footprint['removed'])} removed, "
            f"{len(footprint['reusedAccounts'])} accounts reused from an earlier run.</p>"
            f"<ul>{left}{notes}</ul>")


def outcomes_html(outcomes: list[dict]) -> str:
    rows = "".join(f"<tr><td>{e(o['rule'])}</td><td>{e(o['check'])}</td><td><code>{e(o['operation'])}</code></td>"
                   f"<td class='{ {'pass': 'pass', 'skip': 'skip'}.get(o['status'], 'fail') }'>{e(o['status'])}</td>"
                   f"<td>{o['seconds']:.2f}s</td><td>{e(o['reason'])}</td></tr>" for o in outcomes)
    return (f"<details><summary>{len(outcomes)} outcomes</summary><table><tr><th>Rule</th><th>Check</th>"
            f"<th>Operation</th><th>Result</th><th>Time</th><th>Reason</th></tr>{rows}</table></details>")


def report_html(data: dict) -> str:
    run, summary = data["run"], data["summary"]
    verdict = "passed" if summary["failed"] == 0 and summary["passed"] else "failed"
    broken = ", ".join(summary["rulesBroken"]) or "none"
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>LedgerHQ conformance: {e(verdict)}</title><style>{CSS}</style></head><body>
<h1>LedgerHQ conformance report: <span class="{'pass' if verdict == 'passed' else 'fail'}">{e(verdict)}</span></h1>
<div class="meta">{e(run['baseUrl'])} &middot; profile {e(run['profile'])} &middot; seed {e(run['seed'])} &middot;
{e(run['startedAt'])} &middot; {run['seconds']:.1f}s &middot; exit {e(run['exitCode'])} &middot;
ledgerhq-conformance {e(data['tool']['version'])}</div>
{cards_html(summary)}<p>Rules broken: <b>{e(broken)}</b>. Rerun: <code>{e(run['rerun'])}</code></p>
<h2>Root causes</h2>{causes_html(data['rootCauses'])}
<h2>Rules</h2>{rules_html(data['rules'])}
<h2>Coverage: operation x status</h2>{coverage_html(data['coverage'])}
<h2>Footprint</h2>{footprint_html(data['footprint'])}
<h2>Every outcome</h2>{outcomes_html(data['outcomes'])}
</body></html>
"""


def now_utc() -> datetime:
    return datetime.now(timezone.utc)
