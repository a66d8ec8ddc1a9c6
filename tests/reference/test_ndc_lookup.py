"""NDC look-ups in every input form, and the resolver for the scan interpreter."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from inspect_svc.reference.ndc_loader import load_ndc
from inspect_svc.reference.ndc_lookup import lookup_ndc, make_ndc_resolver
from inspect_svc.reference.ndc_query import NdcCodeError, parse_ndc_query
from inspect_svc.reference.sources import read_sources


@pytest.fixture
def loaded(engine: Engine, data_dir: Path) -> Engine:
    load_ndc(engine, read_sources([data_dir / "ndc_2014"]), date(2014, 1, 27))
    load_ndc(engine, read_sources([data_dir / "ndc_unfinished_extract"]), date(2018, 6, 25))
    return engine


def _one_per_layout(session: Session) -> dict[str, str]:
    from sqlalchemy import select

    from inspect_svc.models.reference import NdcPackage

    found: dict[str, str] = {}
    for layout, ndc in session.execute(
        select(NdcPackage.layout, NdcPackage.ndc)
        .where(NdcPackage.variant == "finished")
        .order_by(NdcPackage.ndc)
    ):
        found.setdefault(layout, ndc)
    return found


def test_every_form_finds_the_same_package(loaded: Engine) -> None:
    with Session(loaded) as session:
        samples = _one_per_layout(session)
        assert set(samples) == {"4-4-2", "5-3-2", "5-4-1"}
        for layout, ndc in samples.items():
            (match,) = lookup_ndc(session, ndc).matches
            assert match.layout == layout and match.variant == "finished"
            assert match.directory_as_of == date(2014, 1, 27)
            labeler, product, package = ndc.split("-")
            padded = f"{labeler.zfill(5)}-{product.zfill(4)}-{package.zfill(2)}"
            forms = {
                "gtin14": match.gtin14,
                "upc12": match.gtin14[2:],
                "ndc10": match.ndc10,
                "ndc11": match.ndc11,
                f"hyphenated-{layout}": ndc,
                "hyphenated-5-4-2": padded,
            }
            for form, code in forms.items():
                found = lookup_ndc(session, code)
                assert found.query.form == form
                assert [m.ndc for m in found.matches] == [ndc], (form, code)


def test_product_fields_come_with_the_match(loaded: Engine) -> None:
    with Session(loaded) as session:
        (match,) = lookup_ndc(session, "00300199450021").matches
    assert match.ndc == "0019-9450-02"
    assert match.product["proprietary_name"] == "Sodium Iodide I-131"
    assert match.product["pharm_classes"].startswith("Radioactive Therapeutic Agent [EPC]")
    assert match.product["labeler_name"] == "Mallinckrodt Inc."


def test_unfinished_variant_is_found_with_its_own_as_of(loaded: Engine) -> None:
    with Session(loaded) as session:
        (match,) = lookup_ndc(session, "0002-0485-04").matches
    assert match.variant == "unfinished" and match.directory_as_of == date(2018, 6, 25)
    assert match.product["product_type"] == "BULK INGREDIENT"


def test_wrong_split_of_same_digits_is_not_returned_for_hyphenated_input(loaded: Engine) -> None:
    with Session(loaded) as session:
        assert lookup_ndc(session, "00199-450-02").matches == []
        assert [m.ndc for m in lookup_ndc(session, "0019945002").matches] == ["0019-9450-02"]


def test_resolver(loaded: Engine) -> None:
    with Session(loaded) as session:
        resolve = make_ndc_resolver(session)
        assert resolve("0019945002") == "0019-9450-02"
        assert resolve("0002048504") == "0002-0485-04"
        assert resolve("9999999999") is None


@pytest.mark.parametrize(
    "code",
    [
        "",
        "abc",
        "123",
        "00300199450022",
        "10012345678902",
        "12345-67-890",
        "1234-5678-901",
        "12345678911",
    ],
)
def test_codes_that_fit_no_form_are_refused(code: str) -> None:
    with pytest.raises(NdcCodeError):
        parse_ndc_query(code)


def test_foreign_gtin_is_not_an_ndc() -> None:
    with pytest.raises(NdcCodeError, match="not an NDC-based GTIN"):
        parse_ndc_query("04012345678901")
