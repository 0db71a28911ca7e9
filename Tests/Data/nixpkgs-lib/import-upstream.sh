#!/usr/bin/env bash
# Re-imports nixpkgs lib from a nixpkgs (or nixpkgs.lib) checkout:
#   Tests/Data/nixpkgs-lib/import-upstream.sh /path/to/nixpkgs
# Replaces lib/ (symlinks kept) and COPYING, and writes the checkout's commit into README.md.
set -euo pipefail
src=${1:?usage: import-upstream.sh NIXPKGS-CHECKOUT}
here=$(cd "$(dirname "$0")" && pwd)
[ -f "$src/lib/default.nix" ] || { echo "no lib/default.nix in $src" >&2; exit 1; }
commit=$(git -C "$src" rev-parse HEAD)
rm -rf "$here/lib"
cp -a "$src/lib" "$here/lib"
cp "$src/COPYING" "$here/COPYING"
perl -0pi -e "s/commit \`[0-9a-f]{40}\`/commit \`$commit\`/" "$here/README.md"
echo "imported $commit (lib version $(cat "$here/lib/.version"))"
