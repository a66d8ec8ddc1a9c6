"""Run an export: pick the cases after a cursor and render them as a stream of text chunks.

The API serves one page: the page's case positions (small: ids and seqs)
are read first so the next cursor can go in a response header, then the
cases are loaded and rendered batch by batch while the body streams. The
CLI exports everything after a cursor, paging lazily, and learns the next
cursor when the stream ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy.orm import Session

from inspect_svc.cases.exports import csv, epcis, jsonl
from inspect_svc.cases.exports.cursor import CasePosition, changed_cases, encode_cursor
from inspect_svc.cases.exports.records import CaseRecord, load_cases

FORMATS = ("csv", "jsonl", "epcis")
CONTENT_TYPES = {
    "csv": csv.CONTENT_TYPE,
    "jsonl": jsonl.CONTENT_TYPE,
    "epcis": epcis.CONTENT_TYPE,
}
CHUNK_CHARS = 64 * 1024


def render(fmt: str, cases: Iterable[CaseRecord], namespace: str) -> Iterator[str]:
    if fmt == "csv":
        return csv.render_csv(cases)
    if fmt == "jsonl":
        return jsonl.render_jsonl(cases)
    if fmt == "epcis":
        return epcis.render_epcis(cases, namespace)
    raise ValueError(f"unknown export format {fmt!r}")


def coalesce(chunks: Iterable[str], size: int = CHUNK_CHARS) -> Iterator[str]:
    """Join small chunks into pieces of about `size` characters (fewer writes)."""
    pending: list[str] = []
    length = 0
    for chunk in chunks:
        pending.append(chunk)
        length += len(chunk)
        if length >= size:
            yield "".join(pending)
            pending, length = [], 0
    if pending:
        yield "".join(pending)


@dataclass
class ExportPage:
    content_type: str
    next_cursor: str
    more: bool
    cases: int
    chunks: Iterator[str]


def export_page(
    session: Session,
    open_session: Callable[[], Session],
    fmt: str,
    after: int,
    limit: int,
    namespace: str,
) -> ExportPage:
    """One page of at most `limit` cases; the body is rendered from a session of its own."""
    page = changed_cases(session, after, limit)

    def body() -> Iterator[str]:
        reader = open_session()
        try:
            yield from coalesce(render(fmt, load_cases(reader, page.positions), namespace))
        finally:
            reader.close()

    return ExportPage(
        CONTENT_TYPES[fmt], encode_cursor(page.next_seq), page.more, len(page.positions), body()
    )


class FullExport:
    """Every case changed after a cursor, paged lazily; `next_cursor` is final once drained."""

    def __init__(
        self, session: Session, fmt: str, after: int, namespace: str, page_size: int
    ) -> None:
        self.session = session
        self.fmt = fmt
        self.last_seq = after
        self.namespace = namespace
        self.page_size = page_size
        self.cases = 0

    @property
    def next_cursor(self) -> str:
        return encode_cursor(self.last_seq)

    def _positions(self) -> Iterator[CasePosition]:
        while True:
            page = changed_cases(self.session, self.last_seq, self.page_size)
            for position in page.positions:
                self.cases += 1
                yield position
            self.last_seq = page.next_seq
            if not page.more:
                return

    def chunks(self) -> Iterator[str]:
        cases = load_cases(self.session, self._positions())
        return coalesce(render(self.fmt, cases, self.namespace))


def page_headers(page: ExportPage) -> dict[str, str]:
    """Headers that tell the client where the next page starts."""
    return {
        "X-Next-Cursor": page.next_cursor,
        "X-More": "true" if page.more else "false",
        "X-Case-Count": str(page.cases),
    }
