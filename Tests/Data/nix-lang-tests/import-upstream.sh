#!/usr/bin/env bash
# Re-imports the C++ Nix language tests from a Nix source checkout:
#   Tests/Data/nix-lang-tests/import-upstream.sh /path/to/nix
# Replaces lang/ (symlinks kept as symlinks) and upstream-lang.sh, and writes the checkout's
# commit into README.md. MANIFEST.tsv is left as it is: add rows for new tests (their result
# under the reference Nix, see README.md) before the test suite can run them.
set -euo pipefail
src=${1:?usage: import-upstream.sh NIX-CHECKOUT}
here=$(cd "$(dirname "$0")" && pwd)
[ -d "$src/tests/functional/lang" ] || { echo "no tests/functional/lang in $src" >&2; exit 1; }
commit=$(git -C "$src" rev-parse HEAD)
lang_commit=$(git -C "$src" log -1 --format=%H -- tests/functional/lang)
rm -rf "$here/lang"
cp -a "$src/tests/functional/lang" "$here/lang"
cp "$src/tests/functional/lang.sh" "$here/upstream-lang.sh"
[ -f "$src/COPYING" ] && cp "$src/COPYING" "$here/COPYING"
perl -0pi -e "s/commit \`[0-9a-f]{40}\`/commit \`$commit\`/; s/last changed in commit(\s+)\`[0-9a-f]{40}\`/last changed in commit\$1\`$lang_commit\`/" "$here/README.md"
echo "imported $commit (lang last changed in $lang_commit)"
echo "symlinks:"; (cd "$here/lang" && find . -type l -printf '  %p -> %l\n')
echo "tests without a MANIFEST.tsv row:"
(cd "$here" && for f in lang/eval-*.nix lang/parse-*.nix; do id=${f%.nix}; grep -q -P "^\Q$id\E(\.xml)?\t" MANIFEST.tsv || echo "  $id"; done)
