"""`inspect-svc init` and `serve` say what is wrong with the set-up, without a traceback."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.live import BIN, ROOT, free_port


def _run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("INSPECT_")}
    environ.update(
        INSPECT_SECRET_KEY="startup-test",
        INSPECT_SERVER__INSTANCE_PATH=str(tmp_path / "instance"),
        INSPECT_SERVER__BIND=f"127.0.0.1:{free_port()}",
    )
    environ.update(env)
    return subprocess.run(
        [str(BIN / "inspect-svc"), *args],
        env=environ,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _unwritable_instance_paths(tmp_path: Path) -> list[Path]:
    """Folders that cannot be written, whoever runs the tests (root ignores permissions)."""
    blocker = tmp_path / "a-file"
    blocker.write_text("a file where the instance folder should be")
    paths = [blocker, blocker / "instance"]
    if os.geteuid() != 0:
        read_only = tmp_path / "read-only"
        read_only.mkdir()
        read_only.chmod(0o555)
        paths.append(read_only)
    return paths


@pytest.mark.parametrize("command", ["init", "serve"])
def test_an_unwritable_instance_folder_is_named(tmp_path: Path, command: str) -> None:
    for folder in _unwritable_instance_paths(tmp_path):
        done = _run(tmp_path, command, INSPECT_SERVER__INSTANCE_PATH=str(folder))
        assert done.returncode == 1, done.stderr
        assert f"the instance folder {folder} is not writable" in done.stderr
        assert "server.instance_path" in done.stderr
        assert "Traceback" not in done.stderr


@pytest.mark.parametrize("command", ["init", "serve"])
def test_an_unreachable_database_server_is_named_without_its_password(
    tmp_path: Path, command: str
) -> None:
    port = free_port()  # nothing listens there
    url = f"postgresql+psycopg://inspect:s3cret-pw@127.0.0.1:{port}/inspect"
    done = _run(tmp_path, command, INSPECT_DATABASE_URL=url)
    assert done.returncode == 1, done.stderr
    assert f"cannot reach the database at postgresql+psycopg://inspect:***@127.0.0.1:{port}" in (
        done.stderr
    )
    assert "refused" in done.stderr.lower()
    assert "s3cret-pw" not in done.stderr
    assert "inspect-svc init" not in done.stderr
    assert "Traceback" not in done.stderr


def test_serve_on_an_empty_database_asks_for_init(tmp_path: Path) -> None:
    done = _run(tmp_path, "serve", INSPECT_DATABASE_URL=f"sqlite:///{tmp_path / 'new.sqlite3'}")
    assert done.returncode == 1
    assert "has no schema; run `inspect-svc init` first" in done.stderr
    assert "Traceback" not in done.stderr
