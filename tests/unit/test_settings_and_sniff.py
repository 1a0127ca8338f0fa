"""Settings for evidence and map tiles, and recognising photos by their first bytes."""

from __future__ import annotations

import pytest

from backend.config import ConfigError, Settings
from backend.services.evidence import sniff

BASE = {"DATABASE_URL": "sqlite://", "SECRET_KEY": "x" * 40}


def test_tiles_default_to_openstreetmap_and_tianditu_needs_a_key():
    assert Settings.from_env(BASE).tiles == "osm"
    with pytest.raises(ConfigError, match="ZHICHAO_TIANDITU_KEY"):
        Settings.from_env({**BASE, "ZHICHAO_TILES": "tianditu"})
    with pytest.raises(ConfigError, match="osm"):
        Settings.from_env({**BASE, "ZHICHAO_TILES": "google"})
    settings = Settings.from_env({**BASE, "ZHICHAO_TILES": "tianditu", "ZHICHAO_TIANDITU_KEY": "k1"})
    assert (settings.tiles, settings.tianditu_key) == ("tianditu", "k1")


def test_evidence_settings(tmp_path):
    settings = Settings.from_env({**BASE, "ZHICHAO_EVIDENCE_DIR": str(tmp_path), "ZHICHAO_MAX_PHOTO_BYTES": "1000"})
    assert settings.evidence_dir == tmp_path and settings.max_photo_bytes == 1000


@pytest.mark.parametrize("head, mime", [
    (b"\xff\xd8\xff\xe1rest", "image/jpeg"), (b"\x89PNG\r\n\x1a\nrest", "image/png"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"), (b"\x00\x00\x00\x18ftypheic\x00", "image/heic"),
    (b"GIF89a", None), (b"%PDF-1.7", None), (b"", None)])
def test_sniff(head, mime):
    assert sniff(head) == mime
