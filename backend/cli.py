"""flask commands: demo data and traffic, geofence import/export, audit verification, keys and users."""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from backend.extensions import db

demo_cli = AppGroup("demo", help="Demo data and simulated traffic.")
fence_cli = AppGroup("geofence", help="Import and export GeoJSON fence sets.")
audit_cli = AppGroup("audit", help="The tamper-evident audit log.")
admin_cli = AppGroup("admin", help="Users, source-site and feed keys.")


@demo_cli.command("seed")
def demo_seed() -> None:
    """Create the demo teams, users, fences, sites and feed (idempotent)."""
    from backend.services import demo

    result = demo.seed()
    click.echo("demo data created" if result["created"] else "demo data already present")


@demo_cli.command("simulate")
@click.option("--url", default="http://127.0.0.1:5000", show_default=True, help="Server to post to.")
@click.option("--trucks", default=12, show_default=True, help="Trucks on the road at once.")
@click.option("--speedup", default=10.0, show_default=True, help="Simulated seconds per real second.")
@click.option("--duration", default=0.0, help="Real seconds to run (0: until interrupted).")
@click.option("--seed", "rng_seed", default=7, show_default=True, help="Random seed.")
def demo_simulate(url: str, trucks: int, speedup: float, duration: float, rng_seed: int) -> None:
    """Replay trucks leaving the demo sites through the public ingest endpoints."""
    from backend.simulate import Simulator

    Simulator(url, trucks=trucks, speedup=speedup, seed=rng_seed).run(duration or None, echo=click.echo)


@fence_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--actor", default="cli", show_default=True)
def fence_import(path: Path, actor: str) -> None:
    """Import a FeatureCollection; a "team" property may name a team code instead of team_id."""
    from backend.domain.errors import Invalid
    from backend.services import fence_io

    try:
        created = fence_io.import_collection(json.loads(path.read_text(encoding="utf-8")), actor)
    except (Invalid, json.JSONDecodeError) as exc:
        detail = json.dumps(exc.extra.get("errors"), ensure_ascii=False) if isinstance(exc, Invalid) else str(exc)
        click.echo(f"nothing imported from {path}: {detail}", err=True)
        sys.exit(1)
    click.echo(f"imported {created} fences from {path}")


@fence_cli.command("export")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--kind", default=None, help="Only fences of this kind.")
def fence_export(path: Path | None, kind: str | None) -> None:
    """Write the live fences as a FeatureCollection (stdout without PATH)."""
    from backend.services import geofences

    text = json.dumps(geofences.collection(geofences.query(kind=kind)), ensure_ascii=False, indent=1)
    if path is None:
        click.echo(text)
    else:
        path.write_text(text, encoding="utf-8")
        click.echo(f"wrote {path}")


@audit_cli.command("verify")
def audit_verify() -> None:
    """Walk the whole chain; exit 1 naming the first broken entry."""
    from backend.services import audit

    result = audit.verify()
    if result.ok:
        click.echo(f"audit chain OK: {result.checked} entries, head {result.head_hash}")
        return
    click.echo(f"audit chain BROKEN at entry {result.broken_seq}: {result.reason} "
               f"({result.checked} entries verified before it)", err=True)
    sys.exit(1)


@admin_cli.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(["admin", "commander", "officer", "auditor"]), required=True)
@click.option("--team", "team_code", default=None, help="Team code (officers).")
@click.password_option()
def create_user(username: str, role: str, team_code: str | None, password: str) -> None:
    """Create a user with an argon2-hashed password."""
    from backend.services import admin

    admin.create_user(username, role, team_code, password)
    click.echo(f"user {username} created")


@admin_cli.command("new-key")
@click.argument("kind", type=click.Choice(["site", "feed"]))
@click.argument("code")
def new_key(kind: str, code: str) -> None:
    """Issue a fresh key for a site or feed (printed once; only its hash is stored)."""
    from backend.services import admin

    key = secrets.token_urlsafe(32)
    admin.set_key(kind, code, key)
    click.echo(key)


def register_cli(app: Flask) -> None:
    """Attach the command groups to the app."""
    for group in (demo_cli, fence_cli, audit_cli, admin_cli):
        app.cli.add_command(group)
    _ = db  # the commands run inside the app context Flask's CLI provides
