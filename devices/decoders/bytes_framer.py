"""Terminator / idle-gap framing for byte transports (RS-232, USB CDC-ACM)."""

from __future__ import annotations

import dataclasses

from devices.scan import Flag, Frame

TERMINATOR_NAMES: dict[str, int] = {"CR": 0x0D, "LF": 0x0A, "TAB": 0x09, "ETX": 0x03}


@dataclasses.dataclass(frozen=True, slots=True)
class FramerConfig:
    """`terminators` are single bytes, each ending a frame.

    CRLF needs no special case: CR ends the frame and the LF then ends an empty frame, which is
    dropped, so a CRLF split across reads cannot produce an empty or orphan frame.
    `idle_gap` (seconds) ends a frame when no byte arrives for that long; None disables it.
    """

    terminators: frozenset[int] = frozenset({0x0D, 0x0A})
    idle_gap: float | None = None
    max_len: int = 4096

    @classmethod
    def from_names(
        cls, names: list[str], idle_gap: float | None = None, max_len: int = 4096
    ) -> FramerConfig:
        try:
            terms = frozenset(TERMINATOR_NAMES[n.upper()] for n in names)
        except KeyError as exc:
            raise ValueError(f"unknown terminator {exc.args[0]!r}") from None
        if not terms and idle_gap is None:
            raise ValueError("a framer needs a terminator or an idle gap")
        return cls(terminators=terms, idle_gap=idle_gap, max_len=max_len)


class BytesFramer:
    """Turns arbitrarily chunked bytes into frames; timestamps come from the caller."""

    def __init__(self, config: FramerConfig) -> None:
        self._cfg = config
        self._buf = bytearray()
        self._started_at = 0.0
        self._last_at: float | None = None
        self._discarding = False

    @property
    def pending(self) -> bool:
        return bool(self._buf)

    def feed(self, data: bytes, now: float) -> list[Frame]:
        frames = self.poll(now)
        for b in data:
            if b in self._cfg.terminators:
                if self._buf:
                    frames.append(self._take(now, frozenset()))
                self._discarding = False
                continue
            if self._discarding:
                continue
            if not self._buf:
                self._started_at = now
            self._buf.append(b)
            if len(self._buf) > self._cfg.max_len:
                del self._buf[self._cfg.max_len :]
                frames.append(self._take(now, frozenset({Flag.OVERFLOW})))
                self._discarding = True
        if data:
            self._last_at = now
        return frames

    def poll(self, now: float) -> list[Frame]:
        """Close the current frame if the idle gap has elapsed since the last byte."""
        gap = self._cfg.idle_gap
        if gap is None or self._last_at is None or now - self._last_at < gap:
            return []
        self._discarding = False
        if not self._buf:
            return []
        return [self._take(self._last_at, frozenset({Flag.NO_TERMINATOR}))]

    def next_deadline(self) -> float | None:
        """When `poll` could next emit a frame (None when nothing is pending)."""
        if self._cfg.idle_gap is None or self._last_at is None or not self._buf:
            return None
        return self._last_at + self._cfg.idle_gap

    def flush(self, now: float, flag: Flag) -> list[Frame]:
        """Emit whatever is buffered, flagged (e.g. on disconnect), and reset."""
        self._discarding = False
        if not self._buf:
            return []
        return [self._take(now, frozenset({flag}))]

    def _take(self, ended_at: float, flags: frozenset[Flag]) -> Frame:
        frame = Frame(bytes(self._buf), self._started_at, ended_at, flags)
        self._buf.clear()
        return frame
