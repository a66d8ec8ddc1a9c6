"""Detect group separators lost in transport (``separator_missing``).

Without GS, a variable-length value (lot, serial, ...) runs on into the next
elements: ``10LOT4221SN0001`` reads as lot ``LOT4221SN0001`` and no serial.
Such a scan is syntactically valid, so the loss can only be inferred: a value
is reported as having swallowed elements when it can be cut into a valid head
plus a tail that parses completely into valid elements and supplies a product
identifier AI (01, 10, 17, 21) the scan otherwise lacks. The interpreter
then withholds the ambiguous fields and lists every plausible reading.
"""

from collections.abc import Iterator
from datetime import date

from inspect_svc.interpret.ai_table import (
    AI_LENGTH_BY_PREFIX,
    FIXED_DATA_LENGTH,
    KNOWN_AIS,
    max_data_length,
)
from inspect_svc.interpret.parsed import Element
from inspect_svc.interpret.validate import element_errors

PI_AIS = ("01", "10", "17", "21")
MAX_CANDIDATES = 8
SEARCH_BUDGET = 5000
LONGEST_SWALLOWING = 128
"""Longer values are reported as too long; searching them for lost separators is not worth it."""
_DIGITS = frozenset("0123456789")


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
    if not missing:
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
            for tail in _tails(value[cut:], today, budget):
                if not missing.intersection(tail_ai for tail_ai, _ in tail):
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
