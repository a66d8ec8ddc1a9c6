"""The gunicorn entry point as a worker imports it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.live import ROOT, LiveService

# Run in a fresh interpreter, as a worker would: import the entry point, then
# report how many objects the collector no longer walks, and whether the
# application itself is among those it still does.
_PROBE = """
import gc
from inspect_svc import wsgi
tracked = {id(obj) for obj in gc.get_objects()}
print(gc.get_freeze_count(), id(wsgi.app) in tracked, id(wsgi.app.url_map) in tracked)
"""


def test_worker_moves_the_application_out_of_the_collectors_way(tmp_path: Path) -> None:
    service = LiveService(f"sqlite:///{tmp_path / 'worker.sqlite3'}", tmp_path)
    service.initialise()
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        env=service.env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    frozen, app_tracked, url_map_tracked = done.stdout.split()
    assert int(frozen) > 10_000
    assert (app_tracked, url_map_tracked) == ("False", "False")
