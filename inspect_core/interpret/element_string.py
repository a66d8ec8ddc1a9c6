"""GS1 element strings: AI + value pairs, variable-length values ended by GS."""

from inspect_core.interpret import codes
from inspect_core.interpret.ai_table import AI_LENGTH_BY_PREFIX, FIXED_DATA_LENGTH, GS, KNOWN_AIS
from inspect_core.interpret.parsed import Parsed


def replace_substitutes(data: str, substitutes: tuple[str, ...]) -> str:
    """Turn the configured separator substitutes into GS."""
    for substitute in substitutes:
        if substitute and substitute in data:
            data = data.replace(substitute, GS)
    return data


def starts_with_known_ai(data: str) -> bool:
    """Whether the first element (after any GS) has an AI in the dictionary."""
    start = 0
    while start < len(data) and data[start] == GS:
        start += 1
    length = AI_LENGTH_BY_PREFIX.get(data[start : start + 2])
    return length is not None and data[start : start + length] in KNOWN_AIS


def parse_element_string(data: str) -> Parsed:
    """Split ``data`` (GS as ASCII 29) into elements in scan order.

    Leading, trailing and repeated GS are ignored. An unknown AI is reported
    and skipped up to the next GS; a fixed-length field cut short by the end of
    the data or by a GS is reported as truncated.
    """
    parsed = Parsed("gs1")
    position, end = 0, len(data)
    while position < end:
        if data[position] == GS:
            position += 1
            continue
        ai_length = AI_LENGTH_BY_PREFIX.get(data[position : position + 2])
        ai = data[position : position + (ai_length or 2)]
        if ai_length is None or len(ai) < ai_length or ai not in KNOWN_AIS:
            cut_short = len(ai) < (ai_length or 2)
            parsed.errors.append(codes.TRUNCATED if cut_short else codes.UNKNOWN_AI)
            next_gs = data.find(GS, position)
            position = end if next_gs < 0 else next_gs
            continue
        start = position + ai_length
        fixed = FIXED_DATA_LENGTH.get(ai[:2])
        if fixed is not None:
            value = data[start : start + fixed]
            cut = value.find(GS)
            if cut >= 0 or len(value) < fixed:
                parsed.errors.append(codes.TRUNCATED)
                position = end if cut < 0 else start + cut
                continue
            parsed.elements.append((ai, value))
            position = start + fixed
        else:
            next_gs = data.find(GS, start)
            position = end if next_gs < 0 else next_gs
            parsed.variable.append(len(parsed.elements))
            parsed.elements.append((ai, data[start:position]))
    return parsed
