"""Human-readable interpretation typed by a person: ``(01)…(17)…(10)…(21)…``.

Parentheses are legal inside lot and serial values, so only ``(digits)``
naming a dictionary AI starts a new element. Spaces around elements are
dropped (a space is never valid GS1 data).
"""

import re

from inspect_core.interpret import codes
from inspect_core.interpret.ai_table import KNOWN_AIS
from inspect_core.interpret.parsed import Parsed

_AI = re.compile(r"\((\d{2,4})\)")


def _trim_spaces(value: str) -> str:
    start, end = 0, len(value)
    while start < end and value[start] == " ":
        start += 1
    while end > start and value[end - 1] == " ":
        end -= 1
    return value[start:end]


def parse_hri(text: str) -> Parsed | None:
    """Elements of an HRI string, or None when ``text`` does not start with ``(AI)``."""
    first = _AI.match(text)
    if first is None:
        return None
    parsed = Parsed("hri")
    starts = [first, *(m for m in _AI.finditer(text, first.end()) if m.group(1) in KNOWN_AIS)]
    for number, match in enumerate(starts):
        end = starts[number + 1].start() if number + 1 < len(starts) else len(text)
        ai = match.group(1)
        if ai not in KNOWN_AIS:
            parsed.errors.append(codes.UNKNOWN_AI)
            continue
        parsed.elements.append((ai, _trim_spaces(text[match.end() : end])))
    return parsed
