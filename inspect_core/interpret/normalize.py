"""From what the transport delivered to the text to parse."""

import re

from inspect_core.interpret import codes

_TERMINATORS = "\r\n\t"
_CONTROL = re.compile("[\x00-\x1c\x1e\x1f\x7f-\x9f]")
_CONTROL_OR_GS = re.compile("[\x00-\x1f\x7f-\x9f]")


def decode(raw: str | bytes) -> tuple[str, str, list[str]]:
    """(raw for the result, text to parse, errors).

    Bytes are decoded as UTF-8 (ASCII being the expected case). Invalid
    sequences become U+FFFD in the text to parse and ``\\xNN`` escapes in the
    echoed raw, so the result stays JSON-serializable and the bytes visible.
    """
    if isinstance(raw, str):
        return raw, raw, []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return (
            raw.decode("utf-8", "backslashreplace"),
            raw.decode("utf-8", "replace"),
            [codes.ENCODING],
        )
    return text, text, []


def strip_terminators(text: str) -> str:
    """Drop CR, LF and TAB at both ends (line terminators, and a CR left over from CRLF).

    Only these characters: ``str.strip()`` would also eat GS, which is data.
    """
    start, end = 0, len(text)
    while start < end and text[start] in _TERMINATORS:
        start += 1
    while end > start and text[end - 1] in _TERMINATORS:
        end -= 1
    return text[start:end]


def character_errors(text: str, *, gs_allowed: bool) -> list[str]:
    """``non_ascii`` / ``control_character`` for characters never valid in scan data."""
    found = []
    if not text.isascii():
        found.append(codes.NON_ASCII)
    if (_CONTROL if gs_allowed else _CONTROL_OR_GS).search(text):
        found.append(codes.CONTROL_CHARACTER)
    return found
