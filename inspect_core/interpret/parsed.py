"""What a format parser hands back to the interpreter."""

from dataclasses import dataclass, field
from typing import Literal

Format = Literal["gs1", "digital_link", "hri", "gtin", "ndc", "unknown"]
Element = tuple[str, str]


@dataclass(slots=True)
class Parsed:
    """Elements read from a scan plus the syntax errors met on the way.

    ``variable`` holds the indexes of elements that ended at a separator or
    at the end of an element string, i.e. the ones that could have swallowed
    following elements when a separator was lost.
    """

    format: Format
    elements: list[Element] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    variable: list[int] = field(default_factory=list)
    ndc10: str | None = None
    ndc: str | None = None
    ndc_candidates: list[str] = field(default_factory=list)
