#!/bin/sh
# The README's headless results table: every algorithm × seeds 1–5 with `npm run train`, one after
# another (never two at once on the shared cores), each run's summary line appended to
# bench/results/train-summary.jsonl; then `npx tsx bench/trainTable.ts` prints the table.
#   sh bench/train-results.sh            (≈ 20 min on 2 cores)
set -e
out=bench/results/train-summary.jsonl
: > "$out"
for algo in sac ddpg td3 ppo trpo; do
  case $algo in ppo|trpo) steps=100000 ;; *) steps=20000 ;; esac
  for seed in 1 2 3 4 5; do
    npm run -s train -- --algo "$algo" --seed "$seed" --no-stop-at-goal --max-steps "$steps" --json | tail -1 >> "$out"
    echo "$algo seed $seed done: $(tail -1 "$out" | cut -c1-160)"
  done
done
