"""initial schema: organisations, fences with history, weighings, fixes, warnings, audit log

Reviewed by hand: PostGIS is enabled first; spatial tables and indexes go through GeoAlchemy2's
helpers so they are right on SpatiaLite too; the audit log refuses UPDATE and DELETE by trigger.

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 04:32:50.710619
"""

from alembic import op
import sqlalchemy as sa
import geoalchemy2
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


AUDIT_GUARD_PG = """
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
"""
AUDIT_GUARD_SQLITE = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused'); END",
)


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.create_table('alarms',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('plate', sa.String(length=16), nullable=False),
    sa.Column('plate_color', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=48), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('level', sa.Integer(), nullable=True),
    sa.Column('identifier', sa.String(length=32), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('jurisdiction_id', sa.Integer(), nullable=True),
    sa.Column('warning_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alarms'))
    )
    op.create_index('ix_alarms_vehicle_code_at', 'alarms', ['plate', 'plate_color', 'code', 'at'], unique=False)
    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head'))
    )
    op.create_table('audit_log',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=96), nullable=False),
    sa.Column('action', sa.String(length=48), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=True),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_log')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_log_hash'))
    )
    op.create_index(op.f('ix_audit_log_action'), 'audit_log', ['action'], unique=False)
    op.create_table('enterprises',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprises')),
    sa.UniqueConstraint('code', name=op.f('uq_enterprises_code'))
    )
    op.create_table('feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('api_key_hash', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feeds')),
    sa.UniqueConstraint('api_key_hash', name=op.f('uq_feeds_api_key_hash')),
    sa.UniqueConstraint('code', name=op.f('uq_feeds_code'))
    )
    op.create_table('fence_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('stamp', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fence_state'))
    )
    op.create_table('fixes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('feed_id', sa.Integer(), nullable=False),
    sa.Column('plate', sa.String(length=16), nullable=False),
    sa.Column('plate_color', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('speed_kmh', sa.Float(), nullable=False),
    sa.Column('heading', sa.Float(), nullable=False),
    sa.Column('alarm_flags', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('status_flags', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('jurisdiction_id', sa.Integer(), nullable=True),
    sa.Column('extra', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fixes')),
    sa.UniqueConstraint('plate', 'plate_color', 'at', name='uq_fixes_vehicle_at')
    )
    op.create_table('teams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teams')),
    sa.UniqueConstraint('code', name=op.f('uq_teams_code'))
    )
    op.create_geospatial_table('vehicle_positions',
    sa.Column('plate', sa.String(length=16), nullable=False),
    sa.Column('plate_color', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('speed_kmh', sa.Float(), nullable=False),
    sa.Column('heading', sa.Float(), nullable=False),
    sa.Column('alarm_flags', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('status_flags', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('jurisdiction_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('plate', 'plate_color', name=op.f('pk_vehicle_positions'))
    )
    op.create_geospatial_index('idx_vehicle_positions_geom', 'vehicle_positions', ['geom'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_geospatial_table('geofences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('valid', sa.Boolean(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=True),
    sa.Column('properties', sa.JSON(), nullable=False),
    sa.Column('geom', Geometry(geometry_type='MULTIPOLYGON', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_geofences_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_geofences'))
    )
    op.create_geospatial_index('idx_geofences_geom', 'geofences', ['geom'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_geofences_code'), 'geofences', ['code'], unique=False)
    op.create_index(op.f('ix_geofences_kind'), 'geofences', ['kind'], unique=False)
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_users_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('vehicles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plate', sa.String(length=16), nullable=False),
    sa.Column('plate_color', sa.Integer(), nullable=False),
    sa.Column('axles', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=True),
    sa.Column('single_drive_axle', sa.Boolean(), nullable=False),
    sa.Column('licensed_gross_kg', sa.Float(), nullable=True),
    sa.Column('owner_enterprise_id', sa.Integer(), nullable=True),
    sa.Column('terminal_phone', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['owner_enterprise_id'], ['enterprises.id'], name=op.f('fk_vehicles_owner_enterprise_id_enterprises')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vehicles')),
    sa.UniqueConstraint('plate', 'plate_color', name=op.f('uq_vehicles_plate'))
    )
    op.create_geospatial_table('geofence_versions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('geofence_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('change', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('valid', sa.Boolean(), nullable=False),
    sa.Column('properties', sa.JSON(), nullable=False),
    sa.Column('geom', Geometry(geometry_type='MULTIPOLYGON', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('changed_by', sa.String(length=64), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['geofence_id'], ['geofences.id'], name=op.f('fk_geofence_versions_geofence_id_geofences')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_geofence_versions')),
    sa.UniqueConstraint('geofence_id', 'version', name=op.f('uq_geofence_versions_geofence_id'))
    )
    op.create_geospatial_index('idx_geofence_versions_geom', 'geofence_versions', ['geom'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_geofence_versions_geofence_id'), 'geofence_versions', ['geofence_id'], unique=False)
    op.create_table('refresh_tokens',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_refresh_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refresh_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_refresh_tokens_token_hash'))
    )
    op.create_index(op.f('ix_refresh_tokens_user_id'), 'refresh_tokens', ['user_id'], unique=False)
    op.create_geospatial_table('source_sites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('location', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('site_fence_id', sa.Integer(), nullable=True),
    sa.Column('tolerance_kg', sa.Float(), nullable=False),
    sa.Column('tolerance_pct', sa.Float(), nullable=False),
    sa.Column('api_key_hash', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_source_sites_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['site_fence_id'], ['geofences.id'], name=op.f('fk_source_sites_site_fence_id_geofences')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source_sites')),
    sa.UniqueConstraint('api_key_hash', name=op.f('uq_source_sites_api_key_hash')),
    sa.UniqueConstraint('code', name=op.f('uq_source_sites_code'))
    )
    op.create_geospatial_index('idx_source_sites_location', 'source_sites', ['location'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_source_sites_enterprise_id'), 'source_sites', ['enterprise_id'], unique=False)
    op.create_table('scales',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('certificate_no', sa.String(length=64), nullable=True),
    sa.Column('certificate_expires', sa.Date(), nullable=True),
    sa.Column('device_class', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['source_sites.id'], name=op.f('fk_scales_site_id_source_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scales')),
    sa.UniqueConstraint('site_id', 'code', name=op.f('uq_scales_site_id'))
    )
    op.create_table('warnings',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('trigger', sa.String(length=48), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('plate', sa.String(length=16), nullable=False),
    sa.Column('plate_color', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('weighing_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('alarm_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('jurisdiction_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('details', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['source_sites.id'], name=op.f('fk_warnings_site_id_source_sites')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_warnings_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_warnings'))
    )
    op.create_index(op.f('ix_warnings_status'), 'warnings', ['status'], unique=False)
    op.create_index(op.f('ix_warnings_team_id'), 'warnings', ['team_id'], unique=False)
    op.create_index('ix_warnings_vehicle_status', 'warnings', ['plate', 'plate_color', 'status'], unique=False)
    op.create_table('weighings',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.String(length=128), nullable=False),
    sa.Column('body_sha256', sa.String(length=64), nullable=False),
    sa.Column('raw', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('plate', sa.String(length=16), nullable=False),
    sa.Column('plate_color', sa.Integer(), nullable=False),
    sa.Column('axles', sa.Integer(), nullable=False),
    sa.Column('vehicle_kind', sa.String(length=16), nullable=True),
    sa.Column('gross_kg', sa.Float(), nullable=False),
    sa.Column('tare_kg', sa.Float(), nullable=True),
    sa.Column('weighed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('limit_kg', sa.Integer(), nullable=False),
    sa.Column('tolerance_kg', sa.Float(), nullable=False),
    sa.Column('excess_kg', sa.Float(), nullable=False),
    sa.Column('excess_pct', sa.Float(), nullable=False),
    sa.Column('overloaded', sa.Boolean(), nullable=False),
    sa.Column('rule_version', sa.String(length=64), nullable=False),
    sa.Column('evaluation', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('warning_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('response', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['source_sites.id'], name=op.f('fk_weighings_site_id_source_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_weighings')),
    sa.UniqueConstraint('site_id', 'record_id', name=op.f('uq_weighings_site_id'))
    )
    op.create_index(op.f('ix_weighings_overloaded'), 'weighings', ['overloaded'], unique=False)
    op.create_index(op.f('ix_weighings_plate'), 'weighings', ['plate'], unique=False)
    op.create_index(op.f('ix_weighings_weighed_at'), 'weighings', ['weighed_at'], unique=False)
    op.create_table('warning_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('warning_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('from_team_id', sa.Integer(), nullable=True),
    sa.Column('to_team_id', sa.Integer(), nullable=True),
    sa.Column('from_jurisdiction_id', sa.Integer(), nullable=True),
    sa.Column('to_jurisdiction_id', sa.Integer(), nullable=True),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['warning_id'], ['warnings.id'], name=op.f('fk_warning_events_warning_id_warnings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_warning_events'))
    )
    op.create_index(op.f('ix_warning_events_warning_id'), 'warning_events', ['warning_id'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(AUDIT_GUARD_PG)
    else:
        for statement in AUDIT_GUARD_SQLITE:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    op.drop_index(op.f('ix_warning_events_warning_id'), table_name='warning_events')
    op.drop_table('warning_events')
    op.drop_index(op.f('ix_weighings_weighed_at'), table_name='weighings')
    op.drop_index(op.f('ix_weighings_plate'), table_name='weighings')
    op.drop_index(op.f('ix_weighings_overloaded'), table_name='weighings')
    op.drop_table('weighings')
    op.drop_index('ix_warnings_vehicle_status', table_name='warnings')
    op.drop_index(op.f('ix_warnings_team_id'), table_name='warnings')
    op.drop_index(op.f('ix_warnings_status'), table_name='warnings')
    op.drop_table('warnings')
    op.drop_table('scales')
    op.drop_index(op.f('ix_source_sites_enterprise_id'), table_name='source_sites')
    op.drop_geospatial_index('idx_source_sites_location', table_name='source_sites', postgresql_using='gist', column_name='location')
    op.drop_geospatial_table('source_sites')
    op.drop_index(op.f('ix_refresh_tokens_user_id'), table_name='refresh_tokens')
    op.drop_table('refresh_tokens')
    op.drop_index(op.f('ix_geofence_versions_geofence_id'), table_name='geofence_versions')
    op.drop_geospatial_index('idx_geofence_versions_geom', table_name='geofence_versions', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('geofence_versions')
    op.drop_table('vehicles')
    op.drop_table('users')
    op.drop_index(op.f('ix_geofences_kind'), table_name='geofences')
    op.drop_index(op.f('ix_geofences_code'), table_name='geofences')
    op.drop_geospatial_index('idx_geofences_geom', table_name='geofences', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('geofences')
    op.drop_geospatial_index('idx_vehicle_positions_geom', table_name='vehicle_positions', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('vehicle_positions')
    op.drop_table('teams')
    op.drop_table('fixes')
    op.drop_table('fence_state')
    op.drop_table('feeds')
    op.drop_table('enterprises')
    op.drop_index(op.f('ix_audit_log_action'), table_name='audit_log')
    op.drop_table('audit_log')
    op.drop_table('audit_head')
    op.drop_index('ix_alarms_vehicle_code_at', table_name='alarms')
    op.drop_table('alarms')
