"""The lengths a string schema really allows: `minLength`/`maxLength`, and what its format or its pattern already
implies. A `maxLength: 10` added to a `format: date`, or a `minLength: 1` beside a pattern that needs a
character, refuses nothing the schema took before: it is no change for partners."""
from __future__ import annotations

import re
from typing import Any

try:                                  # the standard library's own regular-expression parser (no public form)
    from re import _parser as regex_parser
except ImportError:                   # pragma: no cover - Python before 3.11
    import sre_parse as regex_parser  # type: ignore[no-redef]

LENGTH_BY_FORMAT = {"date": (10, 10), "uuid": (36, 36)}
LENGTH_UNBOUNDED = 2**31
AT, AT_BEGINNING, AT_END = "AT", "AT_BEGINNING", "AT_END"


def pattern_lengths(pattern: Any) -> tuple[int, int | None]:
    """(shortest, longest) string the pattern can match: the shortest holds for any pattern (the string must
    contain a match), the longest only for one anchored at both ends; (0, None) when unknown."""
    if not isinstance(pattern, str):
        return 0, None
    try:
        parsed = regex_parser.parse(pattern)
        shortest, longest = parsed.getwidth()
    except (re.error, ValueError, TypeError, OverflowError, RecursionError):
        return 0, None
    items = list(parsed.data)
    anchored = bool(items) and str(items[0][0]) == AT and str(items[0][1]) == AT_BEGINNING \
        and str(items[-1][0]) == AT and str(items[-1][1]) == AT_END
    return shortest, longest if anchored and longest < LENGTH_UNBOUNDED else None


def string_lengths(keywords: dict) -> tuple[int, int | None]:
    """(shortest, longest) string a schema takes, from its length bounds, its format and its pattern."""
    format_shortest, format_longest = LENGTH_BY_FORMAT.get(keywords.get("format"), (0, None))
    pattern_shortest, pattern_longest = pattern_lengths(keywords.get("pattern"))
    shortest = max(keywords.get("minLength") or 0, format_shortest, pattern_shortest)
    longests = [n for n in (keywords.get("maxLength"), format_longest, pattern_longest) if n is not None]
    return shortest, min(longests) if longests else None
