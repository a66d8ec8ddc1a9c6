"""Frame -> Scan: AIM identifier, configured prefix/suffix, GS substitute, text decoding."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

from devices.decoders import aim
from devices.scan import GS, Flag, Frame, Scan, Transport


@dataclasses.dataclass(frozen=True, slots=True)
class ScanFormat:
    """What the scanner wraps around the data: `[AIM id][prefix]data[suffix]`.

    A configured prefix/suffix that is absent is flagged, not an error. `gs_substitute` is a
    token the scanner sends instead of GS (0x1D); it is replaced by GS in the text (the raw
    bytes keep what arrived). GS1 data never contains `#`, `~`, `^` etc., so such substitutes
    cannot collide with element values.
    """

    prefix: str = ""
    suffix: str = ""
    gs_substitute: str = ""
    encoding: str = "latin-1"


class ScanBuilder:
    def __init__(
        self,
        device_id: str,
        transport: Transport,
        fmt: ScanFormat,
        wall: Callable[[], float] = time.time,
        mono_ns: Callable[[], int] = time.monotonic_ns,
    ) -> None:
        self.device_id = device_id
        self._transport = transport
        self._fmt = fmt
        self._wall = wall
        self._mono_ns = mono_ns

    def build(self, frame: Frame) -> Scan:
        flags = set(frame.flags)
        try:
            text = frame.payload.decode(self._fmt.encoding)
        except UnicodeDecodeError:
            text = frame.payload.decode(self._fmt.encoding, errors="replace")
            flags.add(Flag.DECODE_ERROR)
        aim_id = frame.aim_id
        if aim_id is None:
            aim_id, text = aim.split(text)
        text = self._strip_affixes(text, flags)
        sub = self._fmt.gs_substitute
        if sub and sub in text:
            text = text.replace(sub, GS)
            flags.add(Flag.GS_SUBSTITUTED)
        return Scan(
            device_id=self.device_id,
            transport=self._transport,
            raw=frame.payload,
            text=text,
            aim_id=aim_id,
            symbology=aim.symbology(aim_id),
            vendor_code_id=frame.vendor_code_id,
            captured_at=self._wall(),
            captured_mono_ns=self._mono_ns(),
            flags=frozenset(flags),
        )

    def _strip_affixes(self, text: str, flags: set[Flag]) -> str:
        prefix, suffix = self._fmt.prefix, self._fmt.suffix
        if prefix:
            if text.startswith(prefix):
                text = text[len(prefix) :]
            else:
                flags.add(Flag.AFFIX_MISSING)
        if suffix:
            if text.endswith(suffix):
                text = text[: -len(suffix)]
            else:
                flags.add(Flag.AFFIX_MISSING)
        return text
