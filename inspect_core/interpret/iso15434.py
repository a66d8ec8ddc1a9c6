"""ISO/IEC 15434 envelopes: ``[)>`` RS format GS fields ... RS EOT.

Format 05 carries GS1 element strings (one AI element per field). Format 06
carries ASC MH10.8.2 data identifiers, as on packs for the German market
(IFA/securPharm): ``9N`` PPN, ``8P`` GTIN, ``1T`` lot, ``D`` expiry
(YYMMDD), ``S`` serial. Their fields are mapped to the GS1 AIs with the same
meaning, so the usual validation and completeness checks apply; the PZN
inside a PPN is reported as AI 710 (German NHRN), which marks the pack as
made for another market.
"""

from dataclasses import dataclass

from inspect_core.interpret import codes
from inspect_core.interpret.ai_table import GS
from inspect_core.interpret.element_string import parse_element_string
from inspect_core.interpret.parsed import Parsed

HEADER = "[)>\x1e"
RS = "\x1e"
EOT = "\x04"

# Longest identifiers first: "1T" must win over "T", "8P" over "P".
_DATA_IDENTIFIERS = (("9N", "ppn"), ("8P", "01"), ("1T", "10"), ("D", "17"), ("S", "21"))
_PPN_LENGTH = 12  # "11" + 8-digit PZN + 2 check characters


@dataclass(frozen=True)
class Envelope:
    format_code: str
    fields: list[str]

    @property
    def data(self) -> str:
        """The fields as they are checked for characters (GS between them)."""
        return GS.join(self.fields)


def unwrap(body: str) -> Envelope | None:
    """The envelope's format and fields, or None when `body` is not an ISO 15434 message."""
    if not body.startswith(HEADER):
        return None
    inner = body[len(HEADER) :]
    if inner.endswith(EOT):
        inner = inner[: -len(EOT)]
    if inner.endswith(RS):
        inner = inner[: -len(RS)]
    format_code, separator, rest = inner[:2], inner[2:3], inner[3:]
    if separator != GS:
        return Envelope(format_code, [])
    return Envelope(format_code, [field for field in rest.split(GS) if field])


def parse_envelope(envelope: Envelope) -> Parsed:
    if envelope.format_code == "05":
        parsed = parse_element_string(envelope.data)
    elif envelope.format_code == "06":
        parsed = _data_identifiers(envelope.fields)
    else:
        return Parsed("unknown", errors=[codes.NOT_GS1])
    parsed.warnings.append(codes.ISO15434_ENVELOPE)
    return parsed


def _data_identifiers(fields: list[str]) -> Parsed:
    parsed = Parsed("gs1")
    for field in fields:
        for identifier, target in _DATA_IDENTIFIERS:
            if not field.startswith(identifier):
                continue
            value = field[len(identifier) :]
            if target == "ppn":
                if len(value) == _PPN_LENGTH and value.startswith("11"):
                    parsed.elements.append(("710", value[2:10]))
                else:
                    parsed.errors.append(codes.AI_FORMAT)
            else:
                parsed.elements.append((target, value))
            break
        else:
            parsed.warnings.append(codes.UNKNOWN_DATA_IDENTIFIER)
    return parsed
