"""The audit chain: verification, tamper detection, append-only tables, concurrent appends."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
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
    assert "15 events" in output  # per case: created, three scans stored, assessed


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
        assert connection.scalar(text("SELECT count(*) FROM audit_event")) == 15
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


def run_audit(app: Flask, app_settings: Settings, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(audit_group, list(args), obj=CliContext(app_settings, app))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


@pytest.fixture
def decided_case(
    three_cases: list[int], client: FlaskClient, auth: Callable[[str], dict[str, str]]
) -> int:
    """The third case, released by an officer: the newest events are its decision."""
    response = client.post(
        f"/api/v1/shipments/{three_cases[2]}/decisions",
        json={"action": "release", "reason_codes": ["documents_ok"], "justification": "ok"},
        headers=auth("officer"),
    )
    assert response.status_code == 201, response.json
    return three_cases[2]


def test_checkpoint_prints_the_head_and_verifies_against_it(
    decided_case: int, app: Flask, app_settings: Settings, session: Session
) -> None:
    code, output = run_audit(app, app_settings, "checkpoint")
    assert code == 0, output
    seq, digest = output.split()
    head = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()
    assert (int(seq), digest) == (head.seq, head.hash) == (16, head.hash)
    session.close()  # SQLite: let the next command write
    code, output = run_audit(app, app_settings, "verify", "--checkpoint", f"{seq} {digest}")
    assert code == 0, output
    assert "holds checkpoint 16" in output


def test_a_truncated_tail_with_a_rewound_head_fails_against_the_checkpoint(
    decided_case: int, app: Flask, app_settings: Settings, engine: Engine
) -> None:
    """Issue 11.15: decision, its event and the head rewound together; the checkpoint catches it."""
    _, checkpoint = run_audit(app, app_settings, "checkpoint")
    with tampering(engine) as connection:
        previous = connection.execute(
            text("SELECT seq, hash FROM audit_event WHERE seq = 15")
        ).one()
        connection.execute(text("DELETE FROM audit_event WHERE seq = 16"))
        connection.execute(text("DELETE FROM decision"))
        connection.execute(
            text("UPDATE audit_head SET seq = :seq, hash = :hash"),
            {"seq": previous.seq, "hash": previous.hash},
        )
        connection.execute(
            text("UPDATE shipment SET status = 'open' WHERE id = :id"), {"id": decided_case}
        )
    code, output = run_audit(app, app_settings, "verify")
    assert code == 0, output  # the rest of the chain and the rows agree with each other
    code, output = run_audit(app, app_settings, "verify", "--checkpoint", checkpoint.strip())
    assert code == 1
    assert "checkpoint holds event 16" in output and "removed" in output


def test_a_rewritten_event_at_the_checkpoint_fails(
    three_cases: list[int], app: Flask, app_settings: Settings
) -> None:
    _, checkpoint = run_audit(app, app_settings, "checkpoint")
    seq = checkpoint.split()[0]
    code, output = run_audit(app, app_settings, "verify", "--checkpoint", f"{seq} {'a' * 64}")
    assert code == 1
    assert f"event {seq}" in output and "differs from the checkpoint" in output


@pytest.mark.parametrize("checkpoint", ["", "15", "x " + "a" * 64, "15 abc", "15 " + "g" * 64])
def test_a_malformed_checkpoint_is_a_usage_error(
    three_cases: list[int], app: Flask, app_settings: Settings, checkpoint: str
) -> None:
    code, output = run_audit(app, app_settings, "verify", "--checkpoint", checkpoint)
    assert code == 2
    assert "<seq> <sha256>" in output


@pytest.mark.parametrize(
    ("table", "change", "subject", "field"),
    [
        ("decision", "SET action = 'detain'", "decision", "action"),
        ("decision", "SET justification = 'forged'", "decision", "justification"),
        ("scan", "SET raw = 'forged'", "scan", "raw"),
        ("scan", "SET verdict = 'green'", "scan", "verdict"),
        ("shipment", "SET status = 'detained'", "shipment", "status"),
        ("shipment", "SET recommendation = 'release'", "shipment", "recommendation"),
    ],
)
def test_rows_edited_behind_the_chain_fail_verification(
    decided_case: int,
    app: Flask,
    app_settings: Settings,
    engine: Engine,
    table: str,
    change: str,
    subject: str,
    field: str,
) -> None:
    """Issue 11.15: the chain is intact, but the rows no longer say what it recorded."""
    with tampering(engine) as connection:
        target = connection.scalar(text(f"SELECT max(id) FROM {table}"))
        connection.execute(text(f"UPDATE {table} {change} WHERE id = :id"), {"id": target})
    code, output = run_audit(app, app_settings, "verify")
    assert code == 1, output
    assert "audit chain intact" in output and "differ" in output
    line = next(line for line in output.splitlines() if f"{subject}:{target}:" in line)
    assert field in line


def test_rows_the_chain_never_recorded_fail_verification(
    decided_case: int, app: Flask, app_settings: Settings, engine: Engine
) -> None:
    with tampering(engine) as connection:
        connection.execute(text("DELETE FROM audit_event WHERE seq = 16"))
        connection.execute(
            text(
                "UPDATE audit_head SET seq = 15, "
                "hash = (SELECT hash FROM audit_event WHERE seq = 15)"
            )
        )
    code, output = run_audit(app, app_settings, "verify")
    assert code == 1
    assert "has no 'decision.recorded' event" in output
    assert f"shipment:{decided_case}: status is 'released'" in output
