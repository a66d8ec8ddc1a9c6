"""AIM symbology identifiers (ISO/IEC 15424): ``]`` + code character + modifier."""

from enum import Enum


class Carrier(Enum):
    """What kind of data a symbology carries, as far as this service cares."""

    GS1 = "gs1"
    """FNC1 in first position: a GS1 element string."""
    PLAIN_2D = "plain_2d"
    """A 2D symbol without FNC1: Digital Link URIs arrive this way."""
    LINEAR_GTIN = "linear_gtin"
    """EAN/UPC or ITF-14: a GTIN only."""
    OTHER = "other"
    """Any other symbology (Code 39, PDF417, ...)."""


GS1_DATAMATRIX = "]d2"

_CARRIERS = {
    "]d2": Carrier.GS1, "]d5": Carrier.GS1, "]C1": Carrier.GS1, "]Q3": Carrier.GS1,
    "]Q5": Carrier.GS1, "]e0": Carrier.GS1, "]e1": Carrier.GS1, "]e2": Carrier.GS1,
    "]J1": Carrier.GS1,
    "]d1": Carrier.PLAIN_2D, "]d4": Carrier.PLAIN_2D, "]Q1": Carrier.PLAIN_2D,
    "]Q2": Carrier.PLAIN_2D, "]Q4": Carrier.PLAIN_2D, "]Q0": Carrier.PLAIN_2D,
    "]J0": Carrier.PLAIN_2D,
    "]E0": Carrier.LINEAR_GTIN, "]E3": Carrier.LINEAR_GTIN, "]E4": Carrier.LINEAR_GTIN,
    "]I1": Carrier.LINEAR_GTIN,
}  # fmt: skip

EXPECTED_FORMAT = {
    Carrier.GS1: "gs1",
    Carrier.PLAIN_2D: "digital_link",
    Carrier.LINEAR_GTIN: "gtin",
}


def split_symbology(text: str) -> tuple[str | None, str]:
    """(symbology identifier or None, the data after it).

    >>> split_symbology("]d2010030002140701")
    (']d2', '010030002140701')
    >>> split_symbology("]]d2")
    (None, ']]d2')
    """
    head = text[:3]
    well_formed = len(head) == 3 and head.isascii() and head[1].isalpha() and head[2].isalnum()
    if well_formed and head[0] == "]":
        return head, text[3:]
    return None, text


def carrier_of(symbology: str) -> Carrier:
    return _CARRIERS.get(symbology, Carrier.OTHER)
