"""The reference API endpoints, the `reference` CLI group and the bundled-sample loader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from inspect_svc.cli.context import CliContext
from inspect_svc.cli.reference import reference
from inspect_svc.db import db
from inspect_svc.models import AuditEvent
from inspect_svc.reference.sample import SAMPLE_DIR, load_bundled_sample
from inspect_svc.settings import Settings


def _invoke(app: Flask, app_settings: Settings, args: list[str]) -> Any:
    return CliRunner().invoke(reference, args, obj=CliContext(app_settings, app))


def test_cli_load_ndc_and_api_lookup(
    app: Flask, app_settings: Settings, ref_client: FlaskClient, auth: Any, data_dir: Path
) -> None:
    result = _invoke(
        app, app_settings, ["load-ndc", str(data_dir / "ndc_2014"), "--as-of", "2014-01-27"]
    )
    assert result.exit_code == 0, result.output
    assert "ndc: 599 rows read, 599 loaded, 0 rejected (as of 2014-01-27)" in result.output

    response = ref_client.get("/api/v1/reference/ndc/00300199450021", headers=auth("inspector"))
    assert response.status_code == 200
    body = response.get_json()
    assert body["form"] == "gtin14"
    assert body["matches"][0]["ndc"] == "0019-9450-02"
    assert body["matches"][0]["directory_as_of"] == "2014-01-27"
    assert body["matches"][0]["product"]["labeler_name"] == "Mallinckrodt Inc."

    missing = ref_client.get("/api/v1/reference/ndc/0019-9450-03", headers=auth("inspector"))
    assert missing.status_code == 404
    assert missing.get_json()["type"].endswith("/ndc-not-found")
    invalid = ref_client.get("/api/v1/reference/ndc/12345", headers=auth("inspector"))
    assert invalid.status_code == 404
    assert invalid.get_json()["type"].endswith("/invalid-ndc")
    assert ref_client.get("/api/v1/reference/ndc/0019945002").status_code == 401

    status = ref_client.get("/api/v1/reference/status", headers=auth("inspector")).get_json()
    (ndc,) = status["datasets"]
    assert ndc["name"] == "ndc" and ndc["as_of"] == "2014-01-27" and ndc["rows_loaded"] == 599
    assert {s["sha256"][:8] for s in ndc["sources"]} == {"e5ea429c", "504158b8"}


def test_cli_reports_rejections_and_fallback_decoding(
    app: Flask, app_settings: Settings, data_dir: Path
) -> None:
    result = _invoke(app, app_settings, ["load-ndc", str(data_dir / "ndc_unfinished_extract")])
    assert result.exit_code == 0, result.output
    assert "rejected 2: NDCPACKAGECODE is not a 4-4-2, 5-3-2 or 5-4-1 NDC" in result.output
    assert "26 rows not UTF-8, read as Windows-1252" in result.output


def test_cli_recalls_and_import_alerts(app: Flask, app_settings: Settings, data_dir: Path) -> None:
    result = _invoke(app, app_settings, ["load-recalls", str(data_dir / "recalls_extract.json")])
    assert result.exit_code == 0, result.output
    assert "recalls: 7 rows read, 7 loaded, 0 rejected (as of 2021-04-28)" in result.output
    example = SAMPLE_DIR / "import_alerts_EXAMPLE.csv"
    result = _invoke(app, app_settings, ["load-import-alerts", str(example)])
    assert result.exit_code == 0, result.output
    assert "import_alerts: 5 rows read, 5 loaded" in result.output
    with app.app_context():
        loads = db.session.scalars(
            select(AuditEvent.payload).where(AuditEvent.action == "reference.loaded")
        ).all()
    assert [(p["dataset"], p["rows_loaded"]) for p in loads] == [
        ("recalls", 7),
        ("import_alerts", 5),
    ]


def test_cli_refuses_incomplete_ndc_input(
    app: Flask, app_settings: Settings, data_dir: Path
) -> None:
    result = _invoke(app, app_settings, ["load-ndc", str(data_dir / "ndc_2014" / "product.txt")])
    assert result.exit_code == 1
    assert "need both the product and the package file" in result.output


def test_bundled_sample_is_idempotent(app: Flask) -> None:
    with app.app_context():
        first = list(load_bundled_sample(db.engine))
        second = list(load_bundled_sample(db.engine))
    assert first == [
        "sample ndc: 599 rows read, 599 loaded, 0 rejected (as of 2014-01-27)",
        "sample recalls: 281 rows read, 281 loaded, 0 rejected (as of 2021-04-28)",
    ]
    assert second == [
        "ndc: already loaded (as of 2014-01-27), sample not loaded",
        "recalls: already loaded (as of 2021-04-28), sample not loaded",
    ]
