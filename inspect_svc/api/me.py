"""Who am I: the authenticated caller and the role it holds."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from inspect_svc.auth import current_actor, require_role

blp = Blueprint("me", __name__, url_prefix="/api/v1/me", description="The authenticated caller")


class ActorSchema(Schema):
    name = fields.String(required=True)
    role = fields.String(required=True)
    via = fields.String(required=True)


@blp.route("")
class Me(MethodView):
    @require_role("inspector")
    @blp.response(200, ActorSchema)
    def get(self) -> dict[str, Any]:
        actor = current_actor()
        return {"name": actor.name, "role": actor.role, "via": actor.via}
