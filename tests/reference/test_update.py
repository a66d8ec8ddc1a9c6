"""`reference update` against a local HTTP server: 200, 304, truncated and resumed, 500, offline."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from inspect_svc.cli.context import CliContext
from inspect_svc.cli.reference import reference
from inspect_svc.models.reference import ReferenceDownload
from inspect_svc.reference.download import DownloadError, Validators, fetch
from inspect_svc.reference.freshness import dataset_status
from inspect_svc.reference.update import update_feed
from inspect_svc.settings import ReferenceSourceSettings, Settings
from tests.registry_files import GOOD_DECRS_ROWS, decrs_bytes, write_zip


@dataclass
class Served:
    """A file the server offers, and how it misbehaves."""

    body: bytes
    etag: str = '"v1"'
    status: int = 200
    truncate_to: int | None = None  # send only this many bytes of a full response
    requests: list[dict[str, str]] = field(default_factory=list)


class FixtureServer(ThreadingHTTPServer):
    files: dict[str, Served]


class Handler(BaseHTTPRequestHandler):
    server: FixtureServer

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        served = self.server.files.get(self.path)
        if served is None:
            self.send_error(404)
            return
        served.requests.append(dict(self.headers.items()))
        if served.status != 200:
            self.send_error(served.status, "Internal Server Error")
            return
        if self.headers.get("If-None-Match") == served.etag:
            self.send_response(304)
            self.send_header("ETag", served.etag)
            self.end_headers()
            return
        start = 0
        wanted = re.match(r"bytes=(\d+)-$", self.headers.get("Range", ""))
        if wanted and self.headers.get("If-Range") == served.etag:
            start = int(wanted.group(1))
            if start >= len(served.body):
                self.send_error(416)
                return
            self.send_response(206)
            self.send_header(
                "Content-Range", f"bytes {start}-{len(served.body) - 1}/{len(served.body)}"
            )
        else:
            self.send_response(200)
        body = served.body[start:]
        self.send_header("ETag", served.etag)
        self.send_header("Last-Modified", "Mon, 30 Nov 2026 06:00:00 GMT")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if served.truncate_to is not None:
            self.wfile.write(body[: served.truncate_to])
            served.truncate_to = None  # the next request gets the whole file
            self.close_connection = True
            return
        self.wfile.write(body)


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    httpd = FixtureServer(("127.0.0.1", 0), Handler)
    httpd.files = {}
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


def _url(server: FixtureServer, path: str) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}{path}"


def _registration_zip(tmp_path: Path, rows: tuple[str, ...] = GOOD_DECRS_ROWS) -> bytes:
    path = write_zip(tmp_path / "src.zip", {"drls_reg.txt": decrs_bytes(rows)}, date(2026, 11, 30))
    return path.read_bytes()


def _sources(server: FixtureServer) -> ReferenceSourceSettings:
    return ReferenceSourceSettings(
        registrations_url=_url(server, "/cder/drls_reg.zip"), timeout_seconds=5
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_download_then_not_modified_then_changed(
    engine: Engine, server: FixtureServer, tmp_path: Path
) -> None:
    served = Served(_registration_zip(tmp_path))
    server.files["/cder/drls_reg.zip"] = served
    folder = tmp_path / "downloads"
    first = update_feed(engine, "registrations", _sources(server), folder)
    assert first.outcome == "loaded" and first.reports[0].rows_loaded == 4
    assert first.reports[0].as_of == "2026-11-30"
    assert "If-None-Match" not in served.requests[0]

    second = update_feed(engine, "registrations", _sources(server), folder)
    assert second.outcome == "not modified" and second.reports == []
    assert served.requests[1]["If-None-Match"] == '"v1"'
    assert served.requests[1]["If-Modified-Since"] == "Mon, 30 Nov 2026 06:00:00 GMT"

    served.body, served.etag = _registration_zip(tmp_path, GOOD_DECRS_ROWS[:2]), '"v2"'
    third = update_feed(engine, "registrations", _sources(server), folder)
    assert third.outcome == "loaded" and third.reports[0].rows_loaded == 2
    with Session(engine) as session:
        state = session.get(ReferenceDownload, "registrations")
        assert state is not None and state.etag == '"v2"'
        assert state.sha256 == third.download.sha256 if third.download else False
        (status,) = [s for s in dataset_status(session) if s.name == "registrations"]
        assert status.rows_loaded == 2
    assert not list(folder.glob("*.part*"))


def test_truncated_download_keeps_the_data_and_resumes(
    engine: Engine, server: FixtureServer, tmp_path: Path
) -> None:
    body = _registration_zip(tmp_path)
    server.files["/cder/drls_reg.zip"] = Served(body, truncate_to=100)
    folder = tmp_path / "downloads"
    with pytest.raises(DownloadError, match="run again to resume"):
        update_feed(engine, "registrations", _sources(server), folder)
    with Session(engine) as session:
        assert dataset_status(session) == []  # nothing loaded from a partial file
    assert (folder / "drls_reg.zip.part").stat().st_size == 100

    result = update_feed(engine, "registrations", _sources(server), folder)
    assert result.outcome == "loaded" and result.download is not None
    assert result.download.resumed_from == 100 and result.download.size == len(body)
    request = server.files["/cder/drls_reg.zip"].requests[1]
    assert request["Range"] == "bytes=100-" and request["If-Range"] == '"v1"'
    assert (folder / "drls_reg.zip").read_bytes() == body


def test_a_partial_file_the_server_cannot_continue_is_discarded(
    server: FixtureServer, tmp_path: Path
) -> None:
    server.files["/x.zip"] = Served(b"short")
    (tmp_path / "x.zip.part").write_bytes(b"much longer than the file on the server")
    (tmp_path / "x.zip.part.json").write_text('{"etag": "\\"v1\\"", "last_modified": null}')
    with pytest.raises(DownloadError, match="cannot continue the partial download"):
        fetch(_url(server, "/x.zip"), tmp_path / "x.zip")
    assert list(tmp_path.iterdir()) == []


def test_server_error_changes_nothing(
    engine: Engine, server: FixtureServer, tmp_path: Path
) -> None:
    server.files["/cder/drls_reg.zip"] = Served(b"", status=500)
    with pytest.raises(DownloadError, match="answered 500"):
        update_feed(engine, "registrations", _sources(server), tmp_path)
    with Session(engine) as session:
        assert session.get(ReferenceDownload, "registrations") is None


def test_corrupt_zip_is_discarded(server: FixtureServer, tmp_path: Path) -> None:
    server.files["/x.zip"] = Served(b"PK\x03\x04 not really a zip")
    with pytest.raises(DownloadError, match="corrupt"):
        fetch(_url(server, "/x.zip"), tmp_path / "x.zip")
    assert list(tmp_path.iterdir()) == []


def test_offline_is_a_clear_error(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_free_port()}/drls_reg.zip"
    with pytest.raises(DownloadError, match=r"cannot reach 127\.0\.0\.1:\d+ \(offline"):
        fetch(url, tmp_path / "drls_reg.zip", Validators('"v1"'), timeout=2)


def test_cli_update_reports_each_dataset_and_fails_on_errors(
    app: Flask, app_settings: Settings, server: FixtureServer, tmp_path: Path
) -> None:
    server.files["/cder/drls_reg.zip"] = Served(_registration_zip(tmp_path))
    server.files["/refusals.zip"] = Served(b"", status=500)
    settings = app_settings.replace(
        reference_sources={
            "registrations_url": _url(server, "/cder/drls_reg.zip"),
            "refusals_url": _url(server, "/refusals.zip"),
            "download_dir": str(tmp_path / "dl"),
        }
    )
    runner = CliRunner()
    context = CliContext(settings, app)
    result = runner.invoke(reference, ["update", "registrations", "refusals"], obj=context)
    assert result.exit_code == 1, result.output
    assert "registrations: downloaded" in result.output
    assert "registrations: 4 rows read, 4 loaded, 0 rejected (as of 2026-11-30)" in result.output
    assert "refusals: failed:" in result.output and "answered 500" in result.output
    assert "not updated: refusals" in result.output

    again = runner.invoke(reference, ["update", "registrations"], obj=context)
    assert again.exit_code == 0 and "registrations: not modified" in again.output

    unknown = runner.invoke(reference, ["update", "orange-book"], obj=context)
    assert unknown.exit_code == 2 and "unknown dataset(s) orange-book" in unknown.output
