"""Detect group separators lost in transport (``separator_missing``).

Without GS, a variable-length value (lot, serial, ...) runs on into the next
elements: ``10LOT4221SN0001`` reads as lot ``LOT4221SN0001`` and no serial.
Such a scan is syntactically valid, so the loss can only be inferred: a value
is reported as having swallowed elements when it can be cut into a valid head
plus a tail that parses completely into valid elements and supplies a product
identifier AI (01, 10, 17, 21) the scan otherwise lacks. The interpreter
then withholds the ambiguous fields and lists every plausible reading.

A loss is only plausible when the payload carries no GS at all (a scanner
that sends one GS sends them all) and the split makes sense: a swallowed
serial has at least `MIN_SERIAL_LENGTH` characters, the lot left in front of
it at least `MIN_LOT_LENGTH`, and a national reimbursement number left in
front is all digits of its national length. Otherwise a lot such as
``LT2107B`` is just a lot, and a missing serial is missing.
"""

from collections.abc import Iterator
from datetime import date

from inspect_core.interpret.ai_table import (
    AI_LENGTH_BY_PREFIX,
    FIXED_DATA_LENGTH,
    KNOWN_AIS,
    max_data_length,
)
from inspect_core.interpret.parsed import Element
from inspect_core.interpret.validate import element_errors

PI_AIS = ("01", "10", "17", "21")
MAX_CANDIDATES = 8
SEARCH_BUDGET = 5000
LONGEST_SWALLOWING = 128
"""Longer values are reported as too long; searching them for lost separators is not worth it."""
_DIGITS = frozenset("0123456789")
MIN_SERIAL_LENGTH = 6
"""Shorter tails after an embedded ``21`` are not taken for a serial (real serials are longer)."""
MIN_LOT_LENGTH = 3
"""A lot cut shorter than this by a supposed lost separator is not plausible."""
NHRN_LENGTHS = {"710": 8, "711": 13, "712": 7, "713": 13, "714": 7, "716": 9}
"""National lengths of reimbursement numbers (PZN, CIP13, CN, DRN, AIM, AIC), all digits."""


def _tails(text: str, today: date, budget: list[int]) -> Iterator[list[Element]]:
    """Every way to read all of ``text`` as valid elements with no separators.

    ``budget`` (a one-item counter shared across calls) bounds the search on
    adversarial input; positions known to lead nowhere are not searched again.
    """
    dead: set[int] = set()

    def read(position: int) -> Iterator[list[Element]]:
        if position == len(text):
            yield []
            return
        budget[0] -= 1
        if position in dead or budget[0] < 0:
            return
        ai_length = AI_LENGTH_BY_PREFIX.get(text[position : position + 2])
        ai = text[position : position + (ai_length or 0)]
        if ai_length is None or ai not in KNOWN_AIS:
            dead.add(position)
            return
        start = position + ai_length
        fixed = FIXED_DATA_LENGTH.get(ai[:2])
        if fixed is not None:
            ends = range(start + fixed, start + fixed + 1 if start + fixed <= len(text) else 0)
        else:
            ends = range(start + 1, min(len(text), start + max_data_length(ai)) + 1)
        found = False
        for end in ends:
            if end < len(text) and text[end] not in _DIGITS:
                continue
            value = text[start:end]
            if element_errors(ai, value, today):
                continue
            for rest in read(end):
                found = True
                yield [(ai, value), *rest]
        if not found:
            dead.add(position)

    return read(0)


def _consistent(elements: list[Element]) -> bool:
    seen: dict[str, str] = {}
    return all(seen.setdefault(ai, value) == value for ai, value in elements)


def find_swallowing(
    elements: list[Element], variable: list[int], today: date
) -> tuple[set[int], list[dict[str, str]]]:
    """Indexes of elements that evidently swallowed others, and the plausible readings.

    The literal reading is listed first when all its values are valid.
    """
    present = {ai for ai, _ in elements}
    missing = {ai for ai in PI_AIS if ai not in present}
    if not missing or _carried_separator(elements, variable):
        return set(), []
    swallowing: set[int] = set()
    splits: list[tuple[int, list[Element]]] = []
    budget = [SEARCH_BUDGET]
    for index in variable:
        ai, value = elements[index]
        if len(value) > LONGEST_SWALLOWING:
            continue
        for cut in range(1, len(value)):
            if value[cut] not in _DIGITS or element_errors(ai, value[:cut], today):
                continue
            if not _plausible_head(ai, value[:cut]):
                continue
            for tail in _tails(value[cut:], today, budget):
                if not missing.intersection(tail_ai for tail_ai, _ in tail):
                    continue
                if not all(_plausible_value(tail_ai, v) for tail_ai, v in tail):
                    continue
                reading = [*elements[:index], (ai, value[:cut]), *tail, *elements[index + 1 :]]
                if _consistent(reading) and len(splits) < MAX_CANDIDATES:
                    swallowing.add(index)
                    splits.append((cut, reading))
    if not swallowing:
        return set(), []
    splits.sort(key=lambda item: (-len(present.union(a for a, _ in item[1])), item[0]))
    candidates = [dict(reading) for _, reading in splits]
    if not any(element_errors(ai, value, today) for ai, value in elements) and _consistent(
        elements
    ):
        candidates.insert(0, dict(elements))
    return swallowing, candidates[:MAX_CANDIDATES]


def _carried_separator(elements: list[Element], variable: list[int]) -> bool:
    """A variable-length element other than the last ended at a GS: the scanner sends GS."""
    return any(index != len(elements) - 1 for index in variable)


def _plausible_head(ai: str, value: str) -> bool:
    """Whether ``value`` is a believable value of ``ai`` once the rest was split off."""
    if ai in NHRN_LENGTHS:
        return len(value) == NHRN_LENGTHS[ai] and set(value) <= _DIGITS
    return _plausible_value(ai, value)


def _plausible_value(ai: str, value: str) -> bool:
    if ai == "21":
        return len(value) >= MIN_SERIAL_LENGTH
    if ai == "10":
        return len(value) >= MIN_LOT_LENGTH
    return True
