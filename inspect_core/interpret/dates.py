"""GS1 date fields: ``yymmd0`` (AIs 11-17) and ``yymmddhhmi`` (AI 7003).

The two-digit year is placed within -49/+50 years of the reference year (GS1
General Specifications, "determination of century"); a day of ``00`` means
the last day of the month.
"""

import calendar
from datetime import date, datetime

from inspect_core.ndc import is_ascii_digits


def _full_year(yy: int, today: date) -> int:
    century = today.year - today.year % 100
    diff = yy - today.year % 100
    if diff >= 51:
        return century - 100 + yy
    if diff <= -50:
        return century + 100 + yy
    return century + yy


def parse_yymmd0(value: str, today: date) -> date | None:
    """The date in a ``yymmd0`` field, or None if impossible.

    >>> parse_yymmd0("280200", date(2025, 1, 1))
    datetime.date(2028, 2, 29)
    >>> parse_yymmd0("271332", date(2025, 1, 1)) is None
    True
    """
    if len(value) != 6 or not is_ascii_digits(value):
        return None
    month, day = int(value[2:4]), int(value[4:6])
    if not 1 <= month <= 12:
        return None
    year = _full_year(int(value[:2]), today)
    last = calendar.monthrange(year, month)[1]
    if day == 0:
        day = last
    elif day > last:
        return None
    return date(year, month, day)


def parse_yymmddhhmi(value: str, today: date) -> datetime | None:
    """The date and time in an AI 7003 field (no ``00`` day), or None if impossible."""
    if len(value) != 10 or not is_ascii_digits(value) or value[4:6] == "00":
        return None
    day = parse_yymmd0(value[:6], today)
    hour, minute = int(value[6:8]), int(value[8:10])
    if day is None or hour > 23 or minute > 59:
        return None
    return datetime(day.year, day.month, day.day, hour, minute)
