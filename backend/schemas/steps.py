"""The short form each field step carries (`form` of a transition), one schema per step."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

_TEXT = validate.Length(max=500)


class _Form(Schema):
    class Meta:
        unknown = RAISE


class InterceptedForm(_Form):
    """Where and how the truck was stopped."""

    place = fields.String(validate=_TEXT, load_default=None)
    plate_seen = fields.String(validate=validate.Length(max=16), load_default=None)


class MissedForm(_Form):
    """Where the truck went when it could not be stopped (the reason says why)."""

    went = fields.String(required=True, validate=validate.Length(min=1, max=500),
                         metadata={"description": "direction, road or place the truck was last seen heading to"})


class InspectionForm(_Form):
    """The inspection (检查): credentials shown to the driver, documents checked, the driver's statement."""

    credentials_shown = fields.Boolean(required=True)
    driver_name = fields.String(validate=validate.Length(max=60), load_default=None)
    documents_checked = fields.List(fields.String(validate=validate.Length(max=60)),
                                    validate=validate.Length(max=10), load_default=list)
    driver_statement = fields.String(validate=validate.Length(max=2000), load_default=None)

    @validates_schema
    def _credentials(self, data: dict[str, Any], **_: Any) -> None:
        if not data.get("credentials_shown"):
            raise ValidationError("officers show their enforcement credentials before an inspection",
                                  "credentials_shown")


class ReweighForm(_Form):
    """The static re-weigh (复检) at a checkpoint scale."""

    ticket_no = fields.String(required=True, validate=validate.Length(min=1, max=64))
    scale_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    gross_kg = fields.Float(required=True, allow_nan=False,
                            validate=validate.Range(min=0, min_inclusive=False, max=200_000))
    axles = fields.Integer(strict=True, validate=validate.Range(min=2, max=12), load_default=None,
                           metadata={"description": "counted on the spot; needed when the truck's record has none"})


class InventoryItem(_Form):
    """One line of a seizure inventory (扣押清单)."""

    item = fields.String(required=True, validate=validate.Length(min=1, max=120))
    quantity = fields.Float(required=True, allow_nan=False, validate=validate.Range(min=0, min_inclusive=False))
    unit = fields.String(required=True, validate=validate.Length(min=1, max=16))


class DisposalForm(_Form):
    """The disposal (处置): what each kind needs is checked in `_by_kind` against the transition's disposal."""

    unloaded_kg = fields.Float(allow_nan=False, validate=validate.Range(min=0, min_inclusive=False, max=200_000),
                               load_default=None)
    new_ticket_no = fields.String(validate=validate.Length(max=64), load_default=None)
    decision_no = fields.String(validate=validate.Length(max=64), load_default=None)
    inventory = fields.List(fields.Nested(InventoryItem), validate=validate.Length(max=50), load_default=list)
    approved_by = fields.String(validate=validate.Length(max=60), load_default=None)
    penalty_yuan = fields.Integer(strict=True, validate=validate.Range(min=0, max=1_000_000), load_default=None)
    party_signed = fields.Boolean(load_default=None)
    refusal_noted = fields.String(validate=_TEXT, load_default=None)


class BacktrackForm(_Form):
    """Opening a source backtrack case (倒查) against the source unit."""

    summary = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    weighing_found = fields.Boolean(required=True,
                                    metadata={"description": "false: the site has no record of this departure"})


FORMS: dict[str, type[Schema]] = {
    "intercepted": InterceptedForm, "missed": MissedForm, "inspecting": InspectionForm,
    "reweighed": ReweighForm, "disposed": DisposalForm, "source_traced": BacktrackForm,
}
_NEEDS = {
    "unloaded": ("unloaded_kg",),
    "seized": ("decision_no", "inventory"),
    "released_with_penalty": ("decision_no", "penalty_yuan"),
}


def load_form(to: str, disposal: str | None, data: dict[str, Any] | None) -> dict[str, Any]:
    """The step's form checked against its schema: every step that has a form needs it (only
    'intercepted' may go without), steps without one take none, and errors are keyed `form.<field>`."""
    schema = FORMS.get(to)
    if schema is None:
        if data:
            raise ValidationError({"form": [f"'{to}' takes no form"]})
        return {}
    if data is None and to == "intercepted":
        return {}
    try:
        form: dict[str, Any] = schema().load(data or {})
    except ValidationError as exc:
        raise ValidationError({"form": exc.messages}) from exc
    if to == "disposed" and disposal in _NEEDS:
        missing = {name: [f"needed for a '{disposal}' disposal"] for name in _NEEDS[disposal] if not form.get(name)}
        if disposal == "seized" and not (form.get("party_signed") or form.get("refusal_noted")):
            missing["party_signed"] = ["the party signs the on-site record, or the refusal is noted"]
        if missing:
            raise ValidationError({"form": missing})
    return form
