"""Settings of the interpreter."""

from dataclasses import dataclass
from datetime import date


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
    """

    gs_substitutes: tuple[str, ...] = ("<GS>",)
    max_length: int = 2048
    today: date | None = None
