"""The `Scan` record and the flags a decoder can attach to it."""

from __future__ import annotations

import dataclasses
import enum
import uuid
from datetime import UTC, datetime
from typing import Any

GS = "\x1d"


class Flag(enum.StrEnum):
    """Conditions noticed while framing or decoding one scan."""

    NO_TERMINATOR = "no_terminator"
    PARTIAL_DISCONNECT = "partial_disconnect"
    SYN_DROPPED = "syn_dropped"
    UNKNOWN_KEYCODE = "unknown_keycode"
    AUTOREPEAT = "autorepeat"
    BACKSPACE = "backspace"
    GS_SUBSTITUTED = "gs_substituted"
    AFFIX_MISSING = "affix_missing"
    OVERFLOW = "overflow"
    DECODE_ERROR = "decode_error"
    BAD_REPORT = "bad_report"


# A scan carrying any of these is kept locally for audit but never forwarded as a real read.
INVALIDATING = frozenset(
    {
        Flag.PARTIAL_DISCONNECT,
        Flag.SYN_DROPPED,
        Flag.UNKNOWN_KEYCODE,
        Flag.OVERFLOW,
        Flag.DECODE_ERROR,
        Flag.BAD_REPORT,
    }
)


class Transport(enum.StrEnum):
    SERIAL = "serial"
    EVDEV = "evdev"
    HIDPOS = "hidpos"


@dataclasses.dataclass(frozen=True, slots=True)
class Frame:
    """One delimited unit from a transport, before AIM/affix handling.

    `payload` holds bytes for byte transports and the UTF-8 encoding of the decoded characters
    for keyboard wedges. `aim_id`/`vendor_code_id` are set when the transport carries them out of
    band (HID POS reports). Timestamps are seconds on the decoder's clock.
    """

    payload: bytes
    started_at: float
    ended_at: float
    flags: frozenset[Flag] = frozenset()
    aim_id: str | None = None
    vendor_code_id: str | None = None


def utc_iso(ts: float) -> str:
    """UTC ISO-8601 with millisecond precision and a `Z` suffix."""
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclasses.dataclass(frozen=True, slots=True)
class Scan:
    """One decoded barcode read.

    `scan_id` is generated once when the frame completes and is the idempotency key for every
    delivery attempt. `seq` is assigned by the outbox in the same transaction that stores the
    scan, so it is None until the scan is durable.
    """

    device_id: str
    transport: Transport
    raw: bytes
    text: str
    aim_id: str | None
    symbology: str | None
    captured_at: float
    captured_mono_ns: int
    flags: frozenset[Flag] = frozenset()
    vendor_code_id: str | None = None
    seq: int | None = None
    scan_id: str = dataclasses.field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def valid(self) -> bool:
        return not (self.flags & INVALIDATING)

    @property
    def wire_text(self) -> str:
        """Text as the service expects it: AIM identifier (if any) followed by the data."""
        return (self.aim_id or "") + self.text

    def to_json(self) -> dict[str, Any]:
        return {
            "scan_id": self.scan_id,
            "device_id": self.device_id,
            "transport": self.transport.value,
            "seq": self.seq,
            "raw_hex": self.raw.hex(),
            "text": self.text,
            "aim_id": self.aim_id,
            "symbology": self.symbology,
            "vendor_code_id": self.vendor_code_id,
            "captured_at": self.captured_at,
            "captured_mono_ns": self.captured_mono_ns,
            "flags": sorted(f.value for f in self.flags),
        }
