"""Gunicorn settings for `inspect-svc serve` (values come from the service settings)."""

import multiprocessing
import os
import shutil
import tempfile

from prometheus_client import multiprocess

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

# Metrics from all workers are summed through a shared folder.
_metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or tempfile.mkdtemp(
    prefix="inspect-metrics-"
)
os.environ["PROMETHEUS_MULTIPROC_DIR"] = _metrics_dir


def on_starting(server):
    for name in os.listdir(_metrics_dir):
        os.unlink(os.path.join(_metrics_dir, name))


def child_exit(server, worker):
    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    shutil.rmtree(_metrics_dir, ignore_errors=True)
