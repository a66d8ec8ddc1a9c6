"""Lot numbers out of the free text of openFDA recalls (`code_info`, `more_code_info`).

The text has no fixed format ("Lot #: A, B, Exp 09/13; C", "Lots: 1) X 2) Y",
"All lots", "Lot# 13-9204-0-1 through 13-9204-0-30", bare lists of codes).
The extractor removes what is certainly not a lot (dates, NDC and UPC codes,
strengths, parentheses, list markers), then walks the words: a lot label
("Lot", "Lots", "Batch", "Lot Number(s)", "Pedigree") starts a lot list,
another label ("NDC", "Rx", "Product Code", "Item", ...) ends it. Without
any lot label, code-like words are taken with low confidence.

Confidence: "high" = labelled lots; "medium" = a range, or an "all lots"
statement with qualifiers (e.g. "distributed between ..."); "low" = unlabelled
codes; "none" = nothing usable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATES = re.compile(
    r"(?<![\w@/-])(?:"
    r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}"
    r"|\d{1,2}-\d{1,2}-\d{2,4}"
    r"|(?:19|20)\d{2}[/-]\d{1,2}(?:[/-]\d{1,2})?"
    r"|\d{1,2}/\d{2,4}"
    r"|\d{1,2}-\d{4}"
    rf"|(?:\d{{1,2}}[\s-]?)?{_MONTH}[\s,-]*(?:\d{{1,2}},?\s+)?(?:\d{{4}}|\d{{2}})"
    r")(?![\w@/-])",
    re.IGNORECASE,
)
_DATE_RANGE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\s*-\s*\d{1,2}/\d{1,2}/\d{2,4}\b")
_NDC = re.compile(
    r"\bNDC\s*(?:#|no\.?|number)?[\s:#]*\d[\d-]{8,12}\d\b|\b\d{4,5}-\d{3,4}-\d{1,2}\b",
    re.IGNORECASE,
)
_UPC = re.compile(r"\bUPC\s*(?:code|#|no\.?)?[\s:#]*\d[\d\s-]{9,18}\d\b", re.IGNORECASE)
_STRENGTH = re.compile(
    r"(?<![\w/-])\d{1,5}(?:\.\d+)?(?:\s*(?:mg|mcg|ml|%|units?|iu|meq|cc|oz|tablets?|capsules?|count|"
    r"ct|doses?|vials?|bottles?|bags?|syringes?)|\s+(?:g|l))\b",
    re.IGNORECASE,
)
_GLUED_EXPIRY = re.compile(r"\b(exp|bud|lots?)(?=\d)", re.IGNORECASE)
_DATE_LIKE = re.compile(r"^(?:\d{1,2}|\d{4})(?:/+\d*)+$")
_PARENS = re.compile(r"\([^)]*\)")
_MARKERS = re.compile(r"(?:^|(?<=\s))(?:[a-z]|\d{1,2})\)", re.IGNORECASE)
_ALL_LOTS = re.compile(
    r"\ball\s+(?:the\s+)?(?:[a-z]+\s+){0,2}?(?:lots?|codes?|lot\s+numbers?|batch(?:es)?|units|"
    r"products?|product\s+codes?|product\s+lots?)\b|\blots?\s*[:#]?\s*all\b",
    re.IGNORECASE,
)
_DISTRIBUTED = re.compile(
    r"^\W*(?:products?\s+)?(?:distributed|shipped|compounded|manufactured|repackaged|dispensed)"
    r"\s+(?:prior\s+to|before|on\s+or\s+(?:before|after)|between|from|since|after|through)\b",
    re.IGNORECASE,
)
"""A recall of everything distributed in a period, written without the word "all"."""
_DATE_TIME_BATCH = re.compile(
    r"(?<![\w/])(\d{1,2}/\d{1,2}/\d{2,4})\s+(\d{4})\s+"
    r"([A-Za-z0-9]*\d[A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)\b"
)
"""Outsourcing facilities' lots: compounding date, a 4-digit time or sequence, batch
("4/26/17 0730 20-86367S", "12/03/18 9479 40105P")."""
_SPLIT_STAMP = re.compile(r"\b(\d{6,8}:)\s+(\d{1,3}@\d+)\b")
"""A "date:time@batch" lot broken by spaces after the colon ("02242016:  90@20")."""
_DATE_SHAPE = r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}"
_DATE_LOT = re.compile(
    r"\b(?:lots?|batch(?:es)?)\s*(?:#|no\.?|numbers?)?\s*(?:s\b)?[\s:#]*"
    rf"({_DATE_SHAPE})(?=\s*[,;]?\s*(?:exp|bud|use\s+by|discard|$))",
    re.IGNORECASE,
)
"""A lot written as a date right after its label, before its expiry ("Lot: 04/15/2012, Exp")."""
_DATE_ITEM = re.compile(
    rf"(?<![\w/.-])({_DATE_SHAPE})"
    r"(?=\s*,?\s*(?:exp|bud|use\s+by|discard)\b)",
    re.IGNORECASE,
)
_AFTER_EXPIRY_WORD = re.compile(r"(?:exp\w*|bud|by|after|date)\W*$", re.IGNORECASE)
_PROTECTED = re.compile(r"QQLOT(\d+)QQ")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9@_*+./:-]*")
_SEPARATOR = re.compile(r"[,;&]")
_LETTER_LOT = re.compile(r"^[A-Z]{3,8}$")
_NOT_LETTER_LOTS = frozenset(
    [
        "EXP",
        "EXPIRY",
        "EXPIRES",
        "EXPIRATION",
        "DATE",
        "DATES",
        "AND",
        "ALL",
        "LOTS",
        "LOT",
        "NONE",
        "UNKNOWN",
        "BUD",
        "USE",
        "SEE",
        "BELOW",
        "ABOVE",
        "TBD",
        "THE",
        "FOR",
        "WITH",
        "ONLY",
        "ITEM",
        "TRAY",
        "VIAL",
        "VIALS",
        "CARTON",
        "BOX",
        "CASE",
        "BAG",
        "BAGS",
        "BOTTLE",
        "DISCARD",
        "NUMBER",
        "NUMBERS",
        "AFTER",
        "BEFORE",
        "BETWEEN",
        "DISTRIBUTED",
        "THROUGH",
        "THRU",
        "WITHIN",
        "ANY",
        "SIZE",
        "PACK",
    ]
)
"""Upper-case words that are never a lot even where a lot is expected."""
_LOT_PHRASE = re.compile(
    r"\blot\s+(?:codes?|numbers?|nos?\.?)\b|\blots?\s*#\s*'?s\b", re.IGNORECASE
)
_LOT_LABELS = {
    "lot",
    "lots",
    "lot#",
    "lots#",
    "batch",
    "batches",
    "pedigree",
    "lot/batch",
    "batch/lot",
}
_STOP_LABELS = {
    "ndc",
    "upc",
    "rx",
    "code",
    "codes",
    "item",
    "items",
    "catalog",
    "cat",
    "model",
    "size",
    "serial",
    "sku",
    "strength",
    "quantity",
    "ref",
    "reference",
    "id",
    "pack",
    "kit",
    "order",
    "invoice",
    "product",
    "stock",
    "style",
    "part",
}
_RANGE_WORDS = {"through", "thru", "to"}
_YEAR = re.compile(r"^(?:19|20)\d{2}$")


@dataclass(frozen=True)
class LotRange:
    first: str
    last: str


@dataclass
class LotExtraction:
    lots: list[str] = field(default_factory=list)
    ranges: list[LotRange] = field(default_factory=list)
    all_lots: bool = False
    confidence: str = "none"


def lot_key(lot: str) -> str:
    """The form lots are compared in: upper case, letters and digits only."""
    return "".join(ch for ch in lot.upper() if ch.isascii() and ch.isalnum())


def extract_lots(code_info: str | None, more_code_info: str | None = None) -> LotExtraction:
    text = " ; ".join(part for part in (code_info, more_code_info) if part)
    result = LotExtraction(all_lots=bool(_ALL_LOTS.search(text) or _DISTRIBUTED.search(text)))
    protected: list[str] = []
    cleaned = _protect_date_lots(_SPLIT_STAMP.sub(r"\1\2", text), protected)
    cleaned = _GLUED_EXPIRY.sub(r"\1 ", _LOT_PHRASE.sub(" lot ", cleaned))
    for pattern in (_PARENS, _NDC, _UPC, _DATE_RANGE, _DATES, _STRENGTH, _MARKERS):
        cleaned = pattern.sub(" ; ", cleaned)
    tokens = _tokens(cleaned)
    labelled = any(_is_lot_label(token.word) for token in tokens)
    _collect(tokens, labelled, result)
    result.lots = [_PROTECTED.sub(lambda m: protected[int(m.group(1))], lot) for lot in result.lots]
    if result.ranges:
        result.confidence = "medium"
    elif result.lots:
        result.confidence = "high" if labelled else "low"
    elif result.all_lots:
        result.confidence = "high" if len(text.strip()) <= 20 else "medium"
    return result


def _protect_date_lots(text: str, protected: list[str]) -> str:
    """Swap lots that look like dates for placeholders, so date removal keeps them.

    Two shapes: an outsourcing facility's "date time batch", and a date written
    where a lot belongs (right after "Lot:", followed by its expiry); once the
    first lot of a text is such a date, each date followed by an expiry is a lot too.
    """

    def keep(lot: str) -> str:
        protected.append(lot)
        return f" QQLOT{len(protected) - 1}QQ "

    def date_time_batch(match: re.Match[str]) -> str:
        if _AFTER_EXPIRY_WORD.search(text[max(0, match.start() - 14) : match.start()]):
            return match.group(0)
        return keep(" ".join(match.groups()))

    text = _DATE_TIME_BATCH.sub(date_time_batch, text)
    first = _DATE_LOT.search(text)
    if first is None:
        return text
    text = text[: first.start(1)] + keep(first.group(1)) + text[first.end(1) :]

    def date_item(match: re.Match[str]) -> str:
        if _AFTER_EXPIRY_WORD.search(text[max(0, match.start() - 14) : match.start()]):
            return match.group(0)
        return keep(match.group(1))

    return _DATE_ITEM.sub(date_item, text)


@dataclass(frozen=True)
class _Token:
    word: str
    listed: bool
    """Stands alone as a list item: a separator or lot label before it, a separator after."""


def _tokens(cleaned: str) -> list[_Token]:
    matches = list(_WORD.finditer(cleaned))
    tokens = []
    for index, match in enumerate(matches):
        previous = matches[index - 1] if index else None
        following = matches[index + 1] if index + 1 < len(matches) else None
        before = cleaned[previous.end() if previous else 0 : match.start()]
        after = cleaned[match.end() : following.start() if following else len(cleaned)]
        previous_word = _strip(previous.group(0)).lower() if previous else ""
        following_word = following.group(0).lower() if following else ""
        opens = (
            previous is None
            or _SEPARATOR.search(before) is not None
            or _is_lot_label(previous_word)
            or previous_word == "and"
        )
        closes = (
            following is None
            or _SEPARATOR.search(after) is not None
            or following_word.startswith("exp")
            or following_word == "and"
        )
        tokens.append(_Token(_strip(match.group(0)), opens and closes))
    return tokens


def _collect(tokens: list[_Token], labelled: bool, result: LotExtraction) -> None:
    collecting = not labelled
    seen: set[str] = set()
    index = 0
    while index < len(tokens):
        token = tokens[index]
        word = token.word
        lower = word.lower()
        index += 1
        if _is_lot_label(word):
            collecting = True
            continue
        if lower.rstrip("#:") in _STOP_LABELS:
            collecting = False
            continue
        if not collecting or not _looks_like_lot(token, labelled):
            continue
        after = tokens[index : index + 3]
        if after and after[0].word.lower() in _RANGE_WORDS:
            last = next((t for t in after[1:] if _looks_like_lot(t, labelled)), None)
            if last is not None:
                result.ranges.append(LotRange(word, last.word))
                index += after.index(last) + 1
                continue
        if lot_key(word) not in seen:
            seen.add(lot_key(word))
            result.lots.append(word)


def _strip(word: str) -> str:
    return word.rstrip(".:-/")


def _is_lot_label(word: str) -> bool:
    return word.lower().rstrip("#:") in _LOT_LABELS


def _looks_like_lot(token: _Token, labelled: bool) -> bool:
    """A code with a digit; or, under a lot label, an upper-case word listed on its own
    ("Lot #s: KPPY, Exp 06/15; NBXD, NBXF")."""
    word = token.word
    key = lot_key(word)
    if _PROTECTED.fullmatch(word):
        return True
    if not any(ch.isdigit() for ch in key):
        return (
            labelled
            and token.listed
            and _LETTER_LOT.match(word) is not None
            and word not in _NOT_LETTER_LOTS
        )
    if len(key) < 3 or _DATE_LIKE.match(word):
        return False
    if not labelled:
        return len(key) >= 4 and not _YEAR.match(key)
    return True
