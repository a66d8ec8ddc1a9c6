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
    r"|\d{4}[/-]\d{1,2}(?:[/-]\d{1,2})?"
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
    r"(?<![\w/-])\d+(?:\.\d+)?(?:\s*(?:mg|mcg|ml|%|units?|iu|meq|cc|oz|tablets?|capsules?|count|"
    r"ct|doses?|vials?|bottles?|bags?|syringes?)|\s+(?:g|l))\b",
    re.IGNORECASE,
)
_GLUED_EXPIRY = re.compile(r"\b(exp|bud)(?=\d)", re.IGNORECASE)
_DATE_LIKE = re.compile(r"^\d+(?:/+\d*)+$")
_PARENS = re.compile(r"\([^)]*\)")
_MARKERS = re.compile(r"(?:^|(?<=\s))(?:[a-z]|\d{1,2})\)", re.IGNORECASE)
_ALL_LOTS = re.compile(
    r"\ball\s+(?:the\s+)?(?:[a-z]+\s+){0,2}?(?:lots?|codes?|lot\s+numbers?|batch(?:es)?|units|"
    r"products?|product\s+codes?|product\s+lots?)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9@_*+./:-]*")
_LOT_PHRASE = re.compile(r"\blot\s+(?:codes?|numbers?|nos?\.?)\b", re.IGNORECASE)
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
    result = LotExtraction(all_lots=bool(_ALL_LOTS.search(text)))
    cleaned = _GLUED_EXPIRY.sub(r"\1 ", _LOT_PHRASE.sub(" lot ", text))
    for pattern in (_PARENS, _NDC, _UPC, _DATE_RANGE, _DATES, _STRENGTH, _MARKERS):
        cleaned = pattern.sub(" ; ", cleaned)
    words = [_strip(word) for word in _WORD.findall(cleaned)]
    labelled = any(_is_lot_label(word) for word in words)
    _collect(words, labelled, result)
    if result.ranges:
        result.confidence = "medium"
    elif result.lots:
        result.confidence = "high" if labelled else "low"
    elif result.all_lots:
        result.confidence = "high" if len(text.strip()) <= 20 else "medium"
    return result


def _collect(words: list[str], labelled: bool, result: LotExtraction) -> None:
    collecting = not labelled
    seen: set[str] = set()
    index = 0
    while index < len(words):
        word = words[index]
        lower = word.lower()
        index += 1
        if _is_lot_label(word):
            collecting = True
            continue
        if lower.rstrip("#:") in _STOP_LABELS:
            collecting = False
            continue
        if not collecting or not _looks_like_lot(word, labelled):
            continue
        after = words[index : index + 3]
        if after and after[0].lower() in _RANGE_WORDS:
            last = next((w for w in after[1:] if _looks_like_lot(w, labelled)), None)
            if last is not None:
                result.ranges.append(LotRange(word, last))
                index += after.index(last) + 1
                continue
        if lot_key(word) not in seen:
            seen.add(lot_key(word))
            result.lots.append(word)


def _strip(word: str) -> str:
    return word.rstrip(".:-/")


def _is_lot_label(word: str) -> bool:
    return word.lower().rstrip("#:") in _LOT_LABELS


def _looks_like_lot(word: str, labelled: bool) -> bool:
    key = lot_key(word)
    if len(key) < 3 or not any(ch.isdigit() for ch in key) or _DATE_LIKE.match(word):
        return False
    if not labelled:
        return len(key) >= 4 and not _YEAR.match(key)
    return True
