#!/bin/bash
# Before/after issue 22 (families in one file): the density timing cells (bench/logdensity-cells.ts, tfjs
# autograd; bench/density-js-cells.ts, plain JS) on commit 71a46bc (main before the change) and on the
# working tree, in alternating processes so that the machine's load hits both. From the repository root
# after `npm run build`:  bash bench/families-before-after.sh [rounds=2] [chains...=16 256]
# Record the minimum per cell over the rounds in bench/families-before-after.md.
set -euo pipefail
rounds=${1:-2}; shift $(( $# < 1 ? $# : 1 )); chains=${*:-16 256}
root=$(pwd)
before=$(mktemp -d)/before
git worktree add --detach "$before" 71a46bc >/dev/null
trap 'git -C "$root" worktree remove --force "$before"' EXIT
ln -s "$(readlink -f "$root/node_modules")" "$before/node_modules"
cp "$root/bench/logdensity-cells.ts" "$root/bench/density-js-cells.ts" "$before/bench/"
(cd "$before" && npx tsc -p tsconfig.json >/dev/null || true)
for r in $(seq 1 "$rounds"); do
  for tree in "$before" "$root"; do
    label=$([ "$tree" = "$root" ] && echo after || echo before)
    echo "# $label round $r · load $(cut -d' ' -f1-3 /proc/loadavg) · $(date -u +%FT%TZ)"
    (cd "$tree" && echo "## tfjs wasm" && node dist/bench/logdensity-cells.js wasm $chains && echo "## js" && node dist/bench/density-js-cells.js $chains)
  done
done
