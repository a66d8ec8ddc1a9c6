"""Text a person can read: at least one character that is not invisible.

Zero-width and format characters (Cf), controls (Cc), separators (Zs, Zl,
Zp) and combining marks on their own (M*) render as nothing, so a
justification made only of them says nothing.
"""

from __future__ import annotations

import unicodedata

INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zs", "Zl", "Zp", "Mn", "Mc", "Me"})
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
"""Hangul fillers and the blank Braille pattern: letters or symbols that draw nothing."""


def has_visible_text(text: str) -> bool:
    """True when `text` holds at least one character that renders as something.

    >>> has_visible_text("\\u200b \\u2060\\u0301"), has_visible_text("ok\\u200b")
    (False, True)
    """
    return any(
        unicodedata.category(ch) not in INVISIBLE_CATEGORIES and ch not in BLANK_LETTERS
        for ch in text
    )


def visible_or_none(text: str | None) -> str | None:
    """`text` stripped, or None when nothing in it is visible."""
    if text is None or not has_visible_text(text):
        return None
    return text.strip()
