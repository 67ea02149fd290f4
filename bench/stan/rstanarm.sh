#!/bin/sh
# Runs bench/stan/rstanarm.R on each model (default: all of bench/latency.ts), one process at a time, and
# prints one JSON line per model with the process wall seconds (Rscript start to exit) added.
# Usage (repository root): sh bench/stan/rstanarm.sh [model...] > bench/stan/rstanarm.jsonl
models=${*:-"rcbd rcbd_nb beitler cbpp seeds lots_visible salamanders_nb epilepsy verbagg"}
for m in $models; do
  t0=$(date +%s.%N)
  line=$(Rscript bench/stan/rstanarm.R "$m" 2>/dev/null | tail -1)
  t1=$(date +%s.%N)
  echo "$line" | sed "s/}\$/, \"process_seconds\": $(echo "$t1 - $t0" | bc | awk '{printf "%.2f", $1}'), \"load\": \"$(cut -d' ' -f1 /proc/loadavg)\", \"date\": \"$(date -u +%Y-%m-%dT%H:%MZ)\"}/"
done
