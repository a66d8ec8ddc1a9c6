"""Outbox durability and forwarder retry policy (no network)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from devices.forwarder import Forwarder, Outcome, SendResult, classify, parse_retry_after
from devices.outbox import Outbox, OutboxRow
from devices.scan import Flag, Scan, Transport


def scan(text: str, device: str = "dev-1", flags: frozenset[Flag] = frozenset()) -> Scan:
    return Scan(
        device_id=device,
        transport=Transport.SERIAL,
        raw=text.encode(),
        text=text,
        aim_id="]d2",
        symbology="GS1_DATAMATRIX",
        captured_at=1_700_000_000.5,
        captured_mono_ns=1,
        flags=flags,
    )


def test_append_assigns_per_device_seq_and_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "o.db"
    box = Outbox(path)
    a = box.append(scan("A"), "S1")
    b = box.append(scan("B", device="dev-2"), "S1")
    c = box.append(scan("C"), "S1")
    assert (a.seq, b.seq, c.seq) == (1, 1, 2)
    assert box.head() is not None and box.head().scan_id == a.scan_id  # type: ignore[union-attr]
    box.close()
    box = Outbox(path)
    d = box.append(scan("D"), "S2")
    assert d.seq == 3
    rows = box.rows()
    assert [r.body["raw"] for r in rows] == ["]d2A", "]d2B", "]d2C", "]d2D"]
    assert rows[0].body == {
        "raw": "]d2A",
        "device_id": "dev-1",
        "idempotency_key": a.scan_id,
        "scanned_at": "2023-11-14T22:13:20.500Z",
        "device_seq": 1,
    }
    assert rows[3].shipment_id == "S2"
    mode = box._db.execute("PRAGMA journal_mode").fetchone()[0]
    sync = box._db.execute("PRAGMA synchronous").fetchone()[0]
    assert (mode, sync) == ("wal", 2)
    box.close()


def test_invalid_scans_are_held_not_forwarded(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.db")
    box.append(scan("PART", flags=frozenset({Flag.PARTIAL_DISCONNECT})), "S1")
    assert box.head() is None
    assert box.counts() == {"held": 1}
    box.close()


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (200, Outcome.SENT),
        (201, Outcome.SENT),
        (408, Outcome.RETRY),
        (425, Outcome.RETRY),
        (429, Outcome.RETRY),
        (500, Outcome.RETRY),
        (503, Outcome.RETRY),
        (400, Outcome.DEAD),
        (401, Outcome.DEAD),
        (404, Outcome.DEAD),
        (409, Outcome.DEAD),
        (422, Outcome.DEAD),
    ],
)
def test_classify(status: int, outcome: Outcome) -> None:
    assert classify(status) is outcome


def test_parse_retry_after() -> None:
    assert parse_retry_after("7", 0.0) == 7.0
    assert parse_retry_after(None, 0.0) is None
    assert parse_retry_after("soon", 0.0) is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", 1445412480.0) == 10.0


class ScriptedSender:
    def __init__(self, results: list[SendResult]) -> None:
        self.results = results
        self.sent: list[str] = []

    def send(self, row: OutboxRow) -> SendResult:
        self.sent.append(row.scan_id)
        return self.results.pop(0)


def test_forwarder_step_policy_with_injected_clock(tmp_path: Path) -> None:
    now = [1000.0]
    box = Outbox(tmp_path / "o.db", clock=lambda: now[0])
    first = box.append(scan("A"), "S1")
    second = box.append(scan("B"), "S1")
    sender = ScriptedSender(
        [
            SendResult(Outcome.RETRY, 500, detail="HTTP 500"),
            SendResult(Outcome.RETRY, 429, retry_after=3.0, detail="HTTP 429"),
            SendResult(Outcome.SENT, 201, verdict="red", response={"scans": []}),
            SendResult(Outcome.DEAD, 422, detail="HTTP 422: bad"),
        ]
    )
    verdicts: list[tuple[str, str]] = []
    fwd = Forwarder(
        box,
        sender,
        clock=lambda: now[0],
        rng=random.Random(1),
        on_verdict=lambda row, v: verdicts.append((row.scan_id, v)),
    )
    delay = fwd.step()
    assert delay is not None and 0 <= delay <= 0.5  # full jitter within base * 2**0
    assert fwd.step() == pytest.approx(delay)  # not due yet: nothing sent
    now[0] += delay
    assert fwd.step() == 3.0  # Retry-After honoured
    now[0] += 2.9
    assert fwd.step() == pytest.approx(0.1)
    now[0] += 0.1
    assert fwd.step() == 0.0
    assert fwd.step() == 0.0
    assert fwd.step() is None
    assert sender.sent == [first.scan_id] * 3 + [second.scan_id]
    assert verdicts == [(first.scan_id, "red")]
    states = {r.scan_id: (r.state, r.attempts, r.verdict) for r in box.rows()}
    assert states == {first.scan_id: ("sent", 3, "red"), second.scan_id: ("dead", 1, None)}
    assert "422" in (box.rows("dead")[0].last_error or "")
    box.close()


def test_backoff_is_full_jitter_capped() -> None:
    fwd = Forwarder(
        None,
        ScriptedSender([]),
        rng=random.Random(0),  # type: ignore[arg-type]
        backoff_base=0.5,
        backoff_cap=4.0,
    )
    samples = [fwd.backoff(n) for n in range(1, 12) for _ in range(50)]
    assert min(samples) >= 0 and max(samples) <= 4.0
    assert max(fwd.backoff(1) for _ in range(200)) <= 0.5
    assert max(fwd.backoff(10) for _ in range(200)) > 2.0
