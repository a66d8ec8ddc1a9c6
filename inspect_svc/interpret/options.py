"""Settings of the interpreter."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

NdcResolver = Callable[[str], str | None]
"""Given 10 NDC digits, the hyphenated NDC the FDA directory knows, or None."""


@dataclass(frozen=True, slots=True)
class InterpretOptions:
    """How to read scans.

    ``gs_substitutes`` lists every text sequence a scanner sends instead of
    the group separator (ASCII 29); the default accepts the text ``<GS>``.
    Empty strings are ignored. They are replaced only in element strings, never
    in Digital Link URIs or human-readable text.

    ``max_length`` caps the input (characters, or bytes for ``bytes`` input);
    longer input is reported as ``too_long`` and not parsed.

    ``today`` fixes the reference date of the GS1 century window (tests,
    replays); None means the current date.

    ``ndc_resolver`` maps NDC10 digits to the directory's hyphenated NDC. Without
    it, the ``ndc`` field of a GTIN scan stays null: the split is never guessed.
    """

    gs_substitutes: tuple[str, ...] = ("<GS>",)
    max_length: int = 2048
    today: date | None = None
    ndc_resolver: NdcResolver | None = None
