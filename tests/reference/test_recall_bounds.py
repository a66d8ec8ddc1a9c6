"""R13 on real openFDA recalls: named lots stay recalled, "all lots" statements are bounded.

The records in data/recalls_bounded.json are copied unchanged from openFDA's
drug enforcement download (meta.last_updated 2021-04-28).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from inspect_core.interpret import InterpretOptions, interpret
from inspect_core.ndc import gtin14_from_ndc10
from inspect_svc.reference.recall_loader import load_recalls
from inspect_svc.reference.recall_scope import read_scope
from inspect_svc.reference.sources import read_sources
from inspect_svc.settings import ReferenceSettings
from inspect_svc.triage.database_reference import DatabaseReference, ReferenceMemos
from rules import Severity
from rules.recalls import lot_recalled
from tests.rules.conftest import make_scan_context, make_shipment

DATA = Path(__file__).resolve().parent / "data" / "recalls_bounded.json"
TODAY = date(2021, 5, 1)
GS = "\x1d"


@pytest.fixture
def reference(engine: Engine) -> Iterator[DatabaseReference]:
    report = load_recalls(engine, read_sources([DATA]))
    assert report.rows_loaded == 8 and report.rows_rejected == 0
    with Session(engine) as session:
        yield DatabaseReference(session, TODAY, ReferenceSettings(), ReferenceMemos())


def r13(
    reference: DatabaseReference,
    ndc10: str,
    lot: str,
    expiry: str | None = None,
    made: str | None = None,
    origin: str = "US",
) -> list[tuple[Severity, str]]:
    """R13's findings for a pack of `ndc10` (dates as YYMMDD) on a shipment from `origin`."""
    raw = f"]d201{gtin14_from_ndc10(ndc10)}"
    raw += f"11{made}" if made else ""
    raw += f"17{expiry}" if expiry else ""
    raw += f"10{lot}{GS}21SN0001"
    interpretation = interpret(raw, InterpretOptions(today=TODAY))
    assert interpretation.gtin is not None and "bad_date" not in interpretation.errors
    context = make_scan_context(
        interpretation,
        recalls=reference.recalls_for(ndc10, lot),
        shipment=make_shipment(origin_country=origin),
        product=None,
    )
    return [(finding.severity, finding.message) for finding in lot_recalled(context)]


def test_all_lots_recall_distributed_in_zone_iv_does_not_detain_us_packs(
    reference: DatabaseReference,
) -> None:
    # D-0265-2021: Class I, Ongoing, ChloraPrep NDC 54365-400-32, "all lots ... distributed
    # in Zone IV", distribution pattern "Distributed in Puerto Rico and Oman".
    ((severity, message),) = r13(reference, "5436540032", "0999999", "230531")
    assert severity is Severity.LOW
    assert "outside the US" in message and "OM" in message
    ((severity, _),) = r13(reference, "5436540032", "0999999", "230531", origin="OM")
    assert severity is Severity.CRITICAL
    ((severity, message),) = r13(reference, "5436540032", "0161217", "230531")  # a named lot
    assert severity is Severity.CRITICAL and "named by the recall" in message


def test_named_lot_of_a_terminated_recall_is_still_suspect(reference: DatabaseReference) -> None:
    # D-1110-2015: Class II, Terminated, lot BP18181301 of clarithromycin NDC 10544-522-20.
    ((severity, message),) = r13(reference, "1054452220", "BP18181301", "160229")
    assert severity is Severity.HIGH and "stays recalled" in message
    # The same recall's openFDA block lists captopril NDC 64679-902-01: weaker evidence.
    ((severity, message),) = r13(reference, "6467990201", "BP18181301", "160229")
    assert severity is Severity.MEDIUM and "openFDA" in message


def test_within_expiry_does_not_reach_a_pack_expired_before_the_recall(
    reference: DatabaseReference,
) -> None:
    # D-0971-2018: Class II, Ongoing, "All lots within expiry", initiated 2018-07-13.
    ((severity, message),) = r13(reference, "4354737009", "A1234", "180131")
    assert severity is Severity.INFO and "does not reach this pack" in message
    ((severity, _),) = r13(reference, "4354737009", "A1234", "190630")
    assert severity is Severity.HIGH
    # Its openFDA block names NDC 43547-367-03, which the recall text does not.
    ((severity, _),) = r13(reference, "4354736703", "A1234", "190630")
    assert severity is Severity.MEDIUM


def test_expiry_window_bounds_an_all_lots_recall(reference: DatabaseReference) -> None:
    # D-1601-2020: Class II, Ongoing, "All lots with expiry between 10/2020-07/2023".
    ((severity, _),) = r13(reference, "6472733074", "X1", "260131")
    assert severity is Severity.INFO
    ((severity, _),) = r13(reference, "6472733074", "X1", "220531")
    assert severity is Severity.HIGH


def test_closed_all_lots_recall_does_not_reach_product_made_after_it(
    reference: DatabaseReference,
) -> None:
    # D-0250-2019: Class I, Completed, "All lots", initiated 2018-11-05, NDC 7079600115.
    ((severity, message),) = r13(reference, "7079600115", "L1", made="240101")
    assert severity is Severity.INFO and "made after it began" in message
    # Expiry more than the maximum shelf life (6 years) after the recall began: made after.
    ((severity, _),) = r13(reference, "7079600115", "L1", expiry="250131")
    assert severity is Severity.INFO
    # Could predate the recall: still covered, one step lower because the recall is closed.
    ((severity, message),) = r13(reference, "7079600115", "L1", expiry="200131")
    assert severity is Severity.HIGH and "Completed" in message
    # D-0298-2015: Class III, Terminated, "All Lots", NDC 57613-007-25, initiated 2014-10-24.
    ((severity, _),) = r13(reference, "5761300725", "L1", expiry="160131")
    assert severity is Severity.LOW


def test_distribution_period_bounds_an_all_lots_recall(reference: DatabaseReference) -> None:
    # D-0799-2018: Terminated, "All lots remaining within expiry dispensed 12/01/2017
    # through 02/12/2018", NDC 0078-0874-63.
    ((severity, message),) = r13(reference, "0078087463", "L1", made="190301", expiry="210301")
    assert severity is Severity.INFO and "up to 2018-02-12" in message


def test_bounds_are_stored_at_load_time(reference: DatabaseReference) -> None:
    (hit,) = reference.recalls_for("0078087463", None)
    assert (hit.distributed_from, hit.distributed_until) == (date(2017, 12, 1), date(2018, 2, 12))
    assert hit.within_expiry and hit.distribution_scope == "us"
    (zone,) = {h.recall_number: h for h in reference.recalls_for("5436540032", None)}.values()
    assert zone.distribution_scope == "non_us" and zone.distribution_countries == ("OM",)


@pytest.mark.parametrize(
    ("code_info", "pattern", "expected"),
    [
        ("distributed prior to and including 05/23/2013", "nationwide", (None, date(2013, 5, 23))),
        (
            "All lots distributed between November 2014 and May 2015",
            "Nationwide",
            (date(2014, 11, 1), date(2015, 5, 31)),
        ),
        (
            "All Lots compounded between 11-Sep-15 and 17-Sep-15.",
            "TX",
            (date(2015, 9, 11), date(2015, 9, 17)),
        ),
    ],
)
def test_periods_read_from_real_texts(
    code_info: str, pattern: str, expected: tuple[date | None, date | None]
) -> None:
    scope = read_scope(code_info, distribution_pattern=pattern)
    assert (scope.distributed_from, scope.distributed_until) == expected
    assert scope.distribution_scope == "us"


def test_foreign_only_distribution_is_non_us() -> None:
    scope = read_scope(
        "All lots",
        distribution_pattern="Foreign manufacturer located in China and distributed to seven "
        "consignees located in China.",
    )
    assert scope.distribution_scope == "non_us" and scope.distribution_countries == ("CN",)
    georgia = read_scope("All lots", distribution_pattern="Texas, Florida, Virginia, Georgia")
    assert georgia.distribution_scope == "us" and georgia.distribution_countries == ()
