"""Application factory."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from inspect_svc import observability
from inspect_svc.api import register_api
from inspect_svc.db import db
from inspect_svc.problems import register_error_handlers
from inspect_svc.settings import Settings, load_settings
from inspect_svc.triage import service as triage_service
from inspect_svc.web import init_app as init_web


def create_app(settings: Settings | None = None) -> Flask:
    """Build the service for `settings` (default: loaded from config and environment)."""
    settings = settings or load_settings()
    instance = settings.instance_dir
    app = Flask(__name__, instance_path=str(instance))
    instance.mkdir(parents=True, exist_ok=True)
    app.config.update(
        SECRET_KEY=settings.server.secret_key or _instance_secret(instance),
        MAX_CONTENT_LENGTH=settings.server.max_body_bytes,
        DEBUG=settings.server.debug,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,
    )
    app.extensions["inspect_settings"] = settings
    observability.init_app(app)
    db.init_app(app, settings)
    triage_service.init_app(app, settings)
    register_error_handlers(app)
    register_api(app)
    init_web(app)
    return app


def _instance_secret(instance: Path) -> str:
    """A secret generated once per instance folder, so sessions survive restarts.

    Workers starting together race to create it: each writes a private file
    and links it into place, the first link wins and everyone reads that one.
    """
    path = instance / "secret_key"
    if not path.exists():
        candidate = instance / f".secret_key.{os.getpid()}"
        candidate.write_text(secrets.token_hex(32))
        candidate.chmod(0o600)
        try:
            os.link(candidate, path)
        except FileExistsError:
            pass
        finally:
            candidate.unlink()
    return path.read_text().strip()
