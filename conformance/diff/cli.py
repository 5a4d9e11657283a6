"""`ledgerhq-conformance diff OLD [NEW]`: every change between two versions of the contract, classed breaking
or not for partners. OLD and NEW are files or git refs (a ref reads the contract wherever it lived in that
commit); NEW defaults to the packaged contract. Exit status: 0 no breaking change, 1 a breaking change,
2 a usage error (an unreadable file, an unknown ref)."""
from __future__ import annotations

import argparse
import sys
from typing import TextIO

from conformance.diff.load import ContractNotFound, load_source
from conformance.diff.render import FORMATS, RENDERERS
from conformance.diff.walk import diff_contracts
from ledgerhq_contract import CONTRACT_PATH

EXIT_COMPATIBLE, EXIT_BREAKING, EXIT_USAGE = 0, 1, 2


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ledgerhq-conformance diff", description=__doc__)
    parser.add_argument("old", help="the contract partners use today: a file or a git ref (HEAD~1, v0.1.0, ...)")
    parser.add_argument("new", nargs="?", default=str(CONTRACT_PATH),
                        help="the contract to release (default: %(default)s)")
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("--breaking-only", action="store_true", help="list only the breaking changes")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)    # argparse exits 2 on a usage error
    try:
        old, old_label = load_source(args.old)
        new, new_label = load_source(args.new)
    except ContractNotFound as error:
        print(f"ledgerhq-conformance diff: {error}", file=sys.stderr)
        return EXIT_USAGE
    changes = diff_contracts(old, new)
    shown = [c for c in changes if c.breaking] if args.breaking_only else changes
    out.write(RENDERERS[args.format](shown, old_label, new_label))
    return EXIT_BREAKING if any(c.breaking for c in changes) else EXIT_COMPATIBLE


if __name__ == "__main__":
    sys.exit(main())
