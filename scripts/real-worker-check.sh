#!/usr/bin/env bash
# Runs the public ONE worker client, unmodified, against `onesim gateway` and `onesim serve-model`,
# then SIGKILLs the gateway, restarts it from its log and checks that the worker goes on serving
# with its receipt chain unbroken. Nothing of the client is copied into this repository.
#
#   scripts/real-worker-check.sh PATH_TO_ONE_WORKER_CHECKOUT [SECONDS]
#
# PATH_TO_ONE_WORKER_CHECKOUT: a checkout of github.com/onecomputexyz/one-worker (checked with
# v0.1.0, commit afa563c); it runs from source with this repository's tsx (it has no runtime
# dependencies). SECONDS (default 60) is split between before and after the kill.
# Ports: ONESIM_CHECK_BACKEND_PORT (18181) and ONESIM_CHECK_GATEWAY_PORT (18182).
# Prints a summary and a JSON line; exit 0 when every check holds, 1 when one fails, 2 on bad usage.
set -euo pipefail

if [ $# -lt 1 ] || [ ! -f "$1/src/index.ts" ] || [ ! -f "$1/src/worker.ts" ]; then
  echo "usage: $0 PATH_TO_ONE_WORKER_CHECKOUT [SECONDS]  (a checkout of onecomputexyz/one-worker: src/index.ts not found)" >&2
  exit 2
fi
client=$(cd "$1" && pwd)
secs=${2:-60}
repo=$(cd "$(dirname "$0")/.." && pwd)
bp=${ONESIM_CHECK_BACKEND_PORT:-18181}
gp=${ONESIM_CHECK_GATEWAY_PORT:-18182}
tmp=$(mktemp -d)
onesim=(node "$repo/bin/onesim.js")
tsx="$repo/node_modules/.bin/tsx"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

wait_for() { # url seconds
  for _ in $(seq 1 $((${2} * 10))); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "not up: $1" >&2
  return 1
}

# Short settlement epochs so that receipts settle within the run (the day stays the default), and
# 4× the baseline's demand (about 0.8 jobs/s at wall-clock speed) so the minute has work in it.
gateway_args=(gateway --scenario baseline --model tinylm-s --port "$gp" --open-registration
  --log "$tmp/actions.jsonl" --epoch-ms 10000 --job-deadline-ms 6000 --job-grace-ms 2000
  --demand-scale 4)

"${onesim[@]}" serve-model --model tinylm-s --port "$bp" >"$tmp/model.log" 2>&1 &
pids+=($!)
"${onesim[@]}" "${gateway_args[@]}" >"$tmp/gateway-1.log" 2>&1 &
gw=$!
pids+=($gw)
wait_for "http://127.0.0.1:$bp/v1/models" 60
wait_for "http://127.0.0.1:$gp/status" 60

key=$(openssl genpkey -algorithm ed25519)
(
  cd "$client"
  ONE_GATEWAY="http://127.0.0.1:$gp" ONE_BACKEND="http://127.0.0.1:$bp/v1" ONE_MODELS=tinylm-s \
    ONE_WORKER_KEY="$key" ONE_POLL_MS=250 exec "$tsx" src/index.ts
) >"$tmp/worker.log" 2>&1 &
worker=$!
pids+=($worker)

sleep $((secs / 2))
curl -fsS "http://127.0.0.1:$gp/status" >"$tmp/status-1.json"
errors_before=$(grep -c '^worker error' "$tmp/worker.log" || true)
kill -9 "$gw"
wait "$gw" 2>/dev/null || true
sleep 2
"${onesim[@]}" "${gateway_args[@]}" >"$tmp/gateway-2.log" 2>&1 &
gw=$!
pids+=($gw)
wait_for "http://127.0.0.1:$gp/status" 60
sleep $((secs / 2))
curl -fsS "http://127.0.0.1:$gp/status" >"$tmp/status-2.json"
kill -INT "$worker"
wait "$worker" 2>/dev/null || true

node - "$tmp" "$errors_before" <<'JS'
const fs = require('node:fs');
const [dir, errorsBefore] = process.argv.slice(2);
const s1 = JSON.parse(fs.readFileSync(`${dir}/status-1.json`, 'utf8'));
const s2 = JSON.parse(fs.readFileSync(`${dir}/status-2.json`, 'utf8'));
const log = fs.readFileSync(`${dir}/worker.log`, 'utf8');
const stopped = /stopped\. served=(\d+) failed=(\d+)/.exec(log);
const w1 = s1.workers[0];
const w2 = s2.workers.find((w) => w.key === w1?.key);
const errors = log.split('\n').filter((l) => l.startsWith('worker error'));
const checks = {
  'served ≥ 5 jobs before the kill': (w1?.receipts ?? 0) >= 5,
  'no worker error before the kill': Number(errorsBefore) === 0,
  'receipts settled before the kill': (s1.jobs.settled ?? 0) > 0 && BigInt(w1?.earnedMicroUsdc ?? 0) > 0n,
  'the restart replayed the log': s2.resumedEntries > 0,
  'served more after the restart': (w2?.receipts ?? 0) > (w1?.receipts ?? 0),
  'chain unbroken (no restart from "")': w2?.chainRestarts === 0,
  'no refused result': (w2?.rejections && Object.keys(w2.rejections).length === 0) === true,
};
const summary = {
  beforeKill: { receipts: w1?.receipts, settled: s1.jobs.settled, earnedMicroUsdc: w1?.earnedMicroUsdc },
  afterRestart: {
    receipts: w2?.receipts,
    settled: s2.jobs.settled,
    earnedMicroUsdc: w2?.earnedMicroUsdc,
    balanceMicroUsdc: w2?.balanceMicroUsdc,
    chainRestarts: w2?.chainRestarts,
    resumedEntries: s2.resumedEntries,
  },
  worker: stopped ? { served: Number(stopped[1]), failed: Number(stopped[2]) } : null,
  workerErrors: errors.length,
  workerErrorsWhileGatewayDown: errors.length - Number(errorsBefore),
  firstErrors: errors.slice(0, 3),
  checks,
  logs: dir,
};
for (const [k, ok] of Object.entries(checks)) console.log(`${ok ? 'ok  ' : 'FAIL'} ${k}`);
console.log(JSON.stringify(summary));
process.exitCode = Object.values(checks).every(Boolean) ? 0 : 1;
JS
