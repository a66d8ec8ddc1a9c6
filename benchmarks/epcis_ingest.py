"""Benchmark: attach a shipper's EPCIS document of 50,000 packs (XML and JSON-LD).

The document: packs of NDC 0591-0503-01 commissioned in lots of 5,000, packed 25
to a case, 100 cases to a pallet, shipped. For each format the script reports
packs/s and the peak Python heap (tracemalloc) of reading (streamed), folding
and storing the document into SQLite, next to a plain standard-library parse of
the same file (``ElementTree.parse`` / ``json.loads``), and the peak of the
streaming read alone (what grows with the document is then the folded items).
For JSON it also runs the path used before JSON was streamed (the document
loaded whole with ``json.loads``, then folded and stored) on a third shipment.
Then the latency of the per-scan EPCIS look-up, of R18c's counts
(``shipment_facts_of``) and of the contents comparison with that hierarchy
loaded. Scan latency through the whole request: benchmarks/epcis_scan.py.
Run: .venv/bin/python benchmarks/epcis_ingest.py [--packs N]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import tracemalloc
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from inspect_core.ndc import gs1_check_digit
from inspect_svc.db import make_engine
from inspect_svc.epcis.attach import read_document
from inspect_svc.epcis.contents import contents, shipment_facts_of
from inspect_svc.epcis.events import json_record, xml_events
from inspect_svc.epcis.hierarchy import fold
from inspect_svc.epcis.json_stream import JsonDocument
from inspect_svc.epcis.scan_facts import find_item
from inspect_svc.epcis.store import expected_counts, store_hierarchy
from inspect_svc.epcis.tally import recount
from inspect_svc.migrate import upgrade

PACK_ITEM = "0503010"  # indicator 0 + item reference of GTIN 00305910503015
CASE_ITEM = "5503010"
PREFIX = "030591"
TIME = ("2026-11-20T08:00:00.000Z", "-05:00")
MAX_DEPTH = 32  # the server's default max_json_depth


def sgtin(item: str, serial: str) -> str:
    return f"urn:epc:id:sgtin:{PREFIX}.{item}.{serial}"


def sscc(number: int) -> str:
    body = f"0{PREFIX}{number:010d}"
    return f"urn:epc:id:sscc:{PREFIX}.0{body[7:17]}"


def events(packs: int) -> Iterator[dict[str, Any]]:
    base = {"eventTime": TIME[0], "eventTimeZoneOffset": TIME[1]}
    for start in range(0, packs, 5000):
        serials = [sgtin(PACK_ITEM, f"P{n}") for n in range(start, min(packs, start + 5000))]
        yield {**base, "type": "ObjectEvent", "action": "ADD", "bizStep": "commissioning",
               "epcList": serials, "ilmd": {"cbvmda:lotNumber": f"L{start // 5000}",
                                            "cbvmda:itemExpirationDate": "2030-12-31"}}  # fmt: skip
    cases = (packs + 24) // 25
    for case in range(cases):
        children = [sgtin(PACK_ITEM, f"P{n}") for n in range(case * 25, min(packs, case * 25 + 25))]
        yield {**base, "type": "AggregationEvent", "action": "ADD", "bizStep": "packing",
               "parentID": sgtin(CASE_ITEM, f"C{case}"), "childEPCs": children}  # fmt: skip
    for pallet in range((cases + 99) // 100):
        first, last = pallet * 100, min(cases, pallet * 100 + 100)
        children = [sgtin(CASE_ITEM, f"C{c}") for c in range(first, last)]
        yield {**base, "type": "AggregationEvent", "action": "ADD", "bizStep": "packing",
               "parentID": sscc(pallet), "childEPCs": children}  # fmt: skip


def write_json(path: Path, packs: int) -> None:
    document = {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument", "schemaVersion": "2.0",
        "creationDate": "2026-11-20T09:00:00.000Z",
        "epcisBody": {"eventList": list(events(packs))},
    }  # fmt: skip
    path.write_text(json.dumps(document))


def write_xml(path: Path, packs: int) -> None:
    with path.open("w") as out:
        out.write(
            '<?xml version="1.0"?><epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2"'
            ' xmlns:cbvmda="urn:epcglobal:cbv:mda" schemaVersion="2.0"'
            ' creationDate="2026-11-20T09:00:00Z"><EPCISBody><EventList>'
        )
        for event in events(packs):
            kind = event["type"]
            out.write(f"<{kind}><eventTime>{TIME[0]}</eventTime>"
                      f"<eventTimeZoneOffset>{TIME[1]}</eventTimeZoneOffset>")  # fmt: skip
            if "parentID" in event:
                out.write(f"<parentID>{event['parentID']}</parentID><childEPCs>")
                out.write("".join(f"<epc>{e}</epc>" for e in event["childEPCs"]))
                out.write("</childEPCs>")
            else:
                out.write("<epcList>" + "".join(f"<epc>{e}</epc>" for e in event["epcList"]))
                out.write("</epcList>")
            out.write(f"<action>{event['action']}</action><bizStep>{event['bizStep']}</bizStep>")
            if "ilmd" in event:
                ilmd = event["ilmd"]
                out.write(
                    f"<ilmd><cbvmda:lotNumber>{ilmd['cbvmda:lotNumber']}</cbvmda:lotNumber>"
                    "<cbvmda:itemExpirationDate>2030-12-31</cbvmda:itemExpirationDate></ilmd>"
                )
            out.write(f"</{kind}>")
        out.write("</EventList></EPCISBody></epcis:EPCISDocument>")


def attach(engine: Engine, shipment_id: int, path: Path, xml: bool) -> None:
    """Read, fold and store one document, as the API does (audit and assessment aside)."""
    with Session(engine) as session, path.open("rb") as body:
        store_hierarchy(session, shipment_id, read_document(body, xml, MAX_DEPTH))
        recount(session, shipment_id)
        session.commit()


def read_only(path: Path, xml: bool) -> int:
    """Stream the document's events and drop them: the parser's own memory, without the fold."""
    with path.open("rb") as body:
        events = xml_events(body) if xml else JsonDocument(body, MAX_DEPTH).events()
        return sum(1 for _ in events)


def attach_whole_json(engine: Engine, shipment_id: int, path: Path) -> None:
    """The JSON path before streaming: ``json.loads`` of the whole body, then fold and store."""
    document = json.loads(path.read_bytes())
    records = (json_record(i, e) for i, e in enumerate(document["epcisBody"]["eventList"]))
    with Session(engine) as session:
        store_hierarchy(session, shipment_id, fold(records))
        recount(session, shipment_id)
        session.commit()


def add_shipment(engine: Engine, shipment_id: int) -> None:
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO shipment (id, entry_number, port_code, mode, origin_country,"
            " parties, status, risk_score, recommendation, findings, reference_as_of,"
            " created_at, updated_at, related_entries) VALUES (:id, 'E', '2704', 'air',"
            " 'IN', '{}', 'open', 0, 'release', '[]', '{}', '2026-01-01', '2026-01-01',"
            " '[]')"), {"id": shipment_id})  # fmt: skip


def report(label: str, packs: int, size_mb: float, seconds: float, peak: int, base: str) -> None:
    print(f"{label:28} {size_mb:6.1f} MB  attach {packs / seconds:9,.0f} packs/s "
          f"({seconds:5.2f} s, peak {peak / 1e6:6.1f} MB)  |  {base}")  # fmt: skip


def measure(work: Callable[[], object]) -> tuple[float, int]:
    """(seconds, peak traced bytes) of ``work()``."""
    tracemalloc.start()
    started = time.perf_counter()
    work()
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packs", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        upgrade(url)
        engine = make_engine(url)
        files = {"xml": Path(tmp) / "doc.xml", "json": Path(tmp) / "doc.jsonld"}
        write_xml(files["xml"], args.packs)
        write_json(files["json"], args.packs)
        plain: dict[str, Callable[[Path], object]] = {
            "xml": lambda p: ET.parse(p), "json": lambda p: json.loads(p.read_bytes()),
        }  # fmt: skip
        for shipment_id, kind in enumerate(("xml", "json"), start=1):
            path = files[kind]
            add_shipment(engine, shipment_id)
            base_s, base_peak = measure(partial(plain[kind], path))
            seconds, peak = measure(partial(attach, engine, shipment_id, path, kind == "xml"))
            base = f"stdlib parse {base_s:5.2f} s, peak {base_peak / 1e6:6.1f} MB"
            size = path.stat().st_size / 1e6
            report(f"{kind} (streamed)", args.packs, size, seconds, peak, base)
            read_s, read_peak = measure(partial(read_only, path, kind == "xml"))
            print(f"{'':28} {'':9} read only (events streamed and dropped): {read_s:5.2f} s, "
                  f"peak {read_peak / 1e6:6.1f} MB")  # fmt: skip
        add_shipment(engine, 3)
        seconds, peak = measure(partial(attach_whole_json, engine, 3, files["json"]))
        size = files["json"].stat().st_size / 1e6
        report("json (loaded whole, before)", args.packs, size, seconds, peak, base)
        with Session(engine) as session:
            print("expected:", expected_counts(session, 1).to_dict())
            gtin = "0" + PREFIX + PACK_ITEM[1:]
            gtin += str(gs1_check_digit(gtin))
            started = time.perf_counter()
            for n in range(200):
                find_item(session, 1, gtin, f"P{n * 97}", None)
            per_lookup = (time.perf_counter() - started) / 200
            started = time.perf_counter()
            for _ in range(200):
                shipment_facts_of(session, 1)
            per_facts = (time.perf_counter() - started) / 200
            started = time.perf_counter()
            contents(session, 1)
            per_contents = time.perf_counter() - started
            print(f"scan look-up with {args.packs:,} packs loaded: {per_lookup * 1e3:.2f} ms; "
                  f"R18c counts: {per_facts * 1e3:.2f} ms; "
                  f"contents comparison: {per_contents * 1e3:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
