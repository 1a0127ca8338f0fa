"""marshmallow schemas, one module per resource: every boundary validates with these."""

from typing import Any, cast

from marshmallow import ValidationError


def field_errors(exc: ValidationError) -> dict[str, Any]:
    """The field-level messages of a marshmallow error, as {field: [messages]}."""
    return cast(dict[str, Any], exc.normalized_messages())
