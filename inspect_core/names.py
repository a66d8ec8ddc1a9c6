"""Firm-name normalisation for matching import-alert entries.

Import-alert lists, entry filings and recall reports spell the same firm
differently ("Acme Pharma Pvt. Ltd.", "ACME PHARMA PRIVATE LIMITED"). The key
drops case, diacritics, punctuation and legal-form words, so those compare
equal. It is a matching aid: a name match still needs the country to agree,
and FEI equality is preferred whenever both sides have one.
"""

from __future__ import annotations

import re
import unicodedata

LEGAL_FORMS = frozenset(
    {
        "ltd",
        "limited",
        "pvt",
        "private",
        "inc",
        "incorporated",
        "llc",
        "llp",
        "lp",
        "plc",
        "co",
        "company",
        "corp",
        "corporation",
        "gmbh",
        "mbh",
        "kg",
        "ag",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "bv",
        "nv",
        "ab",
        "oy",
        "as",
        "kk",
        "pte",
        "pty",
        "sdn",
        "bhd",
        "de",
        "cv",
    }
)
"""Words dropped from the end of a name (also "S.A.", "Co.", "Pvt. Ltd." once punctuation goes)."""

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DOTTED = re.compile(r"\b((?:[a-z]\.){2,})")


def name_key(name: str) -> str:
    """The comparison key of a firm name.

    >>> name_key("Acme Pharma Pvt. Ltd.") == name_key("ACME PHARMA PRIVATE LIMITED")
    True
    >>> name_key("Laboratorios Exémplo S.A. de C.V.")
    'laboratorios exemplo'
    """
    folded = unicodedata.normalize("NFKD", name.casefold())
    if folded.isascii():  # nothing to strip: the common case, and the per-character test is slow
        ascii_only = folded
    else:
        ascii_only = "".join(ch for ch in folded if not unicodedata.combining(ch))
    ascii_only = ascii_only.replace("&", " and ")
    joined = _DOTTED.sub(lambda m: m.group(1).replace(".", ""), ascii_only)
    words = [word for word in _NON_ALNUM.split(joined) if word]
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words.pop()
    return " ".join(words)
