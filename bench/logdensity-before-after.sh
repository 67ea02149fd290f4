#!/bin/bash
# The logdensity benchmark's before/after comparison (issue 17): the same timing code
# (bench/logdensity-cells.ts) on commit 4a03b90 (the last with the tape-less manualBody) and on the
# working tree, in alternating processes so that the machine's load hits both; prints the rows of each
# run with the load average. Usage, from the repository root after `npm run build`:
#   bash bench/logdensity-before-after.sh [backend=wasm] [rounds=3] [chains...=16 64 256 1024]
# Record the minimum per cell over the rounds in bench/logdensity-before-after.md.
set -euo pipefail
backend=${1:-wasm}; rounds=${2:-3}; shift $(( $# < 2 ? $# : 2 )); chains=${*:-16 64 256 1024}
root=$(pwd)
before=$(mktemp -d)/before
git worktree add --detach "$before" 4a03b90 >/dev/null
trap 'git -C "$root" worktree remove --force "$before"' EXIT
cp -al "$root/node_modules" "$before/node_modules"
cp "$root/bench/logdensity-cells.ts" "$before/bench/"
(cd "$before" && npx tsc -p tsconfig.json)
for r in $(seq 1 "$rounds"); do
  for tree in "$before" "$root"; do
    echo "# $([ "$tree" = "$root" ] && echo after || echo before) round $r · load $(cut -d' ' -f1-3 /proc/loadavg) · $(date -u +%FT%TZ)"
    (cd "$tree" && node dist/bench/logdensity-cells.js "$backend" $chains)
  done
done
