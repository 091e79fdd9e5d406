#!/bin/bash
# Submits a sweep as a Slurm job array of ONESIM_SHARDS tasks and the merge job that runs once
# every task has succeeded; prints the two job ids (array, merge).
#
#   ONESIM_SWEEP_DIR=/shared/sweeps/take-rate ONESIM_SHARDS=32 \
#     ./submit.sh baseline --seeds 1..500 --grid params.takeRate.num=5,10,20 --days 90
#
# ONESIM_SBATCH_OPTIONS adds sbatch options to both jobs (partition, account, time, CPUs:
# "--partition=cpu --time=04:00:00 --cpus-per-task=8"). ONESIM is the onesim command
# (default: onesim on PATH). Results: $ONESIM_SWEEP_DIR/{aggregate.json,report.html,…}.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: "${ONESIM_SWEEP_DIR:?set ONESIM_SWEEP_DIR to a folder every node can write}"
: "${ONESIM_SHARDS:?set ONESIM_SHARDS to the number of array tasks}"
read -r -a extra <<< "${ONESIM_SBATCH_OPTIONS:-}"
mkdir -p "$ONESIM_SWEEP_DIR"
export ONESIM_SWEEP_DIR
array=$(sbatch --parsable --array="0-$((ONESIM_SHARDS - 1))" --chdir="$ONESIM_SWEEP_DIR" \
  "${extra[@]}" "$here/sweep-array.sbatch" "$@")
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterok:$array" --chdir="$ONESIM_SWEEP_DIR" \
  "${extra[@]}" "$here/merge.sbatch")
echo "$array ${merge%%;*}"
