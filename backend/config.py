"""Typed settings read from the environment; fail fast when a production secret is missing."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("ZHICHAO_INSTANCE", ROOT / "instance"))


class ConfigError(RuntimeError):
    """A required setting is missing or malformed."""


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _tiles(name: str, key: str | None) -> str:
    if name not in ("osm", "tianditu"):
        raise ConfigError("ZHICHAO_TILES must be 'osm' or 'tianditu'")
    if name == "tianditu" and not key:
        raise ConfigError("ZHICHAO_TILES=tianditu needs ZHICHAO_TIANDITU_KEY (a 天地图 browser key)")
    return name


def _instance_secret(name: str) -> str:
    """Read or create a random secret kept in instance/ (embedded/demo mode only)."""
    INSTANCE.mkdir(parents=True, exist_ok=True)
    path = INSTANCE / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


@dataclass
class Settings:
    """Every setting the app reads, with its source in the environment."""

    database_url: str
    secret_key: str
    demo: bool = False
    access_token_minutes: int = 30
    refresh_token_days: int = 14
    max_body_bytes: int = 2 * 1024 * 1024
    max_fix_batch: int = 5000
    redis_url: str | None = None
    socketio_channel: str = "zhichao"
    accept_within_s: float = 180.0
    auto_dispatch_pct: float | None = None
    async_mode: str = "threading"
    alarm_codes: tuple[str, ...] | None = None
    alarm_dedup_s: float = 600.0
    evidence_dir: Path = INSTANCE / "evidence"
    max_photo_bytes: int = 20 * 1024 * 1024
    tiles: str = "osm"
    tianditu_key: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Build settings from the environment; production (ZHICHAO_DEMO unset) must name its secrets."""
        env = dict(os.environ if env is None else env)
        demo = _bool(env.get("ZHICHAO_DEMO"), False)
        url = env.get("DATABASE_URL") or ""
        secret = env.get("SECRET_KEY") or ""
        if not url:
            if not demo:
                raise ConfigError("DATABASE_URL is required (or set ZHICHAO_DEMO=1 for the embedded demo)")
            url = f"sqlite:///{INSTANCE / 'zhichao.sqlite'}"
        if not secret:
            if not demo:
                raise ConfigError("SECRET_KEY is required outside demo mode")
            secret = _instance_secret("secret_key")
        if len(secret) < 32:
            raise ConfigError("SECRET_KEY must be at least 32 characters (it signs the bearer tokens)")
        codes = env.get("ZHICHAO_ALARM_CODES")
        return cls(
            database_url=url,
            secret_key=secret,
            demo=demo,
            access_token_minutes=int(env.get("ACCESS_TOKEN_MINUTES", "30")),
            refresh_token_days=int(env.get("REFRESH_TOKEN_DAYS", "14")),
            redis_url=env.get("REDIS_URL") or None,
            socketio_channel=env.get("ZHICHAO_SOCKETIO_CHANNEL") or "zhichao",
            accept_within_s=float(env.get("ZHICHAO_ACCEPT_WITHIN_S", "180")),
            async_mode=env.get("ZHICHAO_ASYNC_MODE") or "threading",
            auto_dispatch_pct=float(env["ZHICHAO_AUTO_DISPATCH_PCT"]) if env.get("ZHICHAO_AUTO_DISPATCH_PCT") else None,
            alarm_codes=tuple(c.strip() for c in codes.split(",") if c.strip()) if codes else None,
            alarm_dedup_s=float(env.get("ZHICHAO_ALARM_DEDUP_S", "600")),
            evidence_dir=Path(env.get("ZHICHAO_EVIDENCE_DIR") or INSTANCE / "evidence"),
            max_photo_bytes=int(env.get("ZHICHAO_MAX_PHOTO_BYTES", str(20 * 1024 * 1024))),
            tiles=_tiles(env.get("ZHICHAO_TILES") or "osm", env.get("ZHICHAO_TIANDITU_KEY")),
            tianditu_key=env.get("ZHICHAO_TIANDITU_KEY") or None,
        )

    def flask_config(self) -> dict[str, Any]:
        """The Flask config mapping derived from these settings."""
        return {
            "SECRET_KEY": self.secret_key,
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            "MAX_CONTENT_LENGTH": self.max_body_bytes,
            "ZHICHAO": self,
            "API_TITLE": "Zhichao 治超 API",
            "API_VERSION": "v1",
            "OPENAPI_VERSION": "3.0.3",
            "OPENAPI_URL_PREFIX": "/api",
            "OPENAPI_JSON_PATH": "openapi.json",
            "OPENAPI_SWAGGER_UI_PATH": "docs",
            "OPENAPI_SWAGGER_UI_URL": "/vendor/swagger-ui/",
            "JSON_SORT_KEYS": False,
            **self.extra,
        }
