"""GS1 Digital Link URIs on any domain.

``http(s)://host[/prefix…]/{key}/{value}[/{qualifier}/{value}…][?{ai}={value}&…]``:
the first path segment naming a primary key (AI 01, or another DL key) starts
the identifier; path values and query values are percent-decoded; GTIN-8/12/13
are left-padded to 14 digits (but see ``_value`` for a GTIN-14 cut short).
The deprecated convenience alphas (``gtin``, ``cpv``, ``lot``, ``ser``, query
``exp``) are accepted. Query parameters that
are not AIs are ignored, as is a fragment.
"""

from urllib.parse import unquote

from inspect_core.interpret import codes
from inspect_core.interpret.ai_table import KNOWN_AIS
from inspect_core.interpret.parsed import Parsed
from inspect_core.ndc import is_ascii_digits

_PRIMARY_KEYS = frozenset(
    {"00", "01", "253", "255", "401", "402", "414", "417", "8003", "8004", "8006", "8010",
     "8013", "8017", "8018"}
)  # fmt: skip
_ALPHAS = {"gtin": "01", "itip": "8006", "sscc": "00", "gln": "414", "cpv": "22", "lot": "10",
           "ser": "21", "exp": "17"}  # fmt: skip
_GTIN_LENGTHS = (8, 12, 13, 14)


def is_digital_link(text: str) -> bool:
    """Whether ``text`` starts with an http or https scheme, in any case."""
    head = text[:8].lower()
    return head.startswith(("https://", "http://"))


def _ai(key: str) -> str | None:
    ai = _ALPHAS.get(key, key)
    return ai if ai in KNOWN_AIS else None


def _value(ai: str, raw: str) -> str:
    """The decoded value; a GTIN-8/12/13 is padded to 14 digits.

    Thirteen digits starting with ``0`` are not a GTIN-13 anyone writes (that
    is a GTIN-12 with a zero in front); they are a GTIN-14 that lost its last
    digit, so they stay short and are reported ``truncated``.
    """
    value = unquote(raw)
    cut_gtin14 = len(value) == 13 and value.startswith("0")
    if ai == "01" and len(value) in _GTIN_LENGTHS and is_ascii_digits(value) and not cut_gtin14:
        return value.zfill(14)
    return value


def parse_digital_link(text: str) -> Parsed:
    """Elements of a Digital Link URI (``text`` must pass ``is_digital_link``)."""
    parsed = Parsed("digital_link")
    rest = text[text.index("//") + 2 :]
    rest = rest[:fragment] if (fragment := rest.find("#")) >= 0 else rest
    path, _, query = rest.partition("?")
    segments = [segment for segment in path.split("/")[1:] if segment]
    keys = [i for i, key in enumerate(segments) if _ALPHAS.get(key, key) in _PRIMARY_KEYS]
    if not keys:
        return Parsed("unknown", errors=[codes.NOT_GS1])
    pairs = segments[keys[0] :]
    if len(pairs) % 2:
        parsed.errors.append(codes.TRUNCATED)
    for key, raw in zip(pairs[0::2], pairs[1::2], strict=False):
        ai = _ai(key)
        if ai is None:
            parsed.errors.append(codes.UNKNOWN_AI)
        else:
            parsed.elements.append((ai, _value(ai, raw)))
    for parameter in query.split("&"):
        key, has_value, raw = parameter.partition("=")
        ai = _ai(unquote(key))
        if ai is not None and has_value:
            parsed.elements.append((ai, _value(ai, raw)))
    return parsed
