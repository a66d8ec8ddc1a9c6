"""HID POS (usage page 0x8C) scanned-data reports, Honeywell-engine layout (docs/scanners.md §3).

64-byte input report: [0] report id 0x02, [1] valid data length (<= 56), [2:5] AIM identifier,
[5:61] data, [61] vendor code id, [62] reserved, [63] bit 0 = more reports follow.
"""

from __future__ import annotations

from devices.scan import Flag, Frame

REPORT_ID = 0x02
REPORT_SIZE = 64
DATA_OFFSET = 5
MAX_DATA = 56


class HidPosAssembler:
    """Concatenates continued reports into one frame per scan."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._started_at = 0.0
        self._aim: str | None = None
        self._code_id: str | None = None

    def feed(self, report: bytes, now: float) -> list[Frame]:
        """Reports with another report id (e.g. command responses) are ignored."""
        if not report or report[0] != REPORT_ID:
            return []
        length = report[1] if len(report) > 1 else 0
        if len(report) != REPORT_SIZE or length > MAX_DATA:
            return self._emit(report[DATA_OFFSET:], now, {Flag.BAD_REPORT})
        if not self._buf:
            self._started_at = now
            aim = report[2:5]
            self._aim = aim.decode("latin-1") if aim[:1] == b"]" else None
            self._code_id = chr(report[61]) if report[61] else None
        self._buf += report[DATA_OFFSET : DATA_OFFSET + length]
        if report[63] & 0x01:
            return []
        if not self._buf:
            return []
        return self._emit(b"", now, set())

    def flush(self, now: float, flag: Flag) -> list[Frame]:
        if not self._buf:
            return []
        return self._emit(b"", now, {flag})

    def _emit(self, extra: bytes, now: float, flags: set[Flag]) -> list[Frame]:
        payload = bytes(self._buf) + extra.rstrip(b"\x00")
        started = self._started_at if self._buf else now
        frame = Frame(payload, started, now, frozenset(flags), self._aim, self._code_id)
        self._buf.clear()
        self._aim = self._code_id = None
        return [frame]


def build_report(
    data: bytes, aim: bytes = b"]d2", code_id: bytes = b"w", continued: bool = False
) -> bytes:
    """Encode one input report in the layout above (used by fixtures and simulators)."""
    if len(data) > MAX_DATA or len(aim) != 3 or len(code_id) != 1:
        raise ValueError("field does not fit the report layout")
    body = bytes([REPORT_ID, len(data)]) + aim + data.ljust(MAX_DATA, b"\x00")
    return body + code_id + b"\x00" + bytes([1 if continued else 0])


def split_into_reports(data: bytes, aim: bytes = b"]d2", code_id: bytes = b"w") -> list[bytes]:
    chunks = [data[i : i + MAX_DATA] for i in range(0, len(data), MAX_DATA)] or [b""]
    return [
        build_report(chunk, aim, code_id, continued=i < len(chunks) - 1)
        for i, chunk in enumerate(chunks)
    ]
