"""The inspect page: pick or create a shipment, scan packs, decide."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from marshmallow import ValidationError
from sqlalchemy import select
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from inspect_svc.api import MAX_ID
from inspect_svc.api.shipment_schemas import ShipmentCreateSchema
from inspect_svc.auth import Actor
from inspect_svc.current import settings, triage_runtime
from inspect_svc.db import db
from inspect_svc.models.triage import MODES, Shipment
from inspect_svc.triage.shipments import create_shipment, get_shipment
from inspect_svc.web.access import page_role, page_user
from inspect_svc.web.blueprint import bp
from inspect_svc.web.case_data import case_view

RECENT_SHIPMENTS = 25
_FORM_FIELDS = (
    "entry_number",
    "port_code",
    "mode",
    "origin_country",
    "manufacturer_name",
    "manufacturer_country",
)


@bp.get("/inspect")
@page_role("inspector")
def inspect() -> str:
    shipment_id = request.args.get("shipment", type=int)
    if shipment_id is not None and not 1 <= shipment_id <= MAX_ID:
        raise NotFound(f"No shipment with id {shipment_id}.")
    case = case_view(get_shipment(db.session, shipment_id)) if shipment_id else None
    return _render(case=case, form={"mode": "air"}, errors={})


@bp.post("/inspect/shipments")
@page_role("inspector")
def create_shipment_form() -> Response | tuple[str, int]:
    form = {name: request.form.get(name, "").strip() for name in _FORM_FIELDS}
    try:
        data = ShipmentCreateSchema().load(_shipment_body(form))
    except ValidationError as exc:
        return _render(case=None, form=form, errors=_flat_errors(exc.messages_dict)), 422
    user = page_user()
    assert user is not None  # guaranteed by page_role
    actor = Actor(user.id, user.name, user.role, "session")
    shipment = create_shipment(db.session, data, actor, triage_runtime())
    return redirect(url_for("web.inspect", shipment=shipment.id))


def _render(*, case: dict[str, Any] | None, form: dict[str, str], errors: dict[str, str]) -> str:
    recent = db.session.scalars(
        select(Shipment)
        .where(Shipment.status == "open")
        .order_by(Shipment.id.desc())
        .limit(RECENT_SHIPMENTS)
    ).all()
    return render_template(
        "inspect.html",
        case=case,
        recent=recent,
        modes=MODES,
        form=form,
        errors=errors,
        gs_substitutes=settings().scan.gs_substitutes,
    )


def _shipment_body(form: dict[str, str]) -> dict[str, Any]:
    manufacturer: dict[str, Any] = {"name": form["manufacturer_name"]}
    if form["manufacturer_country"]:
        manufacturer["country"] = form["manufacturer_country"].upper()
    return {
        "entry_number": form["entry_number"],
        "port_code": form["port_code"],
        "mode": form["mode"],
        "origin_country": form["origin_country"].upper(),
        "manufacturer": manufacturer,
    }


def _flat_errors(messages: dict[str, Any]) -> dict[str, str]:
    """Schema errors keyed by form field (`manufacturer.name` -> `manufacturer_name`)."""
    flat: dict[str, str] = {}
    for field, value in messages.items():
        if isinstance(value, dict):
            for inner, inner_value in _flat_errors(value).items():
                flat[f"{field}_{inner}"] = inner_value
        else:
            flat[field] = " ".join(str(v) for v in value)
    return flat
