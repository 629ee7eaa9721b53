#!/usr/bin/env bash
# Install Assessor on a fresh Debian/Ubuntu machine and start it.
# The first start of the desktop app asks for the inspector's name and offers the demo data.
# Without a display (a server, a container), it loads the demo and lists it instead.
# Usage: bash scripts/run.sh [assessor arguments, e.g. --data-dir DIR]
set -euo pipefail
cd "$(dirname "$0")/.."

# Qt's platform plugin needs these X11/Wayland client libraries and a font.
RUNTIME_PACKAGES="libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 libxcb-image0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libegl1 libgl1 libfontconfig1
  libdbus-1-3 fonts-dejavu-core poppler-utils"
if command -v apt-get >/dev/null 2>&1; then
  missing=$(for p in $RUNTIME_PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
  if [ -n "$missing" ]; then
    if [ "$(id -u)" = "0" ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="-"; fi
    if [ "$SUDO" != "-" ]; then
      echo "== installing Debian packages: $(echo $missing)"
      $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
    else
      echo "!! please install: $(echo $missing)" >&2
    fi
  fi
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
echo "== installing Assessor"
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e .

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "$(uname)" = "Linux" ]; then
  echo "== no display here: loading the demo data and listing it (run this on a desktop to get the app)"
  .venv/bin/assessor "$@" demo
  exec .venv/bin/assessor "$@" assessments list
fi
exec .venv/bin/assessor "$@"
