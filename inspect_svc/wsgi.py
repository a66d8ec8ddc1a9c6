"""WSGI entry point for gunicorn: `inspect_svc.wsgi:app`."""

from inspect_svc.app import create_app
from inspect_svc.observability import configure_logging
from inspect_svc.settings import load_settings

_settings = load_settings()
configure_logging(_settings.server.log_level)
app = create_app(_settings)
