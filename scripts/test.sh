#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian machine, then run the whole suite.
# Usage: bash scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES="xvfb poppler-utils libnss3-tools libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0
  libxkbcommon-x11-0 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0
  libxcb-randr0 libegl1 libgl1 libfontconfig1 libdbus-1-3 fonts-dejavu-core postgresql sqlite3
  chromium chromium-driver"

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  missing=$(for p in $APT_PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
  if [ -n "$missing" ]; then
    echo "== installing Debian packages: $(echo $missing)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
echo "== installing the project with its dev, server and bundle extras"
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[dev,server,bundle]'

# PostgreSQL for the server tests: start the Debian cluster if there is one.
if [ -z "${ASSESSOR_TEST_PG_URL:-}" ] && command -v pg_lsclusters >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  read -r pgver pgport < <(pg_lsclusters -h | awk '$2=="main" {print $1, $3; exit}') || true
  if [ -n "${pgver:-}" ]; then
    pg_ctlcluster "$pgver" main start >/dev/null 2>&1 || true
    for _ in $(seq 1 30); do
      su postgres -c "psql -p $pgport -tAc 'select 1'" >/dev/null 2>&1 && break
      sleep 1
    done
    su postgres -c "psql -p $pgport -tAc \"select 1 from pg_roles where rolname='assessor'\"" | grep -q 1 ||
      su postgres -c "psql -p $pgport -c \"create role assessor login password 'assessor' createdb\"" >/dev/null
    export ASSESSOR_TEST_PG_URL="postgresql+psycopg://assessor:assessor@127.0.0.1:$pgport/postgres"
    echo "== PostgreSQL $pgver on port $pgport"
  fi
fi

export QT_QPA_PLATFORM=offscreen
echo "== running the test suite"
exec .venv/bin/python -m pytest "$@"
