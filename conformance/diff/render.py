"""The changes as text (a terminal), JSON (a machine) or markdown (a pull-request comment)."""
from __future__ import annotations

import json

from conformance.diff.changes import Change

OPERATIONS_SHOWN_MAX = 3
FORMATS = ("text", "json", "markdown")


def operations_text(found: Change) -> str:
    shown = ", ".join(found.operations[:OPERATIONS_SHOWN_MAX])
    more = len(found.operations) - OPERATIONS_SHOWN_MAX
    return shown + (f" and {more} more" if more > 0 else "")


def summary(changes: list[Change]) -> str:
    breaking = sum(c.breaking for c in changes)
    return f"{len(changes)} changes, {breaking} breaking, {len(changes) - breaking} not breaking"


def render_text(changes: list[Change], old: str, new: str) -> str:
    lines = [f"Contract diff {old} -> {new}: {summary(changes)}"]
    for found in changes:
        lines.append(f"{'BREAKING' if found.breaking else 'ok      '}  {found.rule_id}  {found.pointer}")
        lines.append(f"          {found.message}")
        if found.operations:
            lines.append(f"          in {operations_text(found)}")
    return "\n".join(lines) + "\n"


def render_json(changes: list[Change], old: str, new: str) -> str:
    body = {"old": old, "new": new, "breaking": sum(c.breaking for c in changes),
            "changes": [{"ruleId": c.rule_id, "breaking": c.breaking, "pointer": c.pointer, "message": c.message,
                         "operations": list(c.operations)} for c in changes]}
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def markdown_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(changes: list[Change], old: str, new: str) -> str:
    breaking = sum(c.breaking for c in changes)
    verdict = f"**{breaking} breaking**" if breaking else "no breaking change"
    lines = [f"### Contract diff `{old}` -> `{new}`", "", f"{summary(changes)}: {verdict}.", ""]
    if changes:
        lines += ["| | rule | where | what | operations |", "|---|---|---|---|---|"]
        lines += [f"| {':x:' if c.breaking else ':white_check_mark:'} | `{c.rule_id}` | `{markdown_cell(c.pointer)}` "
                  f"| {markdown_cell(c.message)} | {markdown_cell(operations_text(c))} |" for c in changes]
    return "\n".join(lines) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown}
