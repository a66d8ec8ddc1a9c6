"""Refuse JSON request bodies nested deeper than `server.max_json_depth`.

Python's JSON parser recurses once per level, so about a thousand nested
arrays end in RecursionError (a 500) wherever a body is parsed: Flask's
`get_json`, webargs, or later code walking the document. The body is
therefore measured before any view runs, without parsing it: string
literals are cut out and the brackets that remain are counted.

Views that take a whole document (``document_body.takes_document``) are left
out: they stream their body through a parser that refuses the same depth with
the same problem (``too_deep``), without reading the body whole first.
"""

from __future__ import annotations

import re
from itertools import accumulate

from flask import Flask, request

from inspect_svc.current import settings
from inspect_svc.document_body import document_limit
from inspect_svc.problems import Problem

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def nesting_depth(body: bytes) -> int:
    """The deepest nesting of arrays and objects in a JSON text (brackets in strings ignored).

    >>> nesting_depth(b'{"a": [1, {"b": "[[["}]}')
    3
    >>> nesting_depth(b'"plain"')
    0
    """
    brackets = _NOT_BRACKET.sub(b"", _STRING.sub(b"", body))
    return max(accumulate(_STEP[c] for c in brackets), default=0)


def too_deep(limit: int, depth: int | None = None) -> Problem:
    """The 400 problem for a body nested ``depth`` levels (None: beyond the limit, unmeasured)."""
    levels = f"{depth} levels" if depth is not None else f"more than {limit} levels"
    return Problem(
        400,
        f"The JSON body is nested {levels} deep; at most {limit} are accepted.",
        problem="json-too-deep",
        errors={"body": [f"nested deeper than {limit} levels"]},
    )


def check_request_depth() -> None:
    """400 problem for a JSON body nested deeper than the configured limit."""
    has_body = request.content_length or request.headers.get("Transfer-Encoding")
    if not request.is_json or not has_body or document_limit() is not None:
        return
    limit = settings().server.max_json_depth
    body = request.get_data(cache=True)
    if body.count(b"[") + body.count(b"{") <= limit:
        return
    depth = nesting_depth(body)
    if depth > limit:
        raise too_deep(limit, depth)


def init_app(app: Flask) -> None:
    app.before_request(check_request_depth)
