"""Read the events that matter for the expected contents from an EPCIS 2.0 document.

A document arrives as JSON(-LD), streamed one event at a time by ``json_stream``
(each event checked against GS1's schema before it is turned into a record), or
as XML, read with ``iterparse`` one event at a time (each event element is
cleared once read). Either way memory stays flat whatever the document's size.
Both give ``EventRecord``s; what is wrong raises ``DocumentError`` naming the
event and field.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError, iterparse

EVENT_TYPES = frozenset(
    {"ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent",
     "AssociationEvent"}
)  # fmt: skip
ACTIONS = frozenset({"ADD", "OBSERVE", "DELETE"})


class DocumentError(ValueError):
    """A document this service cannot take: which event (index, eventID), which field, why."""

    def __init__(self, reason: str, *, index: int | None = None, event_id: str | None = None,
                 field_name: str | None = None) -> None:  # fmt: skip
        super().__init__(reason)
        self.reason = reason
        self.index = index
        self.event_id = event_id
        self.field_name = field_name

    @property
    def location(self) -> str:
        """``epcisBody.eventList.3.childEPCs`` style, for problem ``errors``."""
        if self.index is None:
            return self.field_name or "body"
        path = f"epcisBody.eventList.{self.index}"
        return f"{path}.{self.field_name}" if self.field_name else path


class NestingTooDeep(DocumentError):
    """A JSON document nested deeper than the service accepts of any body."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"nested deeper than {limit} levels", field_name="body")
        self.limit = limit


@dataclass(slots=True)
class EventRecord:
    """What one event says about the expected contents."""

    index: int
    event_id: str | None
    type: str
    action: str | None
    biz_step: str | None = None
    epcs: list[str] = field(default_factory=list)
    parent: str | None = None
    children: list[str] = field(default_factory=list)
    lot: str | None = None
    expiry: str | None = None
    error_declared: bool = False

    @property
    def shipping(self) -> bool:
        step = (self.biz_step or "").rsplit(":", 1)[-1].rsplit("-", 1)[-1]
        return step == "shipping"


def _ilmd_value(ilmd: dict[str, Any], name: str) -> str | None:
    for key, value in ilmd.items():
        if key.rsplit(":", 1)[-1].rsplit("#", 1)[-1].rsplit("/", 1)[-1] == name:
            return value if isinstance(value, str) else None
    return None


def json_record(index: int, event: dict[str, Any]) -> EventRecord:
    """What a schema-valid JSON event (at ``index`` of the event list) says."""
    found = event.get("ilmd")
    ilmd: dict[str, Any] = found if isinstance(found, dict) else {}
    return EventRecord(
        index=index,
        event_id=event.get("eventID"),
        type=event.get("type", ""),
        action=event.get("action"),
        biz_step=event.get("bizStep"),
        epcs=list(event.get("epcList") or []),
        parent=event.get("parentID"),
        children=list(event.get("childEPCs") or []),
        lot=_ilmd_value(ilmd, "lotNumber"),
        expiry=_ilmd_value(ilmd, "itemExpirationDate"),
        error_declared="errorDeclaration" in event,
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child_text(element: Element, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name:
            return (child.text or "").strip() or None
    return None


def _list(element: Element, name: str) -> list[str]:
    for child in element:
        if _local(child.tag) == name:
            return [(epc.text or "").strip() for epc in child if _local(epc.tag) == "epc"]
    return []


def _xml_record(index: int, element: Element) -> EventRecord:
    kind = _local(element.tag)
    event_id = _child_text(element, "eventID")
    action = _child_text(element, "action")
    if kind in ("ObjectEvent", "AggregationEvent", "TransactionEvent") and action not in ACTIONS:
        raise DocumentError(
            f"action must be one of ADD, OBSERVE, DELETE, not {action!r}",
            index=index, event_id=event_id, field_name="action",
        )  # fmt: skip
    if _child_text(element, "eventTime") is None:
        raise DocumentError(
            "eventTime is required", index=index, event_id=event_id, field_name="eventTime"
        )
    lot = expiry = None
    for child in element:
        if _local(child.tag) == "ilmd":
            for item in child:
                name = _local(item.tag)
                if name == "lotNumber":
                    lot = (item.text or "").strip() or None
                elif name == "itemExpirationDate":
                    expiry = (item.text or "").strip() or None
    record = EventRecord(
        index=index,
        event_id=event_id,
        type=kind,
        action=action,
        biz_step=_child_text(element, "bizStep"),
        epcs=_list(element, "epcList"),
        parent=_child_text(element, "parentID"),
        children=_list(element, "childEPCs"),
        lot=lot,
        expiry=expiry,
        error_declared=any(_local(c.tag) == "errorDeclaration" for c in element),
    )
    if any(not epc for epc in (*record.epcs, *record.children)):
        raise DocumentError("an empty <epc>", index=index, event_id=event_id, field_name="epc")
    return record


def xml_events(stream: IO[bytes]) -> Iterator[EventRecord]:
    """The events of an XML document, read incrementally from ``stream``."""
    index = 0
    root_seen = False
    try:
        for action, element in iterparse(stream, events=("start", "end")):
            name = _local(element.tag)
            if action == "start":
                if not root_seen:
                    root_seen = True
                    if name != "EPCISDocument":
                        raise DocumentError(f"the root element is {name}, not EPCISDocument")
                continue
            if name in EVENT_TYPES:
                yield _xml_record(index, element)
                index += 1
                element.clear()
    except ParseError as exc:
        raise DocumentError(f"not well-formed XML: {exc}", index=None, field_name="body") from exc
    if not root_seen:
        raise DocumentError("an empty document")
