"""`inspect-scanner outbox list|requeue|discard` on rows the service rejected."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner

from devices import cli
from devices.forwarder import Forwarder, HttpSender
from devices.outbox import Outbox
from tests.devices.scanner_kit import FakeService, wait_for
from tests.devices.test_devices_delivery import make_scan

pytestmark = pytest.mark.device


def run(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli.main, ["outbox", *args], input=input)
    return result.exit_code, result.output


def deliver(box: Outbox, service: FakeService) -> None:
    """Run a forwarder until nothing is pending."""
    sender = HttpSender(service.url, "tok")
    fwd = Forwarder(box, sender, backoff_base=0.01, backoff_cap=0.05)
    fwd.start()
    try:
        fwd.notify()
        wait_for(lambda: box.head() is None)
    finally:
        fwd.stop()
        sender.close()


def test_dead_scans_are_listed_requeued_in_order_or_discarded(
    tmp_path: Path, service: FakeService
) -> None:
    path = tmp_path / "outbox.db"
    box = Outbox(path)
    service.faults = [None, None, 409]  # the third scan hits a conflict, then goes through
    scans = [make_scan(0), dataclasses.replace(make_scan(1), aim_id=None, text="BAD-1")]
    scans += [make_scan(2), dataclasses.replace(make_scan(3), aim_id=None, text="BAD-3")]
    stored = [box.append(s, "SHP-1") for s in scans]
    deliver(box, service)
    assert [r.state for r in box.rows()] == ["sent", "dead", "sent", "dead"]
    assert len([k for _, k, _, _ in service.requests if k == stored[2].scan_id]) == 2

    code, out = run("list", "--outbox", str(path))
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == "pending 0  dead 2  held 0  sent 2"
    assert [line.split()[:2] for line in lines[1:]] == [
        ["dead", stored[1].scan_id],
        ["dead", stored[3].scan_id],
    ]
    assert "HTTP 422: Unprocessable; bad raw" in lines[1]

    code, out = run("requeue", "--outbox", str(path), stored[0].scan_id)
    assert code == 2 and "only dead or held scans" in out

    code, out = run("discard", "--outbox", str(path), stored[3].scan_id[:8], input="n\n")
    assert code == 1 and "Aborted" in out
    assert len(box.rows("dead")) == 2
    code, out = run("discard", "--outbox", str(path), stored[3].scan_id[:8], input="y\n")
    assert code == 0 and "discarded 1 scan(s)" in out

    box.close()
    code, out = run("requeue", "--outbox", str(path), "--all-dead")
    assert (code, out.strip()) == (0, "requeued 1 scan(s)")
    box = Outbox(path)
    assert [r.state for r in box.rows()] == ["sent", "pending", "sent"]
    deliver(box, service)  # sent again (and, the service unchanged, rejected again)
    assert [b["raw"] for _, _, b, _ in service.requests].count("BAD-1") == 2
    box.close()

    code, out = run("discard", "--outbox", str(path), "--yes", stored[0].scan_id)
    assert code == 2 and "already delivered" in out
    code, out = run("list", "--outbox", str(tmp_path / "missing.db"))
    assert code == 2 and "no outbox" in out
