"""The built wheel, installed without the source tree, initialises and serves.

An editable install reads `config/` from the checkout; a wheel must carry its
defaults inside the package. This builds the wheel, installs it into a fresh
virtual environment outside the repository and runs the commands an operator
runs: `inspect-svc init`, `inspect-svc serve`, then a scan through HTTP.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.live import ROOT, free_port

pytestmark = pytest.mark.slow

NOT_SOURCE = (".git", ".venv", "build", "dist", "instance", "*.egg-info", "__pycache__", ".*_cache")


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment holding only the built wheel and its dependencies."""
    work = tmp_path_factory.mktemp("wheel")
    # Build from a copy: setuptools leaves build/ behind, which a later build would reuse.
    source = work / "source"
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    pip = [sys.executable, "-m", "pip"]
    run([*pip, "wheel", "--no-deps", "-q", "-w", str(work), str(source)], work)
    wheels = list(work.glob("inspect_svc-*.whl"))
    assert len(wheels) == 1, wheels
    venv = work / "venv"
    run([sys.executable, "-m", "venv", str(venv)], work)
    run([str(venv / "bin" / "pip"), "install", "-q", str(wheels[0])], work)
    return venv


def test_wheel_carries_its_defaults_and_serves(installed: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECT_")}
    env["PATH"] = f"{installed / 'bin'}:{env.get('PATH', '')}"
    env["INSPECT_SECRET_KEY"] = "wheel-test-secret"
    cli = str(installed / "bin" / "inspect-svc")
    # No INSPECT_SERVER__INSTANCE_PATH: the installed default must be writable and used.
    output = run([cli, "init", "--admin", "wheel-admin"], tmp_path, env)
    token = output.strip().rsplit(" ", 1)[-1]
    assert token.startswith("isv_"), output
    assert (installed / "var" / "inspect_svc-instance" / "inspect.sqlite3").exists()

    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [cli, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and server.poll() is None:
            try:
                if requests.get(base + "/readyz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        else:
            pytest.fail("served wheel never became ready:\n" + (tmp_path / "serve.log").read_text())
        answer = requests.post(
            base + "/api/v1/interpret",
            json={"raw": "]d201003002415350271727030010LOT42\x1d21SN0001"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["ndc"] == "0024-1535-02"
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
