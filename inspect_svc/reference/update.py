"""`inspect-svc reference update`: fetch each configured dataset and load it when it changed.

Per dataset, `reference_download` keeps the URL, the validators (ETag,
Last-Modified) and the SHA-256 of the file last loaded. A request is
conditional only while that dataset is loaded from the same URL, so a
database restored without its reference data downloads again. A file whose
checksum equals the one loaded last is not loaded again. The load itself
switches the dataset's snapshot atomically, as `load-*` commands do; the
download state is recorded only after the load committed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from inspect_core.datasets import NDC_DATASETS, RECALLS, REFUSALS, REGISTRATIONS
from inspect_svc.models.base import utcnow
from inspect_svc.models.reference import ReferenceDownload
from inspect_svc.reference.download import ByteProgress, Downloaded, Validators, fetch
from inspect_svc.reference.freshness import dataset_as_of
from inspect_svc.reference.ndc_loader import load_ndc
from inspect_svc.reference.recall_loader import load_recalls
from inspect_svc.reference.refusal_loader import load_refusals
from inspect_svc.reference.registration_loader import load_registrations
from inspect_svc.reference.report import LoadReport
from inspect_svc.reference.rows import ProgressHook
from inspect_svc.reference.sources import SourceFile, read_sources
from inspect_svc.settings import ReferenceSourceSettings

Loader = Callable[[Engine, list[SourceFile], date | None, ProgressHook | None], list[LoadReport]]


@dataclass(frozen=True)
class Feed:
    """A dataset `update` knows: its setting, file name on disk and loader."""

    name: str
    url_setting: str
    file_name: str
    loaded_as: str
    loader: Loader


FEEDS = {
    feed.name: feed
    for feed in (
        Feed("ndc", "ndc_url", "ndctext.zip", NDC_DATASETS["finished"], load_ndc),
        Feed(
            "recalls",
            "recalls_url",
            "drug-enforcement.json.zip",
            RECALLS,
            lambda e, s, a, p: [load_recalls(e, s, a, p)],
        ),
        Feed(
            "registrations",
            "registrations_url",
            "drls_reg.zip",
            REGISTRATIONS,
            lambda e, s, a, p: [load_registrations(e, s, a, p)],
        ),
        Feed(
            "refusals",
            "refusals_url",
            "import_refusals.zip",
            REFUSALS,
            lambda e, s, a, p: [load_refusals(e, s, a, p)],
        ),
    )
}


@dataclass
class UpdateResult:
    dataset: str
    url: str
    outcome: str  # "not modified", "unchanged", "loaded"
    download: Downloaded | None = None
    reports: list[LoadReport] = field(default_factory=list)


def configured_feeds(sources: ReferenceSourceSettings) -> list[str]:
    """Datasets with a URL in the configuration, in the order `update` runs them."""
    return [name for name, feed in FEEDS.items() if getattr(sources, feed.url_setting)]


def update_feed(
    engine: Engine,
    name: str,
    sources: ReferenceSourceSettings,
    folder: Path,
    *,
    bytes_progress: ByteProgress | None = None,
    rows_progress: ProgressHook | None = None,
) -> UpdateResult:
    """Download dataset `name` if it changed and load it. Raises DownloadError."""
    feed = FEEDS[name]
    url = getattr(sources, feed.url_setting)
    with Session(engine) as session:
        state = session.get(ReferenceDownload, name)
        loaded = dataset_as_of(session, feed.loaded_as) is not None
    known = (
        Validators(state.etag, state.last_modified)
        if state is not None and state.url == url and loaded
        else None
    )
    download = fetch(
        url,
        folder / feed.file_name,
        known,
        timeout=sources.timeout_seconds,
        progress=bytes_progress,
    )
    if not download.modified:
        _record(engine, name, url, download, changed=False)
        return UpdateResult(name, url, "not modified", download)
    if loaded and state is not None and state.sha256 == download.sha256:
        _record(engine, name, url, download, changed=False)
        return UpdateResult(name, url, "unchanged", download)
    assert download.path is not None
    reports = feed.loader(engine, read_sources([download.path]), None, rows_progress)
    _record(engine, name, url, download, changed=True)
    return UpdateResult(name, url, "loaded", download, reports)


def _record(engine: Engine, name: str, url: str, download: Downloaded, *, changed: bool) -> None:
    now = utcnow()
    with Session(engine) as session, session.begin():
        state = session.scalar(
            select(ReferenceDownload).where(ReferenceDownload.dataset == name).with_for_update()
        )
        if state is None:
            state = ReferenceDownload(dataset=name, url=url)
            session.add(state)
        state.url = url
        state.checked_at = now
        if download.modified:
            state.etag = download.validators.etag
            state.last_modified = download.validators.last_modified
            state.sha256 = download.sha256
            state.bytes = download.size
        if changed:
            state.changed_at = now
