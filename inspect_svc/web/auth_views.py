"""Login and logout pages."""

from __future__ import annotations

from flask import make_response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from inspect_svc.web.access import attempt_login, log_in, log_out, page_user, safe_next
from inspect_svc.web.blueprint import bp


@bp.get("/")
def home() -> Response:
    return redirect(url_for("web.inspect"))


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str:
    target = safe_next(request.values.get("next"))
    if request.method == "GET":
        if page_user() is not None:
            return redirect(target)
        return render_template("login.html", next=target, name="", error=None)
    name = request.form.get("name", "").strip()
    attempt = attempt_login(name, request.form.get("password", ""), request.remote_addr or "-")
    if attempt.retry_after:
        error = f"Too many failed logins; try again in {attempt.retry_after} seconds."
        page = render_template("login.html", next=target, name=name, error=error)
        return make_response(page, 429, {"Retry-After": str(attempt.retry_after)})
    if attempt.user is None:
        error = "Unknown name or wrong password."
        page = render_template("login.html", next=target, name=name, error=error)
        return make_response(page, 401)
    log_in(attempt.user)
    return redirect(target)


@bp.post("/logout")
def logout() -> Response:
    log_out()
    return redirect(url_for("web.login"))
