"""Stream a JSON(-LD) EPCIS document: one event in memory at a time, whatever its size.

ijson (its C backend over yajl when installed) turns the bytes into parse
events; each item of ``epcisBody.eventList`` is built on its own, checked
against GS1's schema and handed on as an ``EventRecord``, while the rest of the
document (header, type, dates) is built aside with an empty event list and
checked at the end. Nesting is counted as the parser goes, so a document deeper
than ``max_depth`` is refused at the bracket that crosses the limit.

Errors come in the order a whole-document check would give them: a syntax
error anywhere first, then a document that is no ``EPCISDocument``, then the
schema's most relevant error, and only then what the events themselves say
(``check_rest`` reads on to the end after a later stage refused an event).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import ijson
from ijson.common import ObjectBuilder

from inspect_svc.epcis.events import DocumentError, EventRecord, NestingTooDeep, json_record
from inspect_svc.epcis.schema import EVENT_LIST, DocumentCheck

BUFFER = 64 * 1024
_OPEN = frozenset({"start_map", "start_array"})
_CLOSE = frozenset({"end_map", "end_array"})
_LIST_DEPTH = len(EVENT_LIST) + 1
"""Depth of the event list: the document object, ``epcisBody``, the list."""


class _Reader:
    """A byte stream whose ``read(0)`` (ijson's probe of what the stream gives) reads nothing.

    werkzeug's request stream takes a zero-byte read for a client that went away.
    """

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream

    def read(self, size: int) -> bytes:
        return self._stream.read(size) if size else b""


class JsonDocument:
    """One JSON EPCIS document on a byte stream, read once, front to back."""

    def __init__(self, stream: IO[bytes], max_depth: int) -> None:
        self._stream = _Reader(stream)
        self._max_depth = max_depth
        self._check = DocumentCheck()
        self._rest = ObjectBuilder()
        self._parts = self._events_in_list()
        self._reported = False

    def events(self) -> Iterator[EventRecord]:
        """Records of the events, in document order, while the document keeps to the schema."""
        try:
            for index, event in self._parts:
                if self._check.event(index, event) and self._check.clean:
                    yield json_record(index, event)
            self._check.finish(self._rest.value)
        except DocumentError:
            self._reported = True
            raise

    def check_rest(self) -> None:
        """Read the rest of the document; raise its syntax or schema error, if it has one."""
        if self._reported:
            return
        for index, event in self._parts:
            self._check.event(index, event)
        self._check.finish(self._rest.value)

    def _events_in_list(self) -> Iterator[tuple[int, Any]]:
        """(index, value) of each item of the event list; everything else goes to ``_rest``."""
        path: list[str | None] = []  # per open container outside the events: its current key
        item: ObjectBuilder | None = None
        item_depth = 0
        in_list = False
        index = 0
        try:
            for kind, value in ijson.basic_parse(self._stream, buf_size=BUFFER, use_float=True):
                if in_list and (item is not None or kind != "end_array"):
                    if item is None:
                        item = ObjectBuilder()
                    item.event(kind, value)
                    if kind in _OPEN:
                        item_depth += 1
                        if _LIST_DEPTH + item_depth > self._max_depth:
                            raise NestingTooDeep(self._max_depth)
                    elif kind in _CLOSE:
                        item_depth -= 1
                    if item_depth == 0:
                        yield index, item.value
                        index += 1
                        item = None
                    continue
                self._rest.event(kind, value)
                if kind == "map_key":
                    path[-1] = value
                elif kind in _OPEN:
                    if len(path) + 1 > self._max_depth:
                        raise NestingTooDeep(self._max_depth)
                    in_list = kind == "start_array" and tuple(path) == EVENT_LIST
                    path.append(None)
                elif kind in _CLOSE:
                    path.pop()
                    in_list = False
        except (ijson.JSONError, UnicodeDecodeError) as exc:
            raise DocumentError(f"not valid JSON: {exc}", field_name="body") from exc
