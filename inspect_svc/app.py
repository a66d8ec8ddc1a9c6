"""Application factory."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from inspect_svc import current, json_depth, observability, security_headers
from inspect_svc.api import register_api
from inspect_svc.db import db
from inspect_svc.problems import register_error_handlers
from inspect_svc.settings import Settings, load_settings
from inspect_svc.web import init_app as init_web


def create_app(settings: Settings | None = None) -> Flask:
    """Build the service for `settings` (default: loaded from config and environment)."""
    settings = settings or load_settings()
    instance = settings.instance_dir
    app = Flask(__name__, instance_path=str(instance))
    instance.mkdir(parents=True, exist_ok=True)
    server, auth = settings.server, settings.auth
    app.config.update(
        SECRET_KEY=server.secret_key or _instance_secret(instance),
        MAX_CONTENT_LENGTH=server.max_body_bytes,
        DEBUG=server.debug,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=auth.cookies_secure(server.behind_tls),
        # The cookie (and its signature's max age) lasts the idle timeout and is
        # renewed by each request; `browser_session` enforces both timeouts.
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=auth.session_minutes),
        WTF_CSRF_TIME_LIMIT=None,
    )
    if server.trusted_proxies:
        hops = server.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    current.init_app(app, settings)
    observability.init_app(app)
    security_headers.init_app(app, behind_tls=server.behind_tls)
    db.init_app(app, settings)
    register_error_handlers(app)
    register_api(app)
    json_depth.init_app(app)
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
