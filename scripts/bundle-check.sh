#!/usr/bin/env bash
# Build the desktop bundle (dist/assessor) and prove it works: its --self-test headless, with the
# window on Qt's offscreen platform, and against a copy of the schema-1 data folder (upgrade with
# a backup). Also checks the size target. Takes a few minutes on 2 cores; .ci/run calls it when
# there is time. Usage: bash scripts/bundle-check.sh [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
MAX_MB=250

if [ "${1:-}" != "--no-build" ]; then
  if ! $PY -c "import PyInstaller" 2>/dev/null; then
    echo "== installing PyInstaller (the 'bundle' extra)"
    $PY -m pip install -q -e '.[bundle]'
  fi
  echo "== building dist/assessor (PyInstaller, build.spec)"
  start=$(date +%s)
  $PY -m PyInstaller --noconfirm --clean --log-level WARN build.spec
  echo "   built in $(( $(date +%s) - start )) s"
fi
exe=dist/assessor/assessor
[ -x "$exe" ] || exe=dist/assessor/assessor-cli
[ -x "$exe" ] || { echo "no bundle in dist/assessor" >&2; exit 1; }

size_mb=$(du -sm dist/assessor | cut -f1)
echo "== bundle size: ${size_mb} MB (target <= ${MAX_MB} MB)"
[ "$size_mb" -le "$MAX_MB" ] || { echo "the bundle is over ${MAX_MB} MB" >&2; exit 1; }

echo "== self-test without a display"
env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$exe" --self-test

echo "== self-test with the window (Qt offscreen platform)"
env -u DISPLAY -u WAYLAND_DISPLAY QT_QPA_PLATFORM=offscreen "$exe" --self-test

echo "== self-test on a copy of a schema-1 data folder (tests/fixtures/db-v1)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r tests/fixtures/db-v1 "$tmp/data"
env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$exe" --self-test --no-gui --data-dir "$tmp/data"
ls "$tmp"/data/assessor.db.before-v1-*.bak >/dev/null

echo "bundle check passed"
