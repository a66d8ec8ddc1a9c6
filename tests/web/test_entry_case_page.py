"""The case page shows the entry data as filed, escaped, with the findings it produced."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient


def test_case_page_shows_entry_data(
    client: FlaskClient, auth: Any, login: Callable[[str], str], new_shipment: Callable[..., int]
) -> None:
    shipment_id = new_shipment(
        entry_number="K80-2162679-3",  # wrong check digit: R30
        entry_type="01",
        transport_document="176-12345675",
        related_entries=["K80-9034518-3"],
        arrival_date="2026-11-30",
        consignee={"name": "Clinic <Main>", "duns": "123456789"},
        declared_lines=[
            {
                "quantity": 12,
                "description": "FACE CREAM <50 ml>",
                "fda_product_code": "53LY-99",
                "affirmations": [{"code": "REG", "qualifier": "123456789"}],
                "hts_code": "3304990000",
                "value_usd": 80.5,
                "production_country": "FR",
            }
        ],
    )
    login("officer")
    page = client.get(f"/cases/{shipment_id}").get_data(as_text=True)
    assert "01 · consumption" in page
    assert "176-12345675" in page and "K80-9034518-3" in page and "2026-11-30" in page
    assert "Clinic &lt;Main&gt; · DUNS 123456789" in page
    assert "FACE CREAM &lt;50 ml&gt;" in page
    assert "Product code 53LY-99" in page and "AofC: REG 123456789" in page
    assert "HTS 3304990000" in page and "USD 80.5" in page and "made in FR" in page
    assert "Entry number invalid" in page  # R30, found before any scan
