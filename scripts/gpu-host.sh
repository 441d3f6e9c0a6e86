#!/usr/bin/env bash
# Build, check and measure on a GPU host in one go (works offline once `pnpm install` has run).
#
#   scripts/gpu-host.sh [--prebuilt] [--out DIR] [--ncu] [--calibrate]
#
# 1. builds every package and the native addon with the CUDA backend (skipped with --prebuilt,
#    when built elsewhere and carried here);
# 2. runs the GPU tests (vitest project `native`): every dtype x head dim x causal, odd lengths,
#    the error paths;
# 3. measures the default GPU suite (`ratchet bench --backend cuda`), correctness first;
# 4. with --ncu, times one shape independently with Nsight Compute (gpu__time_duration) beside
#    our CUDA-event figure;
# 5. with --calibrate, measures how far verdicts can be trusted on this GPU (ratchet calibrate:
#    200 A/A comparisons per shape, injected 1/2/3/5% slowdowns, judged at 1.5/2/2.5/3%; about
#    6 minutes on an H100), as docs/benchmarks.md reports it;
# and prints a short table last. Logs and JSON land in --out (default results/gpu-host).
set -uo pipefail
cd "$(dirname "$0")/.."
prebuilt=0; ncu=0; calibrate=0; out=results/gpu-host
while [ $# -gt 0 ]; do
  case "$1" in
    --prebuilt) prebuilt=1 ;;
    --ncu) ncu=1 ;;
    --calibrate) calibrate=1 ;;
    --out) out="$2"; shift ;;
    *) echo "gpu-host.sh: unknown option $1 (expected --prebuilt, --ncu, --calibrate, --out DIR)" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$out"
node=${RATCHET_NODE:-node}
command -v "$node" >/dev/null || { echo "gpu-host.sh: no node on PATH (set RATCHET_NODE)" >&2; exit 3; }
status=0

echo "== device"
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,temperature.gpu,power.draw --format=csv 2>&1 | tee "$out/nvidia-smi.csv"

if [ "$prebuilt" = 0 ]; then
  echo "== build"
  "$node" node_modules/nx/dist/bin/nx.js run-many -t build --outputStyle=static 2>&1 | tee "$out/build.log" || exit 3
fi

echo "== GPU tests"
"$node" node_modules/vitest/vitest.mjs run --project native --reporter=default --reporter=json \
  --outputFile="$out/gpu-tests.json" 2>&1 | tee "$out/gpu-tests.log" || status=1

echo "== default GPU suite"
"$node" packages/cli/dist/bin.js --config ratchet.config.json bench --backend cuda 2>&1 | tee "$out/bench.log"
[ "${PIPESTATUS[0]}" = 0 ] || status=1
cp results/current.json "$out/current.json" 2>/dev/null

if [ "$ncu" = 1 ] && command -v ncu >/dev/null; then
  echo "== independent timing (Nsight Compute)"
  "$node" scripts/timing-crosscheck.mjs --ncu 2>&1 | tee "$out/crosscheck.log" || status=1
fi

if [ "$calibrate" = 1 ]; then
  echo "== calibration"
  "$node" packages/cli/dist/bin.js --config ratchet.config.json calibrate --backend cuda --trials 200 \
    --slowdowns 1,2,3,5 --sensitivity-trials 30 --set-time-ms 80 --thresholds 1.5,2,2.5,3 2>&1 | tee "$out/calibration.log"
  [ "${PIPESTATUS[0]}" = 0 ] || status=1
  cp results/calibration.json results/calibration.md "$out/" 2>/dev/null
fi

echo "== summary"
if [ -f "$out/gpu-tests.json" ]; then
  "$node" -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(`GPU tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`)' "$out/gpu-tests.json"
fi
[ -f "$out/current.json" ] && "$node" scripts/results-table.mjs "$out/current.json"
exit "$status"
