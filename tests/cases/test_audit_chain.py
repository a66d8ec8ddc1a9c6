"""The audit chain: verification, tamper detection, append-only tables, concurrent appends."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from inspect_svc.audit import append_event, verify_chain
from inspect_svc.cli.cases import audit_group
from inspect_svc.cli.context import CliContext
from inspect_svc.models.audit import AuditEvent
from inspect_svc.settings import Settings
from tests.cases.case_kit import tampering


@pytest.fixture
def three_cases(make_case: Callable[..., int]) -> list[int]:
    return [make_case(entry_number=f"E{i}") for i in range(3)]


def verify(app: Flask, app_settings: Settings) -> tuple[int, str]:
    result = CliRunner().invoke(audit_group, ["verify"], obj=CliContext(app_settings, app))
    return result.exit_code, result.output


def test_intact_chain_verifies(three_cases: list[int], app: Flask, app_settings: Settings) -> None:
    code, output = verify(app, app_settings)
    assert code == 0, output
    assert "3 events" in output


def test_an_edited_payload_breaks_the_chain(
    three_cases: list[int], engine: Engine, app: Flask, app_settings: Settings
) -> None:
    with tampering(engine) as connection:
        connection.execute(
            text("UPDATE audit_event SET payload = :p WHERE seq = 2"), {"p": '{"entry_number":"X"}'}
        )
    code, output = verify(app, app_settings)
    assert code == 1
    assert "event 2" in output and "payload" in output


def test_an_edited_field_with_fixed_digest_still_breaks_the_chain(
    three_cases: list[int], engine: Engine, session: Session
) -> None:
    with tampering(engine) as connection:
        connection.execute(text("UPDATE audit_event SET actor = 'mallory' WHERE seq = 1"))
    result = verify_chain(session)
    assert result.first_break is not None
    assert result.first_break.seq == 1
    assert "hash" in result.first_break.reason


@pytest.mark.parametrize(("seq", "broken"), [(2, 2), (3, 3)])
def test_a_deleted_event_breaks_the_chain(
    three_cases: list[int], engine: Engine, session: Session, seq: int, broken: int
) -> None:
    with tampering(engine) as connection:
        connection.execute(text("DELETE FROM audit_event WHERE seq = :seq"), {"seq": seq})
    result = verify_chain(session)
    assert not result.ok and result.first_break is not None
    assert result.first_break.seq == broken


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET actor = 'mallory'",
        "DELETE FROM audit_event",
        "UPDATE decision SET action = 'release'",
        "DELETE FROM decision",
    ],
)
def test_the_database_refuses_to_rewrite_history(
    three_cases: list[int], engine: Engine, session: Session, statement: str
) -> None:
    with session.begin():
        shipment_id = three_cases[0]
        session.execute(
            text(
                "INSERT INTO decision (shipment_id, action, reason_codes, actor_name, role, "
                "decided_at, recommendation_at_decision, risk_score_at_decision, "
                "findings_at_decision, override) VALUES (:s, 'exam', '[]', 'x', 'officer', "
                ":t, 'exam', 1.0, '[]', false)"
            ),
            {"s": shipment_id, "t": "2026-01-01 00:00:00+00:00"},
        )
    with pytest.raises(DatabaseError, match="append-only"), engine.begin() as connection:
        connection.execute(text(statement))
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM audit_event")) == 3
        assert connection.scalar(text("SELECT count(*) FROM decision")) == 1


def test_concurrent_appends_keep_one_chain(engine: Engine, database_url: str) -> None:
    """Writers start together, so they also race to create the chain's head row."""
    threads, per_thread = 8, 25
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def writer(number: int) -> None:
        try:
            start.wait()
            for index in range(per_thread):
                with Session(engine) as session, session.begin():
                    append_event(
                        session,
                        actor=f"w{number}",
                        action="test.append",
                        subject=f"w{number}:{index}",
                        payload={"i": index},
                        shipment_id=number,
                    )
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    with Session(engine) as session:
        result = verify_chain(session)
        seqs = session.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq)).all()
    total = threads * per_thread
    assert result.ok and result.events == total
    assert list(seqs) == list(range(1, total + 1))
