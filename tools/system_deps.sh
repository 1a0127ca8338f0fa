#!/usr/bin/env bash
# Install the system packages Zhichao needs (as root), or print the exact command (otherwise).
# --test adds what the suite needs beyond the demo: PostGIS for the PostgreSQL server, and Chromium.
set -euo pipefail
need=()
[ -e /usr/lib/x86_64-linux-gnu/mod_spatialite.so ] || [ -e /usr/lib/aarch64-linux-gnu/mod_spatialite.so ] \
  || need+=(libsqlite3-mod-spatialite)
command -v npm >/dev/null || need+=(npm)
if [ "${1:-}" = "--test" ]; then
  pgver=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
  pgver=${pgver:-15}
  [ -e "/usr/share/postgresql/$pgver/extension/postgis.control" ] || need+=("postgresql-$pgver-postgis-3")
  command -v chromium >/dev/null || need+=(chromium)
  [ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "installing system packages: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "missing system packages: ${need[*]}" >&2
  echo "install them with: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
