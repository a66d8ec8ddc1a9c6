"""Download one reference file: conditional, resumable, verified, switched into place atomically.

The file is written to `<target>.part`; the validators the server sent with
it (ETag, Last-Modified) go to `<target>.part.json`, so that an interrupted
download resumes with `Range` + `If-Range` (the server sends the whole file
again if it changed meanwhile). Only a complete, verified file replaces
`<target>` (`os.replace`). When the caller knows the validators of the file
it loaded last, the request is conditional and a 304 downloads nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests

from inspect_svc import __version__

USER_AGENT = f"inspect-svc/{__version__} (reference data update)"
CHUNK_BYTES = 256 * 1024
_CONTENT_RANGE = re.compile(r"^bytes (\d+)-\d+/(\d+|\*)$")

ByteProgress = Callable[[int, int | None], None]
"""Called as (bytes written, bytes expected or None) while downloading."""


class DownloadError(RuntimeError):
    """The file could not be fetched; the message says why and whether a re-run resumes."""


@dataclass(frozen=True)
class Validators:
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Downloaded:
    """A complete file at `path`, or `path` None when the server said 304 Not Modified."""

    path: Path | None
    validators: Validators
    sha256: str | None = None
    size: int = 0
    resumed_from: int = 0

    @property
    def modified(self) -> bool:
        return self.path is not None


def fetch(
    url: str,
    target: Path,
    known: Validators | None = None,
    *,
    timeout: float = 60,
    progress: ByteProgress | None = None,
    session: requests.Session | None = None,
) -> Downloaded:
    """Fetch `url` into `target`; conditional on `known`, resuming a partial file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    part_meta = target.with_name(target.name + ".part.json")
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    offset = _resume_offset(part, part_meta, headers)
    if offset == 0 and known is not None:
        if known.etag:
            headers["If-None-Match"] = known.etag
        if known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
    http = session or requests.Session()
    try:
        response = http.get(url, headers=headers, stream=True, timeout=timeout)
    except requests.RequestException as exc:
        raise DownloadError(_unreachable(url, exc)) from exc
    with response:
        if response.status_code == 304:
            return Downloaded(None, known or Validators())
        if response.status_code == 206 and offset:
            _check_range(response, offset, url)
        elif response.status_code == 200:
            offset = 0
        elif response.status_code == 416 and offset:
            part.unlink(missing_ok=True)
            part_meta.unlink(missing_ok=True)
            raise DownloadError(
                f"{url}: the server cannot continue the partial download; it was discarded, "
                "run again"
            )
        else:
            raise DownloadError(
                f"{url}: the server answered {response.status_code} {response.reason}; "
                "nothing was changed"
            )
        validators = Validators(response.headers.get("ETag"), response.headers.get("Last-Modified"))
        part_meta.write_text(json.dumps(validators.__dict__))
        length = response.headers.get("Content-Length")
        expected = offset + int(length) if length and length.isdigit() else None
        written = _stream(response, part, offset, expected, progress, url)
    if expected is not None and written != expected:
        raise DownloadError(
            f"{url}: download truncated ({written} of {expected} bytes); run again to resume"
        )
    _verify(part, url, part_meta)
    digest = _sha256(part)
    os.replace(part, target)
    part_meta.unlink(missing_ok=True)
    return Downloaded(target, validators, digest, written, offset)


def _resume_offset(part: Path, part_meta: Path, headers: dict[str, str]) -> int:
    """Bytes already on disk that the server may continue from (sets Range and If-Range)."""
    if not part.exists() or not part_meta.exists():
        part.unlink(missing_ok=True)
        return 0
    try:
        saved = Validators(**json.loads(part_meta.read_text()))
    except (ValueError, TypeError):
        saved = Validators()
    validator = saved.etag if saved.etag and not saved.etag.startswith("W/") else None
    validator = validator or saved.last_modified
    size = part.stat().st_size
    if not validator or size == 0:
        part.unlink()
        return 0
    headers["Range"] = f"bytes={size}-"
    headers["If-Range"] = validator
    return size


def _check_range(response: requests.Response, offset: int, url: str) -> None:
    match = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
    if match is None or int(match.group(1)) != offset:
        raise DownloadError(f"{url}: the server resumed at the wrong place; run again")


def _stream(
    response: requests.Response,
    part: Path,
    offset: int,
    expected: int | None,
    progress: ByteProgress | None,
    url: str,
) -> int:
    written = offset
    # Count the bytes ourselves: urllib3 would raise on a short body and drop
    # the bytes it had read, which a resume needs.
    response.raw.enforce_content_length = False
    with part.open("ab" if offset else "wb") as handle:
        try:
            for chunk in response.iter_content(CHUNK_BYTES):
                handle.write(chunk)
                written += len(chunk)
                if progress is not None:
                    progress(written, expected)
        except requests.RequestException as exc:
            handle.flush()
            of = f" of {expected}" if expected is not None else ""
            raise DownloadError(
                f"{url}: download interrupted after {written}{of} bytes "
                f"({type(exc).__name__}); run again to resume"
            ) from exc
    return written


def _verify(part: Path, url: str, part_meta: Path) -> None:
    """A zip must open and pass its CRC checks; a broken one is discarded, not resumed."""
    if not urlsplit(url).path.lower().endswith(".zip"):
        return
    try:
        with zipfile.ZipFile(part) as archive:
            bad = archive.testzip()
    except zipfile.BadZipFile as exc:
        bad = str(exc)
    if bad is not None:
        part.unlink(missing_ok=True)
        part_meta.unlink(missing_ok=True)
        raise DownloadError(f"{url}: the downloaded zip is corrupt ({bad}); nothing was changed")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _unreachable(url: str, exc: requests.RequestException) -> str:
    host = urlsplit(url).netloc or url
    if isinstance(exc, requests.Timeout):
        return f"{host} did not answer in time ({type(exc).__name__}); nothing was changed"
    if isinstance(exc, requests.ConnectionError):
        return (
            f"cannot reach {host} (offline, or the host is down: {type(exc).__name__}); "
            "nothing was changed"
        )
    return f"{url}: request failed ({type(exc).__name__}); nothing was changed"
