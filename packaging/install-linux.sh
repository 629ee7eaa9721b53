#!/usr/bin/env bash
# Install the built bundle for the current user (no root needed):
#   dist/assessor            -> ~/.local/opt/assessor          (replaced as a whole; data is elsewhere)
#   bin/assessor (symlink)   -> ~/.local/bin/assessor
#   packaging/assessor.desktop -> ~/.local/share/applications/assessor.desktop (Exec= absolute path)
#   resources/icons/assessor-N.png -> ~/.local/share/icons/hicolor/NxN/apps/assessor.png
# Usage: bash packaging/install-linux.sh [BUNDLE_DIR]   (PREFIX=... instead of ~/.local)
# The data folder (~/.local/share/assessor) is never touched: a newer build opens it and migrates
# it, keeping a copy of the database first (assessor.db.before-vN-*.bak).
set -euo pipefail
# Two layouts: the source tree (packaging/install-linux.sh, the bundle in dist/assessor) and the
# tarball of `make tarball` (install-linux.sh beside assessor/ and assessor.desktop).
script_dir="$(cd "$(dirname "$0")" && pwd)"
if [ -n "${1:-}" ]; then bundle="$1"
elif [ -x "$script_dir/assessor/assessor" ]; then bundle="$script_dir/assessor"
else bundle="$script_dir/../dist/assessor"
fi
[ -x "$bundle/assessor" ] || { echo "no bundle at $bundle: run 'make bundle' first" >&2; exit 2; }
bundle="$(cd "$bundle" && pwd)"
desktop_file="$script_dir/assessor.desktop"
icons="$bundle/_internal/resources/icons"    # the bundle carries its icons
prefix="${PREFIX:-$HOME/.local}"
target="$prefix/opt/assessor"

echo "== checking the bundle before installing it"
"$bundle/assessor" --self-test --no-gui >/dev/null || {
  echo "the bundle's self-test failed; run '$bundle/assessor --self-test' to see why" >&2; exit 1; }

mkdir -p "$prefix/opt" "$prefix/bin" "$prefix/share/applications"
tmp="$target.new.$$"
rm -rf "$tmp"
cp -a "$bundle" "$tmp"
rm -rf "$target.old"
[ -d "$target" ] && mv "$target" "$target.old"
mv "$tmp" "$target"
rm -rf "$target.old"
ln -sfn "$target/assessor" "$prefix/bin/assessor"

for size in 16 24 32 48 64 128 256; do
  dir="$prefix/share/icons/hicolor/${size}x${size}/apps"
  mkdir -p "$dir"
  cp "$icons/assessor-$size.png" "$dir/assessor.png"
done
mkdir -p "$prefix/share/icons/hicolor/scalable/apps"
cp "$icons/assessor.svg" "$prefix/share/icons/hicolor/scalable/apps/assessor.svg"

sed -e "s|^Exec=assessor|Exec=\"$target/assessor\"|" -e "s|^TryExec=assessor|TryExec=$target/assessor|" \
  "$desktop_file" > "$prefix/share/applications/assessor.desktop"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$prefix/share/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$prefix/share/icons/hicolor" || true

echo "installed Assessor $("$target/assessor" --version | awk '{print $2}') in $target"
echo "menu entry: $prefix/share/applications/assessor.desktop; command: $prefix/bin/assessor"
