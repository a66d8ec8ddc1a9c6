"""Keyboard-wedge decoding: evdev (type, code, value, timestamp) events -> text frames.

Rules (docs/scanners.md §2): characters on key press (value 1) only; auto-repeat (value 2) is
ignored and flagged; events are buffered per SYN_REPORT and modifier changes are applied before
character keys of the same report; Ctrl+<key> yields the ASCII control character (Ctrl+] = GS,
Ctrl+M = CR); Alt held + keypad digits yields chr(number) on Alt release (Alt+0029 = GS);
SYN_DROPPED discards events up to the next SYN_REPORT, resets held modifiers and flags the scan.
"""

from __future__ import annotations

import dataclasses

from devices.keymap_us import (
    ALT_KEYS,
    CTRL_KEYS,
    ENTER_KEYS,
    EV_KEY,
    EV_SYN,
    KEY_BACKSPACE,
    KEY_CAPSLOCK,
    KEYMAPS,
    KEYPAD_DIGITS,
    LOCK_KEYS,
    SHIFT_KEYS,
    SYN_DROPPED,
    SYN_REPORT,
    Keymap,
)
from devices.scan import Flag, Frame

REPLACEMENT = "\ufffd"
_MODIFIERS = SHIFT_KEYS | CTRL_KEYS | ALT_KEYS


@dataclasses.dataclass(frozen=True, slots=True)
class KeyboardConfig:
    """`terminators` are decoded characters ending a scan (Enter and KP-Enter decode to CR).

    `gap` (seconds) ends a scan without terminator when the next key press (by event
    timestamp) or the watchdog `flush_idle` comes that much later; None disables it.
    """

    keymap: str = "us"
    terminators: frozenset[str] = frozenset({"\r", "\n"})
    gap: float | None = 0.3


class KeyEventDecoder:
    """Stateful per-device decoder. Feed every event; collect the frames it returns."""

    def __init__(self, config: KeyboardConfig) -> None:
        try:
            self._keymap: Keymap = KEYMAPS[config.keymap]
        except KeyError:
            raise ValueError(f"unknown keymap {config.keymap!r}") from None
        self._cfg = config
        self._report: list[tuple[int, int, float]] = []
        self._dropping = False
        self._shift: set[int] = set()
        self._ctrl: set[int] = set()
        self._alt: set[int] = set()
        self._alt_digits = ""
        self.capslock = False
        self._chars: list[str] = []
        self._flags: set[Flag] = set()
        self._started_at = 0.0
        self._last_key_at: float | None = None

    def feed(self, type_: int, code: int, value: int, ts: float) -> list[Frame]:
        if type_ == EV_SYN and code == SYN_DROPPED:
            self._report.clear()
            self._dropping = True
            self._reset_modifiers()
            self._flags.add(Flag.SYN_DROPPED)
            return []
        if type_ == EV_SYN and code == SYN_REPORT:
            if self._dropping:
                self._dropping = False
                return []
            report, self._report = self._report, []
            return self._apply(report)
        if type_ == EV_KEY and not self._dropping:
            self._report.append((code, value, ts))
        return []

    def flush_idle(self, now: float) -> list[Frame]:
        """Watchdog: end a scan whose last key press is older than the gap."""
        gap = self._cfg.gap
        if gap is None or self._last_key_at is None or now - self._last_key_at < gap:
            return []
        return self._end(self._last_key_at, {Flag.NO_TERMINATOR})

    def flush(self, now: float, flag: Flag) -> list[Frame]:
        """Emit a partial scan flagged (e.g. on disconnect) and reset all state."""
        self._report.clear()
        self._dropping = False
        self._reset_modifiers()
        return self._end(now, {flag})

    def _reset_modifiers(self) -> None:
        self._shift.clear()
        self._ctrl.clear()
        self._alt.clear()
        self._alt_digits = ""

    def _apply(self, report: list[tuple[int, int, float]]) -> list[Frame]:
        frames: list[Frame] = []
        for code, value, ts in report:
            if code in _MODIFIERS:
                frames += self._modifier(code, value, ts)
        for code, value, ts in report:
            if code in _MODIFIERS:
                continue
            if value == 2:
                self._flags.add(Flag.AUTOREPEAT)
            elif value == 1:
                frames += self._press(code, ts)
        return frames

    def _modifier(self, code: int, value: int, ts: float) -> list[Frame]:
        held = self._shift if code in SHIFT_KEYS else self._ctrl if code in CTRL_KEYS else self._alt
        if value:
            held.add(code)
            return []
        held.discard(code)
        if code in ALT_KEYS and not self._alt and self._alt_digits:
            char = chr(int(self._alt_digits) % 256)
            self._alt_digits = ""
            return self._char(char, ts)
        return []

    def _press(self, code: int, ts: float) -> list[Frame]:
        frames: list[Frame] = []
        gap = self._cfg.gap
        if gap is not None and self._last_key_at is not None and ts - self._last_key_at >= gap:
            frames += self._end(self._last_key_at, {Flag.NO_TERMINATOR})
        self._last_key_at = ts
        if code in LOCK_KEYS:
            if code == KEY_CAPSLOCK:
                self.capslock = not self.capslock
            return frames
        if self._alt and code in KEYPAD_DIGITS:
            self._alt_digits += KEYPAD_DIGITS[code]
            return frames
        if code in ENTER_KEYS:
            return frames + self._char("\r", ts)
        if code == KEY_BACKSPACE:
            if self._chars:
                self._chars.pop()
            self._flags.add(Flag.BACKSPACE)
            return frames
        return frames + self._char(self._translate(code), ts)

    def _translate(self, code: int) -> str:
        pair = self._keymap.get(code)
        if pair is None:
            self._flags.add(Flag.UNKNOWN_KEYCODE)
            return REPLACEMENT
        normal, shifted = pair
        shift = bool(self._shift)
        if self.capslock and normal.isalpha():
            shift = not shift
        char = shifted if shift else normal
        if not self._ctrl:
            return char
        upper = char.upper()
        if "@" <= upper <= "_":
            return chr(ord(upper) & 0x1F)
        self._flags.add(Flag.UNKNOWN_KEYCODE)
        return REPLACEMENT

    def _char(self, char: str, ts: float) -> list[Frame]:
        if char in self._cfg.terminators:
            return self._end(ts, set())
        if not self._chars:
            self._started_at = ts
        self._chars.append(char)
        return []

    def _end(self, ts: float, flags: set[Flag]) -> list[Frame]:
        """Close the current scan. Empty scans are dropped but keep pending flags (e.g. a
        SYN_DROPPED before the first character still marks the scan that follows)."""
        self._last_key_at = None
        if not self._chars:
            return []
        frame = Frame(
            "".join(self._chars).encode("utf-8"),
            self._started_at,
            ts,
            frozenset(self._flags | flags),
        )
        self._chars.clear()
        self._flags.clear()
        return [frame]
