"""Security headers on every response, and `Cache-Control: no-store` on case data.

The pages load their scripts and the stylesheet from `/static` and use no
inline script, style or event handler, so the Content-Security-Policy
allows only the service's own origin. The interactive API documentation
(`/api/docs`, flask-smorest's Swagger UI) needs its CDN and one inline
script and gets a policy of its own. Everything but static files is
either case data or depends on who asks, so it is never stored by a
browser or a proxy.
"""

from __future__ import annotations

from flask import Flask, Response, request

PAGE_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)
API_DOCS_PATH = "/api/docs"
_CDN = "https://cdn.jsdelivr.net"
API_DOCS_POLICY = "; ".join(
    (
        "default-src 'none'",
        f"script-src {_CDN} 'unsafe-inline'",
        f"style-src {_CDN} 'unsafe-inline'",
        f"img-src 'self' data: {_CDN}",
        "connect-src 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)
STATIC_PREFIX = "/static/"


def _add_headers(response: Response, *, behind_tls: bool) -> Response:
    headers = response.headers
    is_docs = request.path.rstrip("/") == API_DOCS_PATH
    headers["Content-Security-Policy"] = API_DOCS_POLICY if is_docs else PAGE_POLICY
    headers["X-Frame-Options"] = "DENY"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if behind_tls:
        headers["Strict-Transport-Security"] = "max-age=31536000"
    if not request.path.startswith(STATIC_PREFIX):
        headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask, *, behind_tls: bool) -> None:
    app.after_request(lambda response: _add_headers(response, behind_tls=behind_tls))
