"""Build EPCIS 2.0 documents (JSON-LD and XML) for real NDCs of the bundled directory.

A shipment is described as pallets (SSCC) holding cases (case GTIN + serial)
holding packs (GTIN + serial, with lot and expiry on commissioning).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from inspect_core.ndc import gs1_check_digit

CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
TIME = {"eventTime": "2026-11-20T08:00:00.000Z", "eventTimeZoneOffset": "-05:00"}


def sgtin(gtin: str, serial: str, labeler_digits: int = 4) -> str:
    """The SGTIN URN of an NDC-based GTIN (company prefix: '03' + labeler)."""
    length = 2 + labeler_digits
    return f"urn:epc:id:sgtin:{gtin[1 : 1 + length]}.{gtin[0]}{gtin[1 + length : 13]}.{serial}"


def sscc(serial_reference: int, prefix: str = "0305910") -> str:
    """An SSCC (18 digits) with extension 0 under ``prefix``."""
    body = "0" + prefix + str(serial_reference).zfill(16 - len(prefix))
    return body + str(gs1_check_digit(body))


def sscc_urn(code: str, prefix: str = "0305910") -> str:
    return f"urn:epc:id:sscc:{prefix}.{code[0]}{code[1 + len(prefix) : 17]}"


@dataclass
class Pack:
    gtin: str
    serial: str
    lot: str = "LOT42"
    expiry: str = "2030-12-31"


@dataclass
class Case:
    gtin: str
    serial: str
    packs: list[Pack] = field(default_factory=list)


@dataclass
class Pallet:
    sscc: str
    cases: list[Case] = field(default_factory=list)


def _event(kind: str, action: str, biz_step: str, **fields: Any) -> dict[str, Any]:
    return {
        "type": kind,
        "eventID": f"urn:uuid:{uuid.uuid4()}",
        **TIME,
        "action": action,
        "bizStep": biz_step,
        **fields,
    }


def events_for(pallets: list[Pallet]) -> list[dict[str, Any]]:
    """Commissioning per lot, packing (pack -> case), palletising, shipping."""
    events: list[dict[str, Any]] = []
    by_lot: dict[tuple[str, str], list[str]] = {}
    for pallet in pallets:
        for case in pallet.cases:
            for item in case.packs:
                by_lot.setdefault((item.lot, item.expiry), []).append(sgtin(item.gtin, item.serial))
    for (lot, expiry), epcs in by_lot.items():
        events.append(
            _event(
                "ObjectEvent", "ADD", "commissioning", epcList=epcs, disposition="active",
                ilmd={"cbvmda:lotNumber": lot, "cbvmda:itemExpirationDate": expiry},
            )
        )  # fmt: skip
    for pallet in pallets:
        for case in pallet.cases:
            events.append(
                _event(
                    "AggregationEvent", "ADD", "packing",
                    parentID=sgtin(case.gtin, case.serial),
                    childEPCs=[sgtin(p.gtin, p.serial) for p in case.packs],
                )
            )  # fmt: skip
        events.append(
            _event(
                "AggregationEvent", "ADD", "packing", parentID=sscc_urn(pallet.sscc),
                childEPCs=[sgtin(c.gtin, c.serial) for c in pallet.cases],
            )
        )  # fmt: skip
    events.append(
        _event("ObjectEvent", "OBSERVE", "shipping", epcList=[sscc_urn(p.sscc) for p in pallets])
    )
    return events


def document(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "@context": [CONTEXT],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-11-20T09:00:00.000Z",
        "epcisBody": {"eventList": events},
    }


def xml_document(events: list[dict[str, Any]]) -> bytes:
    """The same events as EPCIS 2.0 XML."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" '
        'xmlns:cbvmda="urn:epcglobal:cbv:mda" schemaVersion="2.0" '
        'creationDate="2026-11-20T09:00:00.000Z"><EPCISBody><EventList>',
    ]
    for event in events:
        kind = event["type"]
        inner = [
            f"<eventTime>{event['eventTime']}</eventTime>",
            f"<eventTimeZoneOffset>{event['eventTimeZoneOffset']}</eventTimeZoneOffset>",
            f"<eventID>{event['eventID']}</eventID>",
        ]
        if "parentID" in event:
            inner.append(f"<parentID>{escape(event['parentID'])}</parentID>")
        if "epcList" in event:
            epcs = "".join(f"<epc>{escape(e)}</epc>" for e in event["epcList"])
            inner.append(f"<epcList>{epcs}</epcList>")
        if "childEPCs" in event:
            epcs = "".join(f"<epc>{escape(e)}</epc>" for e in event["childEPCs"])
            inner.append(f"<childEPCs>{epcs}</childEPCs>")
        inner.append(f"<action>{event['action']}</action>")
        inner.append(f"<bizStep>urn:epcglobal:cbv:bizstep:{event['bizStep']}</bizStep>")
        if "ilmd" in event:
            ilmd = event["ilmd"]
            inner.append(
                f"<ilmd><cbvmda:lotNumber>{escape(ilmd['cbvmda:lotNumber'])}</cbvmda:lotNumber>"
                f"<cbvmda:itemExpirationDate>{ilmd['cbvmda:itemExpirationDate']}"
                "</cbvmda:itemExpirationDate></ilmd>"
            )
        parts.append(f"<{kind}>{''.join(inner)}</{kind}>")
    parts.append("</EventList></EPCISBody></epcis:EPCISDocument>")
    return "".join(parts).encode()
