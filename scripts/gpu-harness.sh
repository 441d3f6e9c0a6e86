#!/usr/bin/env bash
# Imports a real harness's output on a GPU host the way a Triton team would (docs/harnesses.md):
# examples/triton-softmax/perf_report.py, Triton's perf_report over the row length with Triton's
# and torch's softmax, written as perf_report writes its CSV, then
#
#   triton-compare-aa      the base's CSV judged against a second base run: exit 0 or 1, shown
#                          (one number a side: on an H100 on 2026-12-06 noise read N1024 +4.0%)
#   triton-compare-slowed  the build that repeats the exponentials (SLOWDOWN=2) against the base:
#                          Triton's line a regression (exit 1), torch's not
#   triton-command-slowed  the same slowdown as a commit in a repository of its own, `run --command
#                          ... --from triton --base HEAD~1`: head and base alternate run by run, exit 1
#                          (six turns, twelve runs of about 10 s each on an H100: over two minutes)
#
# The CSVs it wrote are kept in DIR/triton/{base,base-again,slowed} (the real fixtures for
# packages/core/test/fixtures/harnesses/triton). Prints one line per step; exits 1 when a step's
# exit code is not the one expected.
#
#   scripts/gpu-harness.sh [--out DIR]        # called by scripts/gpu-host.sh --harness
set -uo pipefail
out=results/gpu-harness
[ "${1:-}" = --out ] && out=$2
# shellcheck source=scripts/gpu-steps.sh
. "$(dirname "$0")/gpu-steps.sh"
device=$(nvidia-smi --query-gpu=name --format=csv,noheader -i "${CUDA_VISIBLE_DEVICES:-0}" | head -n 1)

report=$repo/examples/triton-softmax/perf_report.py
step perf-report-base 0 python3 "$report" --save-path "$out/triton/base"
step perf-report-again 0 python3 "$report" --save-path "$out/triton/base-again"
SLOWDOWN=2 step perf-report-slowed 0 python3 "$report" --save-path "$out/triton/slowed"
mkdir -p "$work/compare" && cd "$work/compare" || exit 3
step triton-compare-aa '0|1' ratchet compare --from triton --unit us --device "$device" "$out/triton/base-again" --against "$out/triton/base"
step triton-compare-slowed 1 ratchet compare --from triton --unit us --device "$device" "$out/triton/slowed" --against "$out/triton/base"
cp results/report.md "$out/triton-compare-slowed-report.md" 2>/dev/null

mkdir -p "$work/command" && cd "$work/command" || exit 3
# perf_report.py imports its kernel from the module beside it: the two travel together.
cp "$report" "$(dirname "$report")/softmax_kernel.py" . && printf 'results/\n.ratchet-cache/\n' > .gitignore
git init -q && git add -A && git commit -qm "softmax perf_report"
sed -i 's/os.environ.get("SLOWDOWN", "1")/os.environ.get("SLOWDOWN", "2")/' perf_report.py
git diff --quiet && { echo "gpu-harness.sh: the slowdown edit did not apply to perf_report.py" >&2; exit 3; }
git commit -qam "softmax: the exponentials twice (a deliberate slowdown)"
step triton-command-slowed 1 ratchet run --command 'python3 perf_report.py --save-path "$RATCHET_OUTPUT_DIR"' \
  --from triton --unit us --device "$device" --base HEAD~1 --max-runs 6
cp results/report.md "$out/triton-command-slowed-report.md" 2>/dev/null

echo "== harness"
printf '%s\n' "${summary[@]}" | tee "$out/summary.txt"
exit "$failed"
