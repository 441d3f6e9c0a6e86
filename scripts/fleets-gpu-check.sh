#!/usr/bin/env bash
# The GPU proofs of issue 26 on one GPU host, after the build (or the device bundle) is in place:
#   1. --device selects the GPU by index, by UUID and by a UUID prefix, the results say which,
#      CUDA_VISIBLE_DEVICES is honoured, and a device that is not there is refused (exit 3);
#   2. the suite sharded 2 ways on this one GPU (one shard after the other) merges to the same
#      verdicts as one unsharded run (both judge-only, against the committed baseline).
# Prints one line per check and exits 1 when one fails; the files are kept in OUT.
#   scripts/fleets-gpu-check.sh [OUT]      (default: results/fleets-gpu-check)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-results/fleets-gpu-check}
mkdir -p "$out"
ratchet() { node packages/cli/dist/bin.js "$@"; }
failed=0
check() { if [ "$1" = 0 ]; then echo "ok    $2"; else echo "FAIL  $2"; failed=1; fi; }
field() { node -e 'const v = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(eval("v." + process.argv[2]))' "$1" "$2"; }

ratchet devices | tee "$out/devices.txt"
ratchet --json devices > "$out/devices.json"
count=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).find((b) => b.backend === "cuda").devices.length)' "$out/devices.json")
uuid=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).find((b) => b.backend === "cuda").devices[0].uuid)' "$out/devices.json")
one=$(node --input-type=module -e 'import { loadConfig } from "./packages/core/dist/index.js"; import { benchmarkId } from "./packages/types/dist/index.js"; const { config } = await loadConfig({ cwd: process.cwd() }); console.log(benchmarkId(config.suites.cuda[0]))')
echo "cuda devices: $count; device 0: $uuid; one benchmark: $one"

# 1. --device
for selector in 0 "$uuid" "${uuid:0:12}"; do
  rm -f results/current.json
  if ratchet bench --backend cuda --device "$selector" "$one" > "$out/bench-$selector.txt" 2>&1; then
    index=$(field results/current.json device.index)
    got=$(field results/current.json device.uuid)
    [ "$index" = 0 ] && [ "$got" = "$uuid" ]
    check $? "--device $selector: measured on device 0 ($got), the results say so"
  else
    check 1 "--device $selector: $(tail -1 "$out/bench-$selector.txt")"
  fi
done
CUDA_VISIBLE_DEVICES="$uuid" ratchet --json devices > "$out/devices-visible.json"
seen=$(node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).find((b) => b.backend === "cuda").devices; console.log(d.length + " " + d[0].uuid)' "$out/devices-visible.json")
[ "$seen" = "1 $uuid" ]
check $? "CUDA_VISIBLE_DEVICES=$uuid: one device seen, that one ($seen)"
set +e
ratchet bench --backend cuda --device "$count" "$one" > "$out/missing.txt" 2>&1
code=$?
set -e
[ "$code" = 3 ] && grep -q "^ratchet: --device $count: no such cuda device; the cuda devices here are 0: " "$out/missing.txt"
check $? "--device $count (not there): exit $code, $(tail -1 "$out/missing.txt")"

# 2. two shards, one after the other, merged, against one unsharded run
ratchet run --backend cuda --no-ratchet --no-history > "$out/whole.txt" 2>&1 || true
mkdir -p "$out/whole" && cp results/comparison.json results/current.json "$out/whole/"
for i in 1 2; do
  ratchet run --backend cuda --no-ratchet --no-history --shard "$i/2" > "$out/shard-$i.txt" 2>&1 || true
  mkdir -p "$out/shard-$i" && cp results/comparison.json results/current.json "$out/shard-$i/"
done
set +e
ratchet merge --out "$out/merged" "$out/shard-1" "$out/shard-2" > "$out/merge.txt" 2>&1
code=$?
set -e
check $((code > 1)) "merge of the two shards: exit $code ($(tail -1 "$out/merge.txt"))"
node - "$out" <<'EOF'
const { readFileSync } = require('fs');
const dir = process.argv[2];
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
console.log(`${differ === 0 ? 'ok   ' : 'FAIL '} the 2 shards merged: ${differ} of ${ids.length} verdicts differ from the unsharded run's`);
process.exitCode = differ === 0 ? 0 : 1;
EOF
check $? "sharded 2 ways and merged: the same verdicts as one unsharded run"
exit "$failed"
