"""Gunicorn settings for `inspect-svc serve` (values come from the service settings)."""

import multiprocessing

from inspect_svc.metrics_dir import prepare, release
from inspect_svc.settings import load_settings

_settings = load_settings()

bind = _settings.server.bind
workers = _settings.server.workers or multiprocessing.cpu_count() * 2 + 1
worker_class = "sync"
timeout = 30
graceful_timeout = 20
keepalive = 5
# Bounded request line and header sizes; the body limit is enforced by the app.
limit_request_line = 8190
limit_request_fields = 100
accesslog = None  # the app writes structured access logs itself
errorlog = "-"
loglevel = _settings.server.log_level.lower()

# Metrics from all workers are summed through a shared folder, which must be
# announced before prometheus_client is imported (by the workers, not here).
_metrics = prepare(_settings.instance_dir)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    release(_metrics)
