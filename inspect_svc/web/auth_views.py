"""Login and logout pages."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from inspect_svc.web.access import authenticate, log_in, log_out, page_user, safe_next
from inspect_svc.web.blueprint import bp


@bp.get("/")
def home() -> Response:
    return redirect(url_for("web.inspect"))


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | tuple[str, int] | str:
    target = safe_next(request.values.get("next"))
    if request.method == "GET":
        if page_user() is not None:
            return redirect(target)
        return render_template("login.html", next=target, name="", error=None)
    name = request.form.get("name", "").strip()
    user = authenticate(name, request.form.get("password", ""))
    if user is None:
        error = "Unknown name or wrong password."
        return render_template("login.html", next=target, name=name, error=error), 401
    log_in(user)
    return redirect(target)


@bp.post("/logout")
def logout() -> Response:
    log_out()
    return redirect(url_for("web.login"))
