"""Alembic environment: the app's engine and metadata, with GeoAlchemy2's spatial helpers."""

from __future__ import annotations

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app
from geoalchemy2 import alembic_helpers

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

db = current_app.extensions["migrate"].db
SPATIALITE_INTERNAL = {"ElementaryGeometries", "SpatialIndex", "data_licenses", "KNN", "KNN2", "sql_statements_log"}


def include_object(obj, name, type_, reflected, compare_to):
    """Leave SpatiaLite's own tables alone; otherwise GeoAlchemy2's rules."""
    if type_ == "table" and reflected and compare_to is None and name in SPATIALITE_INTERNAL:
        return False
    return alembic_helpers.include_object(obj, name, type_, reflected, compare_to)
target_metadata = db.metadata


def run_migrations_offline() -> None:
    context.configure(url=str(db.engine.url), target_metadata=target_metadata, literal_binds=True,
                      include_object=include_object,
                      process_revision_directives=alembic_helpers.writer,
                      render_item=alembic_helpers.render_item)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    with db.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          include_object=include_object,
                          process_revision_directives=alembic_helpers.writer,
                          render_item=alembic_helpers.render_item,
                          render_as_batch=connection.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
