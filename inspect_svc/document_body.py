"""Views that take a whole document as their body declare it where they are defined.

``@takes_document(max_bytes)`` on a view (or a method of a ``MethodView``)
marks it; the shared request checks read the mark for the request's endpoint:
the body may be up to the view's own limit instead of the server's
``max_body_bytes``, its content type is left to the view, and the up-front JSON
depth check (which reads the body whole) is skipped, because such a view
streams its document through a parser that bounds nesting itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, request

_MARK = "document_body_max_bytes"
View = TypeVar("View", bound=Callable[..., Any])


def takes_document(max_bytes: int) -> Callable[[View], View]:
    """Mark a view as taking a whole document of at most ``max_bytes``."""

    def mark(view: View) -> View:
        setattr(view, _MARK, max_bytes)
        return view

    return mark


def document_limit() -> int | None:
    """The body limit the current request's view declared, None for an ordinary view."""
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None:
        return None
    view_class = getattr(view, "view_class", None)
    handler = getattr(view_class, request.method.lower(), view) if view_class else view
    limit = getattr(handler, _MARK, None)
    return limit if isinstance(limit, int) else None
