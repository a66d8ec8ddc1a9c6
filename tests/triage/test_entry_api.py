"""Entry data through the API, with the bundled NDC Directory sample, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.triage.conftest import gtin_of, pack

pytestmark = pytest.mark.usefixtures("sample_reference")

ZOLOFT = "0049-4960-50"  # Roerig, NDA019839
RITALIN = "0078-0424-05"  # Novartis, NDA021284, schedule CII
GS = "\x1d"

ZOLOFT_LINE = {
    "ndc": ZOLOFT,
    "quantity": 20,
    "unit": "each",
    "description": "ZOLOFT 50 MG TABLETS, 50 CT BOTTLE",
    "fda_product_code": "62GCA01",
    "processing_code": "PRE",
    "intended_use_code": "080.012",
    "affirmations": [
        {"code": "DA", "qualifier": "019839"},
        {"code": "REG", "qualifier": "123456789"},
        {"code": "DLS", "qualifier": "0049496050"},
    ],
    "hts_code": "3004909260",
    "value_usd": 1250.5,
    "production_country": "US",
}
ENTRY = {
    "entry_number": "K80-2162679-2",
    "entry_type": "01",
    "transport_document": "176-12345675",
    "arrival_date": "2026-11-30",
    "consignee": {
        "name": "Example Pharmacy Distribution LLC",
        "country": "US",
        "duns": "123456789",
    },
    "manufacturer": {"name": "Roerig", "country": "US", "duns": "123456789"},
}


def rules_of(findings: list[dict[str, Any]]) -> set[str]:
    return {f["rule"] for f in findings}


def create(client: FlaskClient, auth: Callable[[str], dict[str, str]], **body: Any) -> Any:
    base = {"port_code": "2704", "mode": "air", "origin_country": "US", **ENTRY}
    return client.post("/api/v1/shipments", json={**base, **body}, headers=auth("inspector"))


def scan(
    client: FlaskClient, auth: Callable[[str], dict[str, str]], shipment: int, raw: str
) -> Any:
    response = client.post(
        f"/api/v1/shipments/{shipment}/scans", json={"raw": raw}, headers=auth("inspector")
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_full_entry_is_stored_verbatim_and_clean(client: FlaskClient, auth: Any) -> None:
    response = create(client, auth, declared_lines=[ZOLOFT_LINE])
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    # Only "not checked" notes (no registration or refusal file loaded) are info.
    assert [f for f in body["findings"] if f["severity"] != "info"] == []
    assert body["recommendation"] == "release"
    for key in ("entry_type", "transport_document", "arrival_date"):
        assert body[key] == ENTRY[key]
    assert {k: v for k, v in body["consignee"].items() if v is not None} == ENTRY["consignee"]
    line = body["declared_lines"][0]
    assert {k: line[k] for k in ZOLOFT_LINE} == ZOLOFT_LINE
    shown = client.get(f"/api/v1/shipments/{body['id']}", headers=auth("inspector")).get_json()
    assert shown["declared_lines"][0]["affirmations"] == ZOLOFT_LINE["affirmations"]
    result = scan(client, auth, body["id"], pack(gtin_of(ZOLOFT), "Z0001"))
    assert result["scans"][0]["verdict"] == "green", result["scans"][0]["findings"]
    assert result["shipment"]["recommendation"] == "release", result["shipment"]


def test_da_mismatch_is_explained_at_creation(client: FlaskClient, auth: Any) -> None:
    wrong = {
        **ZOLOFT_LINE,
        "affirmations": [
            {"code": "DA", "qualifier": "076671"},  # Mylan's sertraline ANDA
            {"code": "REG", "qualifier": "123456789"},
            {"code": "DLS", "qualifier": "0049496050"},
        ],
    }
    body = create(client, auth, declared_lines=[wrong]).get_json()
    (finding,) = [f for f in body["findings"] if f["rule"] == "R35"]
    assert finding["severity"] == "high"
    assert "DA 076671" in finding["message"] and "NDA 019839" in finding["message"]
    assert body["recommendation"] == "exam"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"value_usd": "1250.50"}, "declared_lines.0.value_usd"),
        ({"affirmations": {"code": "DA"}}, "declared_lines.0.affirmations"),
        ({"fda_product_code": 62}, "declared_lines.0.fda_product_code"),
    ],
)
def test_wrong_json_type_is_a_422(
    client: FlaskClient, auth: Any, change: dict[str, Any], field: str
) -> None:
    response = create(client, auth, declared_lines=[{**ZOLOFT_LINE, **change}])
    assert response.status_code == 422
    node = response.get_json()["errors"]
    for part in field.split("."):
        node = node[part]
    assert node and isinstance(node[0], str)


@pytest.mark.parametrize(
    ("body", "field"),
    [({"related_entries": "K80-9034518-3"}, "related_entries"), ({"entry_type": 1}, "entry_type")],
)
def test_wrong_type_of_an_entry_field_is_a_422(
    client: FlaskClient, auth: Any, body: dict[str, Any], field: str
) -> None:
    response = create(client, auth, declared_lines=[ZOLOFT_LINE], **body)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_malformed_content_is_a_finding_not_a_422(client: FlaskClient, auth: Any) -> None:
    odd = {
        **ZOLOFT_LINE,
        "fda_product_code": "62-GC-A01",
        "processing_code": "RX",
        "affirmations": [{"code": "DA", "qualifier": "NDA019839"}],
    }
    response = create(client, auth, entry_number="K80-2162679-3", declared_lines=[odd])
    assert response.status_code == 201, response.get_json()
    findings = response.get_json()["findings"]
    assert {"R30", "R31", "R33"} <= rules_of(findings)
    assert response.get_json()["declared_lines"][0]["fda_product_code"] == "62-GC-A01"


def test_line_without_ndc_or_product_code_is_a_finding(client: FlaskClient, auth: Any) -> None:
    bare = {"quantity": 3, "description": "SAMPLES"}
    response = create(client, auth, declared_lines=[ZOLOFT_LINE, bare])
    assert response.status_code == 201, response.get_json()
    (finding,) = [f for f in response.get_json()["findings"] if f["rule"] == "R31"]
    assert finding["evidence"]["check"] == "unidentified" and finding["evidence"]["line"] == 2


def test_non_drug_line_needs_no_ndc_and_rx_scanned_on_it_fires_r15(
    client: FlaskClient, auth: Any
) -> None:
    cosmetics = {"quantity": 40, "description": "FACE CREAM", "fda_product_code": "53LY-99"}
    body = create(client, auth, declared_lines=[cosmetics]).get_json()
    assert body["declared_lines"][0]["ndc"] is None
    result = scan(client, auth, body["id"], pack(gtin_of(ZOLOFT), "Z0002"))
    r15 = [f for f in result["shipment"]["findings"] if f["rule"] == "R15"]
    assert r15 and "declared as something else" in r15[0]["message"]
    assert result["shipment"]["recommendation"] in {"exam", "detain"}


def test_controlled_substance_in_a_non_drug_entry_is_a_hard_referral(
    client: FlaskClient, auth: Any
) -> None:
    cosmetics = {"quantity": 40, "description": "HAIR OIL", "fda_product_code": "53LY-99"}
    body = create(client, auth, declared_lines=[cosmetics]).get_json()
    result = scan(client, auth, body["id"], pack(gtin_of(RITALIN), "C0001"))
    (finding,) = [f for f in result["scans"][0]["findings"] if f["rule"] == "R38"]
    assert finding["severity"] == "critical" and "CBP/DEA" in finding["message"]
    assert result["shipment"]["recommendation"] == "detain"


def test_foreign_pack_on_a_consumption_entry_is_detained_unless_under_an_ind(
    client: FlaskClient, auth: Any
) -> None:
    spanish = pack(gtin_of(ZOLOFT), "F0001") + f"{GS}712123456"
    plain = create(client, auth, declared_lines=[ZOLOFT_LINE]).get_json()
    result = scan(client, auth, plain["id"], spanish)
    assert "R37" in rules_of(result["scans"][0]["findings"])
    assert result["shipment"]["recommendation"] == "detain"

    trial = {
        **ZOLOFT_LINE,
        "fda_product_code": "62GIA01",
        "processing_code": "INV",
        "intended_use_code": "180.009",
        "affirmations": [{"code": "IND", "qualifier": "123456"}],
    }
    ind = create(client, auth, entry_number="K80-9034518-3", declared_lines=[trial]).get_json()
    result = scan(client, auth, ind["id"], pack(gtin_of(ZOLOFT), "F0002") + f"{GS}712123457")
    findings = {f["rule"]: f for f in result["scans"][0]["findings"]}
    assert "R37" not in findings
    assert findings["R6"]["severity"] == "info" and "IND 123456" in findings["R6"]["message"]


@pytest.mark.parametrize("link", ["related_entry", "transport_document"])
def test_same_packs_under_a_linked_entry_are_resighted_not_cloned(
    client: FlaskClient, auth: Any, link: str
) -> None:
    in_bond = create(
        client, auth, entry_type="61", transport_document="MAWB-1", declared_lines=[ZOLOFT_LINE]
    ).get_json()
    scan(client, auth, in_bond["id"], pack(gtin_of(ZOLOFT), "L0001"))
    linked = (
        {"related_entries": ["K80-2162679-2"], "transport_document": "MAWB-2"}
        if link == "related_entry"
        else {"transport_document": "mawb 1"}
    )
    consumption = create(
        client, auth, entry_number="K80-9034518-3", declared_lines=[ZOLOFT_LINE], **linked
    ).get_json()
    result = scan(client, auth, consumption["id"], pack(gtin_of(ZOLOFT), "L0001"))
    findings = {f["rule"]: f for f in result["scans"][0]["findings"]}
    assert "R9" not in findings
    assert findings["R39"]["severity"] == "info"
    assert "re-sighting in linked entry" in findings["R39"]["message"]
    assert result["shipment"]["recommendation"] == "release"

    unrelated = create(
        client,
        auth,
        entry_number="KL1-0283935-6",
        transport_document="MAWB-3",
        declared_lines=[ZOLOFT_LINE],
    ).get_json()
    result = scan(client, auth, unrelated["id"], pack(gtin_of(ZOLOFT), "L0001"))
    assert "R9" in rules_of(result["scans"][0]["findings"])
    assert result["shipment"]["recommendation"] == "detain"


def test_exports_carry_the_entry_data(client: FlaskClient, auth: Any) -> None:
    body = create(
        client, auth, related_entries=["K80-9034518-3"], declared_lines=[ZOLOFT_LINE]
    ).get_json()
    scan(client, auth, body["id"], pack(gtin_of(ZOLOFT), "X0001"))

    def export(fmt: str) -> str:
        response = client.get(
            "/api/v1/exports/cases", query_string={"format": fmt}, headers=auth("officer")
        )
        assert response.status_code == 200
        return response.get_data(as_text=True)

    case = json.loads(export("jsonl").splitlines()[0])
    assert case["shipment"]["entry_type"] == "01"
    assert case["shipment"]["related_entries"] == ["K80-9034518-3"]
    assert case["declared_lines"][0]["affirmations"] == ZOLOFT_LINE["affirmations"]
    row = next(csv.DictReader(io.StringIO(export("csv"))))
    assert row["product_codes"] == '="62GCA01"'
    assert "1:DA=019839" in row["affirmations"]
    assert row["transport_document"] == '="176-12345675"'
    document = json.loads(export("epcis"))
    transactions = document["epcisBody"]["eventList"][0]["bizTransactionList"]
    assert {t["type"] for t in transactions} == {"isv:cbpEntry", "isv:relatedCbpEntry", "bol"}
