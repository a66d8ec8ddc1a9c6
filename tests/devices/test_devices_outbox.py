"""Outbox durability and forwarder retry policy (no network)."""

from __future__ import annotations

import json
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


def test_flagged_reads_are_forwarded_with_their_device_flags(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.db")
    flags = frozenset({Flag.PARTIAL_DISCONNECT, Flag.GS_SUBSTITUTED})
    stored = box.append(scan("PART", flags=flags), "S1")
    head = box.head()
    assert head is not None and head.scan_id == stored.scan_id
    assert head.body["device_flags"] == ["partial_disconnect"]  # only what makes it unreliable
    assert box.counts() == {"pending": 1}
    box.close()


def test_requeue_puts_dead_and_held_rows_back_in_their_place(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.db")
    rows = [box.append(scan(text), "S1") for text in ("A", "B", "C", "D")]
    box.mark_dead(rows[0].scan_id, 422, "HTTP 422: bad")
    box.mark_dead(rows[2].scan_id, 409, "HTTP 409: key reused")
    box.mark_sent(rows[1].scan_id, 201, "green", None)
    # a partial read stored as `held` by an agent from before flagged reads were forwarded
    legacy = box.append(scan("PART", flags=frozenset({Flag.SYN_DROPPED})), "S1")
    box._db.execute(
        "UPDATE outbox SET state = 'held', body_json = ? WHERE scan_id = ?",
        (json.dumps({"raw": "]d2PART"}), legacy.scan_id),
    )
    assert [r.scan_id for r in box.rows("pending")] == [rows[3].scan_id]

    assert box.requeue([rows[2].scan_id, rows[0].scan_id, rows[1].scan_id, legacy.scan_id]) == 3
    pending = box.rows("pending")
    assert [r.scan_id for r in pending] == [
        rows[0].scan_id,
        rows[2].scan_id,
        rows[3].scan_id,
        legacy.scan_id,
    ]
    assert all(r.attempts == 0 and r.status is None for r in pending)
    assert pending[-1].body["device_flags"] == ["syn_dropped"]
    assert box.rows("sent")[0].scan_id == rows[1].scan_id  # a sent row is never requeued
    box.close()


def test_resolve_and_discard(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.db")
    a, b = box.append(scan("A"), "S1"), box.append(scan("B"), "S1")
    assert [r.scan_id for r in box.resolve([b.scan_id[:8], a.scan_id])] == [a.scan_id, b.scan_id]
    with pytest.raises(KeyError, match="no scan"):
        box.resolve(["zzzz"])
    with pytest.raises(KeyError, match="2 scans"):
        box.resolve([""])
    box.mark_sent(a.scan_id, 201, "green", None)
    assert box.discard([a.scan_id, b.scan_id]) == 1  # the sent one stays
    assert [r.scan_id for r in box.rows()] == [a.scan_id]
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
        (401, Outcome.REFUSED),
        (403, Outcome.REFUSED),
        (404, Outcome.DEAD),
        (409, Outcome.DEAD),
        (422, Outcome.DEAD),
    ],
)
def test_classify(status: int, outcome: Outcome) -> None:
    assert classify(status) is outcome


def test_classify_by_problem_type() -> None:
    assert classify(409, "conflict") is Outcome.RETRY  # a race the service asks to retry
    assert classify(409, "idempotency-key-reused") is Outcome.DEAD


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


def test_refused_token_pauses_keeps_order_and_resumes_when_the_token_changes(
    tmp_path: Path,
) -> None:
    now = [1000.0]
    box = Outbox(tmp_path / "o.db", clock=lambda: now[0])
    rows = [box.append(scan(text), "S1") for text in ("A", "B")]
    refused = SendResult(Outcome.REFUSED, 401, detail="HTTP 401: token revoked")
    ok = SendResult(Outcome.SENT, 201, verdict="green", response={"scans": []})
    sender = ScriptedSender([refused, refused, ok, ok])
    alerts: list[str] = []
    token_changed = [False]
    fwd = Forwarder(
        box,
        sender,
        clock=lambda: now[0],
        on_refused=lambda row, detail: alerts.append(detail),
        token_changed=lambda: token_changed[0],
        refused_retry=300.0,
        refused_poll=2.0,
    )
    assert fwd.step() == 2.0
    assert fwd.paused == "HTTP 401: token revoked" and alerts == ["HTTP 401: token revoked"]
    now[0] += 100
    assert fwd.step() == 2.0  # paused: nothing is sent, nothing goes dead
    assert sender.sent == [rows[0].scan_id]
    now[0] += 200  # the slow periodic retry: refused again, the operator is not told twice
    assert fwd.step() == 2.0
    assert len(alerts) == 1 and len(sender.sent) == 2
    assert box.counts() == {"pending": 2}
    assert box.head().attempts == 2 and box.head().status == 401  # type: ignore[union-attr]

    token_changed[0] = True
    assert fwd.step() == 0.0
    assert fwd.paused is None
    assert fwd.step() == 0.0
    assert sender.sent[2:] == [rows[0].scan_id, rows[1].scan_id]
    assert box.counts() == {"sent": 2}
    box.close()


def test_resume_retries_at_once(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.db")
    box.append(scan("A"), "S1")
    refused = SendResult(Outcome.REFUSED, 403, detail="HTTP 403")
    sender = ScriptedSender([refused, SendResult(Outcome.SENT, 201, verdict="green")])
    fwd = Forwarder(box, sender, refused_retry=300.0)
    fwd.step()
    assert fwd.step() is not None and len(sender.sent) == 1
    fwd.resume()
    assert fwd.step() == 0.0 and box.counts() == {"sent": 1}
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
