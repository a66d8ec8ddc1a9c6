"""The GS1 application identifier dictionary, as bundled with biip, in lookup form."""

import re
from functools import cache

from biip.gs1_application_identifiers import (
    _GS1_APPLICATION_IDENTIFIERS as _BIIP_AIS,
)

GS = "\x1d"
"""The group separator (FNC1 as transmitted by a reader)."""

KNOWN_AIS: frozenset[str] = frozenset(_BIIP_AIS)

AI_LENGTH_BY_PREFIX: dict[str, int] = {ai[:2]: len(ai) for ai in _BIIP_AIS}
"""All AIs sharing their first two digits have the same length."""

FIXED_DATA_LENGTH: dict[str, int] = {
    "00": 18, "01": 14, "02": 14, "03": 14, "04": 16,
    "11": 6, "12": 6, "13": 6, "14": 6, "15": 6, "16": 6, "17": 6, "18": 6, "19": 6,
    "20": 2,
    "31": 6, "32": 6, "33": 6, "34": 6, "35": 6, "36": 6,
    "41": 13,
}  # fmt: skip
"""Data length of the AIs with a predefined length, by AI prefix: these never need a separator.

Other AIs end at a separator or at the end of the data, even when their format
is of fixed size (e.g. 422, 7003).
"""

_COMPONENT = re.compile(r"[NXYZ](\.\.)?(\d+)")


@cache
def max_data_length(ai: str) -> int:
    """Longest data field ``ai`` allows, from its dictionary format (e.g. ``N3+X..30`` -> 30)."""
    components = _BIIP_AIS[ai].format.split("+")[1:]
    return sum(int(m.group(2)) for part in components if (m := _COMPONENT.search(part)))


@cache
def _pattern(ai: str) -> re.Pattern[str]:
    return re.compile(_BIIP_AIS[ai].pattern)


def matches_format(ai: str, value: str) -> bool:
    """Whether ``value`` fits the dictionary's pattern for ``ai``."""
    return _pattern(ai).fullmatch(ai + value) is not None
