"""Recorded key-event streams: JSON Lines of {"sec", "usec", "type", "code", "value"}.

This is the fixture format for keyboard-wedge tests and the output format for captures made on
a machine with a real scanner (`evtest` / `libinput record` output can be converted to it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, NamedTuple

from devices.decoders.keyboard import KeyEventDecoder
from devices.scan import Frame


class RecordedEvent(NamedTuple):
    sec: int
    usec: int
    type: int
    code: int
    value: int

    @property
    def timestamp(self) -> float:
        return self.sec + self.usec / 1_000_000


def read_jsonl(lines: Iterable[str]) -> list[RecordedEvent]:
    events = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
            events.append(
                RecordedEvent(doc["sec"], doc["usec"], doc["type"], doc["code"], doc["value"])
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"line {number}: not a recorded event: {exc}") from None
    return events


def write_jsonl(events: Iterable[RecordedEvent], out: IO[str]) -> None:
    for ev in events:
        out.write(json.dumps(ev._asdict()) + "\n")


def replay(events: Iterable[RecordedEvent], decoder: KeyEventDecoder) -> list[Frame]:
    """Feed a recording through a decoder; a trailing scan without terminator is flushed as if
    the inter-key gap had elapsed after the last event."""
    frames: list[Frame] = []
    last = 0.0
    for ev in events:
        frames += decoder.feed(ev.type, ev.code, ev.value, ev.timestamp)
        last = ev.timestamp
    return frames + decoder.flush_idle(last + 3600)
