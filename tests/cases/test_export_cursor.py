"""Incremental exports: cursors, paging, rejected cursors, paging while decisions arrive, CLI."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from inspect_svc.auth import Actor, ensure_user
from inspect_svc.cases.decisions import DecisionInput, record_decision
from inspect_svc.cases.exports.cursor import decode_cursor, encode_cursor
from inspect_svc.cli.cases import export_command
from inspect_svc.cli.context import CliContext
from inspect_svc.models.audit import AuditEvent
from inspect_svc.settings import Settings
from inspect_svc.triage.shipments import get_shipment
from tests.cases.export_kit import fetch

Auth = Callable[[str], dict[str, str]]


def case_ids(body: str) -> list[int]:
    return [json.loads(line)["case_id"] for line in body.splitlines()]


def test_cursor_round_trip_and_start() -> None:
    assert decode_cursor(encode_cursor(42)) == 42
    assert decode_cursor(None) == decode_cursor("") == 0


@pytest.mark.parametrize("cursor", ["nonsense!", "djE6LTE", "djI6NQ", encode_cursor(1) + "x"])
def test_malformed_cursors_are_422_naming_since(
    client: FlaskClient, auth: Auth, cursor: str
) -> None:
    response = client.get(
        "/api/v1/exports/cases",
        query_string={"format": "jsonl", "since": cursor},
        headers=auth("officer"),
    )
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "since" in response.json["errors"]


def test_exports_need_the_officer_role(client: FlaskClient, auth: Auth) -> None:
    response = client.get("/api/v1/exports/cases", headers=auth("inspector"))
    assert response.status_code == 403


def test_pages_follow_the_cursor_and_changed_cases_come_back(
    client: FlaskClient, auth: Auth, make_case: Callable[..., int]
) -> None:
    ids = [make_case(entry_number=f"E{i}") for i in range(5)]
    first = fetch(client, auth("officer"), "jsonl", limit=2)
    assert case_ids(first.body) == ids[:2] and first.more
    second = fetch(client, auth("officer"), "jsonl", since=first.cursor, limit=2)
    assert case_ids(second.body) == ids[2:4]

    response = client.post(
        f"/api/v1/shipments/{ids[0]}/decisions",
        json={"action": "exam", "reason_codes": ["other"]},
        headers=auth("officer"),
    )
    assert response.status_code == 201
    rest = fetch(client, auth("officer"), "jsonl", since=second.cursor, limit=10)
    assert case_ids(rest.body) == [ids[4], ids[0]] and not rest.more
    empty = fetch(client, auth("officer"), "jsonl", since=rest.cursor)
    assert empty.body == "" and empty.cursor == rest.cursor


def test_paging_while_decisions_arrive_sees_each_change_once(
    client: FlaskClient, auth: Auth, make_case: Callable[..., int], engine: Engine
) -> None:
    ids = [make_case(entry_number=f"C{i}") for i in range(30)]
    with Session(engine) as session, session.begin():
        user = ensure_user(session, "writer", "officer")
        officer = Actor(user.id, user.name, user.role, "token")
    done = threading.Event()
    errors: list[BaseException] = []
    decided: list[int] = []

    def writer() -> None:
        try:
            for shipment_id in ids[::3]:
                with Session(engine) as session, session.begin():
                    shipment = get_shipment(session, shipment_id, for_update=True)
                    record_decision(session, shipment, DecisionInput("exam", ["other"]), officer)
                decided.append(shipment_id)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            done.set()

    seen: list[tuple[int, int]] = []
    cursor: str | None = None
    thread = threading.Thread(target=writer)
    thread.start()
    while True:
        page = fetch(client, auth("officer"), "jsonl", since=cursor, limit=4)
        seen += [(c["case_id"], c["change_seq"]) for c in map(json.loads, page.body.splitlines())]
        cursor = page.cursor
        if not page.more and done.is_set():
            break
    thread.join()
    final = fetch(client, auth("officer"), "jsonl", since=cursor)
    seen += [(c["case_id"], c["change_seq"]) for c in map(json.loads, final.body.splitlines())]
    assert errors == [] and len(decided) == len(ids[::3])
    assert len(seen) == len(set(seen))  # no change delivered twice
    positions = [seq for _, seq in seen]
    assert positions == sorted(positions)
    latest = {case_id: seq for case_id, seq in seen}
    assert set(latest) == set(ids)  # every case seen
    with Session(engine) as session:
        expected = dict(
            session.execute(
                select(AuditEvent.shipment_id, func.max(AuditEvent.seq)).group_by(
                    AuditEvent.shipment_id
                )
            ).all()
        )
    assert latest == expected  # each case's latest change was delivered


def test_cli_exports_everything_after_the_cursor(
    app: Flask, app_settings: Settings, make_case: Callable[..., int], tmp_path: Path
) -> None:
    ids = [make_case(entry_number=f"0{i}") for i in range(3)]
    runner = CliRunner()
    out = tmp_path / "cases.jsonl"
    result = runner.invoke(
        export_command,
        ["--format", "jsonl", "--output", str(out)],
        obj=CliContext(app_settings, app),
    )
    assert result.exit_code == 0, result.output
    assert case_ids(out.read_text()) == ids
    cursor = result.stderr.strip().splitlines()[-1].removeprefix("next cursor: ")
    later = make_case(entry_number="late")
    again = runner.invoke(
        export_command, ["--format", "csv", "--since", cursor], obj=CliContext(app_settings, app)
    )
    assert again.exit_code == 0, again.output
    assert [line.split(",")[0] for line in again.stdout.splitlines()[1:]] == [str(later)]
    bad = runner.invoke(
        export_command,
        ["--format", "csv", "--since", "garbage!"],
        obj=CliContext(app_settings, app),
    )
    assert bad.exit_code == 2 and "--since" in bad.output
