"""Server-rendered pages for people: login, inspect, officer queue, case, dashboard.

The pages sit on the same API and auth as scripts: a person logs in once and
the session cookie authenticates both the pages and the API calls the pages
make (those carry the page's CSRF token in `X-CSRFToken`). Forms posted to
the pages are CSRF-checked here; the API checks its own callers, so the
app-wide default check is off and bearer-token clients are unaffected.
"""

from __future__ import annotations

from flask import Flask

from inspect_svc.web import auth_views, dashboard_views, inspect_views, queue_views
from inspect_svc.web.blueprint import bp, csrf
from inspect_svc.web.filters import register_filters

__all__ = ["bp", "init_app"]

_VIEW_MODULES = (auth_views, inspect_views, queue_views, dashboard_views)


def init_app(app: Flask) -> None:
    """Register the `web` blueprint, CSRF protection for its forms and the template filters."""
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    csrf.init_app(app)
    register_filters(app)
    app.register_blueprint(bp)
