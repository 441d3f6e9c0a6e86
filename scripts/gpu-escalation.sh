#!/usr/bin/env bash
# A real slowdown of a few percent caught against the committed baseline (issue 30), as a user
# meets it: examples/cuda-plugin copied into a fresh git repository, its first run's baseline
# committed, then a commit that makes the kernel PCT percent slower (one spin kernel after axpy on
# the same stream, lasting PCT percent of each shape's median as this GPU measured it). `ratchet
# run` against the committed baseline must confirm the change interleaved against the baseline's
# commit (built there with the config's `make`) and fail (exit 1); `run --base HEAD~1` measures
# the same change interleaved for the size that landed.
#
#   scripts/gpu-escalation.sh [--out DIR] [--pct 6]
#
# Prints one line per step (exit code, expected) and exits 1 when any is not the one expected. Logs,
# comparisons and reports land in DIR (default results/gpu-escalation).
set -uo pipefail
out=results/gpu-escalation
pct=6
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift ;;
    --pct) pct=$2; shift ;;
    *) echo "gpu-escalation.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
# shellcheck source=scripts/gpu-steps.sh
. "$(dirname "$0")/gpu-steps.sh"
# The plugin's Makefile takes the header from here, in the checkout and in the base worktree alike.
export RATCHET_INCLUDE=$repo/native/include

cp -r "$repo/examples/cuda-plugin" "$work/plugin" && cd "$work/plugin" && rm -rf build .ratchet results .ratchet-cache || exit 3
git init -q && git add -A && git commit -qm "axpy: the kernel" || exit 3
step build 0 make
step baseline 0 ratchet run --backend cuda
git add .ratchet && git commit -qm "ratchet: baseline" || exit 3

# The spin that makes each shape PCT percent slower: cycles = PCT% of its median at the device's clock.
spins=$("$node" -e '
  const [pct] = process.argv.slice(1).map(Number);
  const baseline = JSON.parse(require("fs").readFileSync(".ratchet/baseline.json", "utf8"));
  const [device] = Object.values(baseline.devices);
  const mhz = device.device.smClockMHz;
  const cycles = Object.entries(device.benchmarks).map(([id, e]) => [Number(id.match(/n(\d+)/)[1]), Math.round((pct / 100) * e.summary.median * 1e3 * mhz)]);
  console.log(cycles.map(([n, c]) => `in.n == ${n}LL ? ${c}LL : `).join("") + "0LL");
' "$pct") || exit 3
echo "spin cycles per shape: $spins"
sed -i 's|^// The kernel both variants launch.|// A deliberate slowdown (scripts/gpu-escalation.sh): a spin of a fixed number of SM cycles.\n__global__ void spin(long long cycles) {\n  const long long start = clock64();\n  while (clock64() - start < cycles) {}\n}\n\n&|' axpy.cu
sed -i "s|^  axpy<<<.*(in.x, in.y, in.z, in.n);\$|&\n  spin<<<1, 1, 0, static_cast<cudaStream_t>(stream)>>>($spins);|" axpy.cu
[ "$(grep -c 'spin<<<1, 1' axpy.cu)" = 1 ] || { echo "gpu-escalation.sh: the slowdown edit did not apply to axpy.cu" >&2; exit 3; }
git commit -qam "axpy: ${pct}% slower (a spin after the kernel)" || exit 3
step build-slowed 0 make
step cross-run 1 ratchet run --backend cuda --no-ratchet
cp results/comparison.json "$out/cross-run-comparison.json"; cp results/report.md "$out/cross-run-report.md"
step relative 1 ratchet run --base HEAD~1 --backend cuda
cp results/comparison.json "$out/relative-comparison.json"

echo "== escalation"
"$node" -e '
  const fs = require("fs");
  for (const name of ["cross-run", "relative"]) {
    const c = JSON.parse(fs.readFileSync(process.argv[1] + "/" + name + "-comparison.json", "utf8"));
    for (const r of c.results) console.log(`${name.padEnd(9)} ${r.id.padEnd(26)} ${r.verdict.padEnd(12)} ${r.changePct?.toFixed(2)}% (95% CI ${r.ratioCi95?.map((x) => ((x - 1) * 100).toFixed(2)).join("..")}%), MDC ${r.sensitivity?.mdcPct?.toFixed(2)}% (${r.sensitivity?.rule})`);
    if (name === "cross-run") for (const r of c.results) console.log(`  ${r.reason}`);
  }
' "$out" | tee "$out/summary.txt"
printf '%s\n' "${summary[@]}" | tee -a "$out/summary.txt"
exit "$failed"
