"""Limits of a fixture file posted to `POST /api/v1/sandbox/fixtures`: data, not a bomb.

An upload holds no YAML anchor or alias (a ~300-byte alias bomb expands to hundreds of
millions of nodes), nests at most UPLOAD_DEPTH_MAX deep and holds at most UPLOAD_NODES_MAX
nodes; it is checked on the parser's event stream, in one pass that stops at the first
breach, before anything is built. Its bytes are capped by the body limit (413). A file
given with `--fixtures` at start-up is the operator's own: none of these limits apply.
"""

from __future__ import annotations

import json

import yaml

from mock_server.json_limits import lone_surrogate_at, may_hold_surrogate, nests_deeper_than
from mock_server.ledger.errors import FixtureError

UPLOAD_DEPTH_MAX = 64
UPLOAD_NODES_MAX = 50_000
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPENING = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSING = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def checked_upload(body: object) -> object:
    """`body` as it came (a parsed JSON body, already bounded, or YAML/JSON text), or
    FixtureError (400) naming the limit it breaks."""
    if not isinstance(body, str):
        return body
    if body.lstrip().startswith("{"):       # loaded as JSON (fixtures.parse_fixture_text)
        _check_json(body.encode("utf-8"))
        return body
    _scan_yaml(body)
    return body


def _check_json(raw: bytes) -> None:
    if nests_deeper_than(raw, UPLOAD_DEPTH_MAX):
        raise _refused(f"nests deeper than {UPLOAD_DEPTH_MAX}")
    if may_hold_surrogate(raw):
        try:
            value = json.loads(raw)
        except ValueError:
            return                          # refused as unparsable when it is loaded
        if lone_surrogate_at(value) is not None:
            raise _refused("holds a lone surrogate escape (such as \\ud800) in a string")


def _scan_yaml(text: str) -> None:
    depth, nodes = 0, 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise _refused("uses YAML anchors or aliases; write each value out")
            if isinstance(event, _OPENING):
                depth += 1
                if depth > UPLOAD_DEPTH_MAX:
                    raise _refused(f"nests deeper than {UPLOAD_DEPTH_MAX}")
            elif isinstance(event, _CLOSING):
                depth -= 1
            if isinstance(event, (yaml.ScalarEvent, *_OPENING)):
                nodes += 1
                if nodes > UPLOAD_NODES_MAX:
                    raise _refused(f"holds more than {UPLOAD_NODES_MAX} values")
    except yaml.YAMLError as error:
        raise FixtureError([f"fixture: cannot parse: {error}"]) from None


def _refused(issue: str) -> FixtureError:
    return FixtureError([f"fixture: cannot parse: an uploaded fixture file {issue} "
                         "(a file given with --fixtures at start-up has no such limit)"])
