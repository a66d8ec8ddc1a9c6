"""The bounds of an "all lots" recall, read from its text once, at load time.

FDA's enforcement reports rarely mean every pack ever made: "all lots within
expiry" stops at what was unexpired when the recall began; "distributed
between 01/05/12 and 02/12/15" or "prior to and including 05/23/2013" stops
at a period; "distributed in Zone IV" (hot and humid climates) or a
distribution pattern naming only foreign countries stops at a geography.
R13 compares these bounds with a pack's own dates and the shipment's route.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date

import pycountry

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name} | {
    name.lower(): number for number, name in enumerate(calendar.month_abbr) if name
}
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = (
    r"\d{1,2}/\d{1,2}/\d{2,4}"
    r"|\d{4}-\d{1,2}-\d{1,2}"
    rf"|\d{{1,2}}[\s-]{_MONTH}[\s-]\d{{2,4}}"
    rf"|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}"
    rf"|{_MONTH},?\s+\d{{4}}"
    r"|\d{1,2}/\d{4}"
    r"|\d{1,2}/\d{2}(?![\d/])"
)
_ACTION = (
    r"(?:distributed|shipped|sold|dispensed|compounded|prepared|manufactured|repackaged|"
    r"produced|made|packaged)"
)
_PERIOD = re.compile(
    rf"\b{_ACTION}\b[^;.]{{0,40}}?(?:between|from)?\s*({_DATE})\s*(?:and|to|through|thru|-)\s*"
    rf"({_DATE})",
    re.IGNORECASE,
)
_UNTIL = re.compile(
    rf"\b{_ACTION}\b[^;.]{{0,40}}?(?:prior\s+to|before|on\s+or\s+before|through|up\s+to|until)"
    rf"(?:\s+and\s+including)?\s+({_DATE})",
    re.IGNORECASE,
)
_SINCE = re.compile(
    rf"\b{_ACTION}\b[^;.]{{0,40}}?(?:after|since|on\s+or\s+after)\s+({_DATE})", re.IGNORECASE
)
_EXPIRY = r"\bexp(?:iry|iration|ires|\.)?(?:\s+dates?)?"
_EXPIRY_PERIOD = re.compile(
    rf"{_EXPIRY}\s+(?:between|from)\s*({_DATE})\s*(?:and|to|through|thru|-)\s*({_DATE})",
    re.IGNORECASE,
)
_EXPIRY_UNTIL = re.compile(
    rf"{_EXPIRY}\s+(?:up\s+to|through|thru|before|prior\s+to|on\s+or\s+before|until)"
    rf"(?:\s+and\s+including)?\s+({_DATE})",
    re.IGNORECASE,
)
_WITHIN_EXPIRY = re.compile(
    r"\bwithin\s+(?:the\s+|their\s+|its\s+|labeled\s+)?(?:expir|expiration|shelf[\s-]*life|dating)"
    r"|\bunexpired\b|\bnot\s+(?:yet\s+)?expired\b",
    re.IGNORECASE,
)
_ZONE_IV = re.compile(r"\b(?:climatic\s+)?zone\s*(?:iv|4)[ab]?\b", re.IGNORECASE)
_US_WORDS = re.compile(
    r"\bnation\s*-?\s*wide\b|\bunited\s+states\b|\bdomestic(?:ally)?\b|\bpuerto\s+rico\b",
    re.IGNORECASE,
)
_US_ABBREVIATION = re.compile(r"\bU\.?S\.?A?\b")
_FOREIGN_WORDS = re.compile(r"\binternational(?:ly)?\b|\bworld\s*wide\b|\boverseas\b", re.I)
US_TERRITORIES = frozenset({"US", "PR", "GU", "VI", "AS", "MP", "UM"})
_ALSO_US_NAMES = frozenset({"georgia", "jersey"})
_COUNTRY_ALIASES = {
    "korea": "KR",
    "south korea": "KR",
    "uk": "GB",
    "england": "GB",
    "great britain": "GB",
    "russia": "RU",
    "vietnam": "VN",
    "taiwan": "TW",
    "iran": "IR",
    "syria": "SY",
    "venezuela": "VE",
    "bolivia": "BO",
    "tanzania": "TZ",
    "czech republic": "CZ",
}
"""Names recall texts use that ISO's short names spell otherwise."""
"""Country names that are, in a US distribution pattern, the names of states."""
_STATE_CODE = re.compile(
    r"(?:(?:^|[,;:(/&])\s*([A-Za-z]{2})\b(?=\s*(?:[,;.)/&]|\band\b|\bonly\b|$))"
    r"|(?:^|[,;:(/&])\s*([A-Z]{2})\b"
    r"|\b(?:in|and|to)\s+([A-Z]{2})(?=\s*(?:[,;.)/&]|\band\b|\bonly\b|$)))",
    re.MULTILINE,
)
"""A two-letter code standing as a list item ("AL, AZ and CA", "NY only", "in TN"), not a
word of upper-case prose ("DISTRIBUTED IN CANADA")."""


@functools.cache
def _us_places() -> tuple[frozenset[str], re.Pattern[str]]:
    """Codes (TX) and a pattern of names (Texas) of US states, DC and territories."""
    places = pycountry.subdivisions.get(country_code="US") or []
    codes = frozenset(place.code.split("-")[1] for place in places)
    names = "|".join(re.escape(place.name.split(",")[0]) for place in places)
    return codes, re.compile(rf"\b(?:{names})\b", re.IGNORECASE)


@dataclass(frozen=True)
class RecallScope:
    within_expiry: bool = False
    distributed_from: date | None = None
    distributed_until: date | None = None
    distribution_scope: str = "unknown"  # "us", "non_us" or "unknown"
    distribution_countries: tuple[str, ...] = ()  # ISO alpha-2, outside the US
    expiry_from: date | None = None  # "all lots with expiry between ... and ..."
    expiry_until: date | None = None


def read_scope(
    code_info: str | None,
    more_code_info: str | None = None,
    product_description: str | None = None,
    distribution_pattern: str | None = None,
    reason: str | None = None,
) -> RecallScope:
    """The bounds the recall's own words put on it.

    >>> read_scope("All lots repackaged and distributed between 01/05/12 to 02/12/15")
    RecallScope(within_expiry=False, distributed_from=datetime.date(2012, 1, 5), \
distributed_until=datetime.date(2015, 2, 12), distribution_scope='unknown', \
distribution_countries=(), expiry_from=None, expiry_until=None)
    """
    codes = " ; ".join(part for part in (code_info, more_code_info) if part)
    start, end = _period(codes, _PERIOD, _UNTIL, _SINCE)
    expiry_start, expiry_end = _period(codes, _EXPIRY_PERIOD, _EXPIRY_UNTIL, None)
    geography = " ; ".join(
        part for part in (codes, product_description, reason, distribution_pattern) if part
    )
    countries = foreign_countries(distribution_pattern or "")
    if _ZONE_IV.search(geography):
        scope = "non_us"
    elif _names_us(distribution_pattern or ""):
        scope = "us"
    elif countries or _FOREIGN_WORDS.search(distribution_pattern or ""):
        scope = "non_us"
    else:
        scope = "unknown"
    return RecallScope(
        within_expiry=bool(_WITHIN_EXPIRY.search(codes)),
        distributed_from=start,
        distributed_until=end,
        distribution_scope=scope,
        distribution_countries=countries,
        expiry_from=expiry_start,
        expiry_until=expiry_end,
    )


def _period(
    text: str,
    between: re.Pattern[str],
    until: re.Pattern[str],
    since: re.Pattern[str] | None,
) -> tuple[date | None, date | None]:
    if (match := between.search(text)) is not None:
        first, second = parse_period(match.group(1)), parse_period(match.group(2))
        if first is not None and second is not None:
            return first[0], second[1]
    start = end = None
    if (match := until.search(text)) is not None and (last := parse_period(match.group(1))):
        end = last[1]
    match = since.search(text) if since else None
    if match is not None and (first_day := parse_period(match.group(1))) is not None:
        start = first_day[0]
    return start, end


def parse_period(text: str) -> tuple[date, date] | None:
    """The first and last day a written date stands for; None if it is no date.

    >>> parse_period("November 2014")
    (datetime.date(2014, 11, 1), datetime.date(2014, 11, 30))
    >>> parse_period("11-Sep-15")
    (datetime.date(2015, 9, 11), datetime.date(2015, 9, 11))
    >>> parse_period("05/23/2013")
    (datetime.date(2013, 5, 23), datetime.date(2013, 5, 23))
    """
    words = [word for word in re.split(r"[\s,/.-]+", text.strip().lower()) if word]
    try:
        if len(words) == 3 and words[0].isdigit() and words[1].isdigit():
            if len(words[0]) == 4:
                return _day(int(words[0]), int(words[1]), int(words[2]))
            return _day(_year(words[2]), int(words[0]), int(words[1]))
        if len(words) == 3 and words[1] in _MONTHS:
            return _day(_year(words[2]), _MONTHS[words[1]], int(words[0]))
        if len(words) == 3 and words[0] in _MONTHS:
            return _day(_year(words[2]), _MONTHS[words[0]], int(words[1]))
        if len(words) == 2:
            month = _MONTHS.get(words[0]) or (int(words[0]) if words[0].isdigit() else 0)
            year = _year(words[1])
            last = calendar.monthrange(year, month)[1]
            return date(year, month, 1), date(year, month, last)
    except ValueError:
        return None
    return None


def _day(year: int, month: int, day: int) -> tuple[date, date]:
    found = date(year, month, day)
    return found, found


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if value < 100 else value


def _names_us(pattern: str) -> bool:
    if _US_WORDS.search(pattern) or _US_ABBREVIATION.search(pattern):
        return True
    codes, names = _us_places()
    if names.search(pattern):
        return True
    return any(
        code.upper() in codes for found in _STATE_CODE.findall(pattern) for code in found if code
    )


@functools.cache
def _country_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        if country.alpha_2 in US_TERRITORIES:
            continue
        for attribute in ("name", "common_name"):
            name = getattr(country, attribute, None)
            if name and "," not in name and name.lower() not in _ALSO_US_NAMES:
                names[name.lower()] = country.alpha_2
    names.update(_COUNTRY_ALIASES)
    alternation = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternation})\b", re.IGNORECASE), names


def foreign_countries(text: str) -> tuple[str, ...]:
    """ISO alpha-2 codes of the countries outside the US that `text` names, in order.

    >>> foreign_countries("Distributed in Puerto Rico and Oman")
    ('OM',)
    """
    pattern, names = _country_pattern()
    found = [
        names[match.group(0).lower()]
        for match in pattern.finditer(text)
        if not text[: match.start()].lower().endswith("new ")  # New Mexico is a state
    ]
    return tuple(dict.fromkeys(found))
