#!/usr/bin/env bash
# The GPU proofs of issue 26 on one GPU host, from a built checkout (CUDA compiled in):
#   1. --device selects the GPU by index, by UUID and by a UUID prefix, the results say which,
#      CUDA_VISIBLE_DEVICES is honoured, and a device that is not there is refused (exit 3);
#   2. the suite sharded 2 ways on this one GPU (one shard after the other) merges to the same
#      verdicts as one unsharded run, both judge-only against one baseline.
# Everything it writes goes to OUT (a config of its own points every path there; the checkout's
# baseline and results are left alone). It prints what each step did, then a PASS/FAIL table
# last, and exits 1 when a check failed. About a minute on an H100.
#   scripts/fleets-gpu-check.sh [OUT]      (default: results/fleets-gpu-check)
# RATCHET_CHECK_BACKEND=cpu runs the same steps on the CPU backend (no UUIDs: the --device checks
# by UUID fail there), to try the script itself on a machine without a GPU.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${1:-results/fleets-gpu-check}
mkdir -p "$out"
out=$(cd "$out" && pwd)
backend=${RATCHET_CHECK_BACKEND:-cuda}
config="$out/ratchet.config.json"
started=$SECONDS

ratchet() { node "$root/packages/cli/dist/bin.js" --config "$config" "$@"; }
names=()
verdicts=()
# check <status> <what> [detail]: one row of the table at the end; the detail on this line only.
check() {
  if [ "$1" = 0 ]; then verdicts+=(PASS); else verdicts+=(FAIL); fi
  names+=("$2")
  echo "${verdicts[-1]}  $2${3:+: $3}"
}
json() { node -e 'const v = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(String(new Function("v", "return v." + process.argv[2])(v)))' "$1" "$2"; }

# Every path under OUT; the checkout's tuning (the variants a run on main times). Each benchmark
# measured for at most 1.5 s (3 s by default), so the check stays near a minute: what is proved is
# that sharding judges as one run does, at any budget.
node - "$config" "$out" "$root" "$backend" <<'EOF'
const [config, out, root, backend] = process.argv.slice(2);
const text = {
  // Every benchmark stored by the first run, however unsteady: the later runs judge them all.
  thresholds: { regressionPct: 3, relativeRegressionPct: 1.5, improvementPct: 5, alpha: 0.05, newEntryMaxCvPct: 1000 },
  budgets: { [backend]: { maxTimeMs: 1500 } },
  paths: {
    baseline: `${out}/baseline.json`, moves: `${out}/history.jsonl`, tuning: `${root}/.ratchet/tuning.json`,
    results: `${out}/results/current.json`, report: `${out}/results/report.md`, comparison: `${out}/results/comparison.json`,
  },
};
require('fs').writeFileSync(config, `${JSON.stringify(text, null, 2)}\n`);
EOF
rm -rf "$out/results" "$out/baseline.json" "$out/history.jsonl" "$out"/whole "$out"/shard-* "$out/merged"

ratchet devices | tee "$out/devices.txt"
ratchet --json devices > "$out/devices.json"
count=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).find((b) => b.backend === process.argv[2]).devices.length)' "$out/devices.json" "$backend")
uuid=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).find((b) => b.backend === process.argv[2]).devices[0]?.uuid ?? "none")' "$out/devices.json" "$backend")
# The cheapest benchmark of the suite to time: an rmsnorm shape when there is one.
one=$(cd "$out" && node --input-type=module -e '
  const { loadConfig } = await import(process.argv[1] + "/packages/core/dist/index.js");
  const { benchmarkId } = await import(process.argv[1] + "/packages/types/dist/index.js");
  const { config } = await loadConfig({ cwd: process.cwd() });
  const ids = config.suites[process.argv[2]].map(benchmarkId);
  console.log(ids.find((id) => id.startsWith("rmsnorm/")) ?? ids[0]);' "$root" "$backend")
echo "$backend devices: $count; device 0: $uuid; timed for --device: $one"

# 1. --device by index, UUID and UUID prefix: device 0 each time, and the results say so.
for selector in 0 "$uuid" "${uuid:0:12}"; do
  case $selector in
    0) label=0 ;;
    "$uuid") label="<its UUID>" ;;
    *) label="$selector (a UUID prefix)" ;;
  esac
  rm -f "$out/results/current.json"
  if ratchet bench --backend "$backend" --device "$selector" "$one" > "$out/bench-${selector:0:12}.txt" 2>&1; then
    index=$(json "$out/results/current.json" device.index)
    got=$(json "$out/results/current.json" device.uuid)
    if [ "$index" = 0 ] && [ "$got" = "$uuid" ]; then status=0; else status=1; fi
    check "$status" "--device $label selects device 0" "the results say device $index, $got"
  else
    check 1 "--device $label selects device 0" "$(tail -1 "$out/bench-${selector:0:12}.txt")"
  fi
done
seen=$(CUDA_VISIBLE_DEVICES="$uuid" node "$root/packages/cli/dist/bin.js" --config "$config" --json devices \
  | node -e 'const d = JSON.parse(require("fs").readFileSync(0, "utf8")).find((b) => b.backend === process.argv[1]).devices; console.log(d.length + " " + (d[0]?.uuid ?? "none"))' "$backend")
if [ "$seen" = "1 $uuid" ]; then status=0; else status=1; fi
check "$status" "CUDA_VISIBLE_DEVICES=<UUID> leaves that GPU alone" "seen: $seen"
code=0
ratchet bench --backend "$backend" --device "$count" "$one" > "$out/missing.txt" 2>&1 || code=$?
if [ "$code" = 3 ] && grep -q "^ratchet: --device $count: no such $backend device; the $backend devices here are 0: " "$out/missing.txt"; then status=0; else status=1; fi
check "$status" "--device $count (not there) refused, exit 3" "exit $code: $(tail -1 "$out/missing.txt")"

# 2. A baseline measured here first; then the whole suite judged against it in one run, and in
# two shards one after the other, merged. The baseline's commits are cleared so no change past
# the threshold sends a run off to build that commit for a confirmation (minutes of CUDA build):
# both sides are judged by the same rule either way.
code=0
ratchet run --backend "$backend" --no-history > "$out/baseline-run.txt" 2>&1 || code=$?
node -e '
  const fs = require("fs");
  const b = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  for (const device of Object.values(b.devices)) for (const entry of Object.values(device.benchmarks)) entry.sha = null;
  fs.writeFileSync(process.argv[1], JSON.stringify(b, null, 2) + "\n");' "$out/baseline.json"
check "$((code > 1))" "a baseline measured here" "exit $code"
# Each pass judged in one step: results/ copied out before the next run overwrites it.
pass() {
  local name=$1
  shift
  local code=0
  ratchet run --backend "$backend" --no-ratchet --no-history "$@" > "$out/$name.txt" 2>&1 || code=$?
  mkdir -p "$out/$name"
  cp "$out/results/comparison.json" "$out/results/current.json" "$out/$name/" 2>/dev/null || true
  check "$((code > 1))" "$name judged (exit 0 or 1)" "exit $code: $(tail -1 "$out/$name.txt")"
}
pass whole
pass shard-1 --shard 1/2
pass shard-2 --shard 2/2
code=0
ratchet merge --out "$out/merged" "$out/shard-1" "$out/shard-2" > "$out/merge.txt" 2>&1 || code=$?
check "$((code > 1))" "the two shards merge (exit 0 or 1)" "exit $code: $(tail -1 "$out/merge.txt")"
status=0
node - "$out" <<'EOF' || status=1
const { existsSync, readFileSync } = require('fs');
const dir = process.argv[2];
if (!existsSync(`${dir}/merged/merged.json`) || !existsSync(`${dir}/whole/comparison.json`)) {
  console.log('no merge or no unsharded comparison to compare');
  process.exit(1);
}
const whole = JSON.parse(readFileSync(`${dir}/whole/comparison.json`, 'utf8'));
const merged = JSON.parse(readFileSync(`${dir}/merged/merged.json`, 'utf8')).comparisons[0];
const verdicts = (c) => Object.fromEntries(c.results.map((r) => [r.id, r.verdict]));
const [a, b] = [verdicts(whole), verdicts(merged)];
const ids = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
let differ = 0;
for (const id of ids) {
  const same = a[id] === b[id];
  if (!same) differ += 1;
  const change = (c) => { const pct = c.results.find((r) => r.id === id)?.changePct; return pct == null ? '-' : `${pct.toFixed(2)}%`; };
  console.log(`${same ? '      ' : 'DIFF  '}${id}: ${a[id]} unsharded, ${b[id]} sharded (${change(whole)} / ${change(merged)})`);
}
console.log(`${differ} of ${ids.length} verdicts differ`);
process.exit(differ === 0 && ids.length > 0 ? 0 : 1);
EOF
check "$status" "2 shards merged: the verdicts of one unsharded run"

echo
echo "fleets GPU check: $((SECONDS - started)) s, files in $out"
printf '%-5s %s\n' result check
failed=0
for i in "${!names[@]}"; do
  printf '%-5s %s\n' "${verdicts[$i]}" "${names[$i]}"
  [ "${verdicts[$i]}" = PASS ] || failed=1
done
exit "$failed"
