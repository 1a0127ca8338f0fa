"""marshmallow schemas, one module per resource: every boundary validates with these."""
