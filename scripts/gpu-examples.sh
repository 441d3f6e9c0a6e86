#!/usr/bin/env bash
# Guards the two GPU examples the way a user would, each copied into a fresh git repository of its
# own (no Ratchet workspace around it), with this checkout's built CLI (docs/guard-your-kernel.md):
#
#   examples/cuda-plugin    built there with make (nvcc), `check`, then `run` (new), `run` (unchanged
#                           against that baseline), `run --base HEAD` (the same code: A/A identity)
#   examples/triton-softmax `check`, `run` (new), `run` (unchanged), then a commit that repeats the
#                           exponentials (the deliberately slowed copy), `run --base HEAD~1` and
#                           `run` (against the committed baseline), which must each fail with a
#                           regression (exit 1). Its config also serves softmax_callable.py (the
#                           kernel declared with from_callable, triton_softmax_fn), left unchanged
#                           by the slowdown: new, then unchanged in every run
#
#   scripts/gpu-examples.sh [--out DIR]        # called by scripts/gpu-host.sh --examples
#
# Prints one line per step (exit code, expected, what it says) and exits 1 when any step's exit
# code is not the one expected. Logs land in DIR (default results/gpu-examples).
set -uo pipefail
out=results/gpu-examples
[ "${1:-}" = --out ] && out=$2
# shellcheck source=scripts/gpu-steps.sh
. "$(dirname "$0")/gpu-steps.sh"
# The plugin's Makefile takes the header from here (an installed package ships it the same way).
export RATCHET_INCLUDE=$repo/native/include

fresh_repo() {
  cp -r "$repo/examples/$1" "$work/$1" && cd "$work/$1" && rm -rf build .ratchet results .ratchet-cache &&
    git init -q && git add -A && git commit -qm "$1: the kernel"
}

fresh_repo cuda-plugin || exit 3
step plugin-build 0 make
step plugin-check 0 ratchet check
step plugin-run-new 0 ratchet run --backend cuda
git add .ratchet && git commit -qm "ratchet: baseline"
step plugin-run-again 0 ratchet run --backend cuda
step plugin-run-base-aa 0 ratchet run --base HEAD --backend cuda
cp .ratchet/baseline.json "$out/plugin-baseline.json"

fresh_repo triton-softmax || exit 3
step triton-check 0 ratchet check
step triton-run-new 0 ratchet run --backend cuda
git add .ratchet && git commit -qm "ratchet: baseline"
step triton-run-again 0 ratchet run --backend cuda
sed -i 's/os.environ.get("SLOWDOWN", "1")/os.environ.get("SLOWDOWN", "4")/' softmax.py
git diff --quiet && { echo "gpu-examples.sh: the slowdown edit did not apply to softmax.py" >&2; exit 3; }
git commit -qam "softmax: the exponentials four times (a deliberate slowdown)"
step triton-base-slowed 1 ratchet run --base HEAD~1 --backend cuda
cp results/report.md "$out/triton-slowed-report.md" 2>/dev/null
# Against the committed baseline too: the changed script is other code (never A/A), and the
# cross-run regression is confirmed against the baseline's commit, interleaved.
step triton-run-slowed 1 ratchet run --backend cuda

echo "== examples"
printf '%s\n' "${summary[@]}" | tee "$out/summary.txt"
exit "$failed"
