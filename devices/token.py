"""The API token the agent sends, and how an operator replaces it without a restart.

Given as `--token` / `INSPECT_TOKEN` it is fixed for the life of the process (a restart with a
new one loses nothing: scans wait in the outbox). Given as `--token-file` /
`INSPECT_TOKEN_FILE` it is read again when the file changes (checked while sending is paused
for a refused token) or when the agent receives SIGHUP.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

log = logging.getLogger(__name__)


class TokenSource:
    def __init__(self, value: str | None = None, path: Path | None = None) -> None:
        self._value = value
        self._path = path
        self._stamp: tuple[int, int, int] | None = None
        self._lock = threading.Lock()
        if path is not None:
            self.reload()

    @property
    def path(self) -> Path | None:
        return self._path

    def current(self) -> str | None:
        with self._lock:
            return self._value

    def reload(self) -> bool:
        """Read the token file again; True when the token changed."""
        if self._path is None:
            return False
        try:
            stamp = _stamp(self._path)
            value = self._path.read_text(encoding="utf-8").strip() or None
        except OSError as exc:
            log.error("cannot read the token file %s: %s", self._path, exc)
            return False
        with self._lock:
            changed = value != self._value
            self._value, self._stamp = value, stamp
        if changed:
            log.info("token read from %s", self._path)
        return changed

    def refresh(self) -> bool:
        """Reload only when the file looks different (cheap enough to poll); True if changed."""
        if self._path is None:
            return False
        try:
            stamp = _stamp(self._path)
        except OSError:
            return False
        with self._lock:
            if stamp == self._stamp:
                return False
        return self.reload()


def _stamp(path: Path) -> tuple[int, int, int]:
    status = os.stat(path)
    return status.st_ino, status.st_size, status.st_mtime_ns
