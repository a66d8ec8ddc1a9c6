"""The selectivity migration gives existing shipments the lane of their recommendation."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text

from inspect_svc.migrate import alembic_config, upgrade


def test_existing_shipments_get_the_lane_of_their_recommendation(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade(url, "0004_cases")
    engine = create_engine(url)
    with engine.begin() as connection:
        for number, recommendation in enumerate(("release", "exam", "detain"), start=1):
            connection.execute(
                text(
                    "INSERT INTO shipment (id, entry_number, port_code, mode, origin_country, "
                    "parties, status, risk_score, recommendation, findings, reference_as_of, "
                    "created_at, updated_at) VALUES (:id, :entry, '2704', 'air', 'IN', '{}', "
                    "'open', 0, :recommendation, '[]', '{}', '2026-01-01 00:00:00', "
                    "'2026-01-01 00:00:00')"
                ),
                {"id": number, "entry": f"OLD-{number}", "recommendation": recommendation},
            )
    upgrade(url, "0006_selectivity")
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT recommendation, lane, selected_by, random_draw FROM shipment ORDER BY id")
        ).all()
    assert [tuple(r) for r in rows] == [
        ("release", "green", None, None),
        ("exam", "yellow", "rules", None),
        ("detain", "red", "rules", None),
    ]
    command.downgrade(alembic_config(url), "0004_cases")
    with engine.connect() as connection:
        columns = {r[1] for r in connection.execute(text("PRAGMA table_info(shipment)"))}
        tables = {r[0] for r in connection.execute(text("SELECT name FROM sqlite_master"))}
    assert "lane" not in columns and "exam_result" not in tables
    engine.dispose()
