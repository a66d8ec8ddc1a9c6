"""The folder through which gunicorn's workers share Prometheus metrics.

prometheus-client picks its multiprocess mode when it is first imported,
from `PROMETHEUS_MULTIPROC_DIR`; so the gunicorn master must set the
variable before anything imports the library (this module does not). Each
master gets its own folder, `<instance>/metrics/<master pid>`, removed
when it exits; folders left by masters that were killed are removed when
the next one starts. A folder given in the environment is the operator's:
it is emptied at start and left in place.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path

ENV = "PROMETHEUS_MULTIPROC_DIR"


@dataclass(frozen=True)
class MetricsDir:
    path: Path
    owned: bool  # created for this master, removed at its exit


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def remove_stale(parent: Path) -> list[Path]:
    """Remove the folders of masters that are no longer running; the folders removed."""
    removed: list[Path] = []
    if not parent.is_dir():
        return removed
    for entry in parent.iterdir():
        if entry.is_dir() and entry.name.isdigit() and not _alive(int(entry.name)):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def prepare(instance_dir: Path, environ: MutableMapping[str, str] = os.environ) -> MetricsDir:
    """Choose, clean and announce (in `environ`) the metrics folder of this master process."""
    given = environ.get(ENV)
    own = instance_dir / "metrics" / str(os.getpid())
    if given and Path(given) == own:  # the configuration read again (SIGHUP)
        return MetricsDir(own, owned=True)
    if given:
        folder = MetricsDir(Path(given), owned=False)
        folder.path.mkdir(parents=True, exist_ok=True)
        for stale_file in folder.path.glob("*.db"):
            stale_file.unlink()
    else:
        parent = instance_dir / "metrics"
        remove_stale(parent)
        folder = MetricsDir(own, owned=True)
        folder.path.mkdir(parents=True, exist_ok=True)
        environ[ENV] = str(folder.path)
    return folder


def release(folder: MetricsDir) -> None:
    """At the master's exit: remove its own folder (an operator's folder stays)."""
    if folder.owned:
        shutil.rmtree(folder.path, ignore_errors=True)
