#!/usr/bin/env bash
# What `run --base` costs a pull request, by what it changes (issue 29; docs/benchmarks.md): the
# GPU time and verdicts of HEAD against four base builds that differ from it by one edit each.
#
#   scripts/skip-cases.sh prepare DIR   # on the build machine (nvcc): DIR/{none,rmsnorm,attention,harness}
#   scripts/skip-cases.sh measure DIR   # on the GPU host, after this checkout is built there or carried
#
#   none       the same sources (a pull request touching docs or the CLI's text): nothing measured
#   rmsnorm    kernels/rmsnorm.cuh, the scaling of both RMSNorm kernels: the 6 RMSNorm shapes measured
#   attention  kernels/flash_sm90_v7.cuh, one attention version (the D128 default on sm_90): its shapes measured
#   harness    native/src/harness.cc: every benchmark measured (the harness hash differs)
#
# Which side carries the edit does not matter to the identities: the bases are edited copies of
# HEAD, so this checkout needs no commits. `none` copies this checkout's own build (its sources are
# the same, so a build would be the same); the others are built with RATCHET_CUDA_ARCHITECTURES
# (default 90-real: sm_90 and the sm_90a kernels). `measure` runs `none` once more with
# --measure-identical: what every pull request cost before. It prints one line per case and
# leaves each comparison in DIR/<case>.json. RATCHET_CUDA=0 and RATCHET_BACKEND=cpu try the
# mechanics on a machine without a GPU (the CUDA edits then change no CPU kernel: only the harness
# case is measured).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}; dir=${2:-}
if [ -z "$mode" ] || [ -z "$dir" ]; then echo "usage: scripts/skip-cases.sh prepare|measure DIR" >&2; exit 2; fi
node=${RATCHET_NODE:-node}
cases="none rmsnorm attention harness"

# edit CASE FILE: the one change a case makes to its copy (a literal replace, checked to apply).
edit() {
  local file=$1 from=$2 to=$3
  "$node" -e '
    const [file, from, to] = process.argv.slice(1);
    const fs = require("node:fs");
    const text = fs.readFileSync(file, "utf8");
    if (!text.includes(from)) { console.error(`skip-cases: ${file} no longer holds: ${from}`); process.exit(2); }
    fs.writeFileSync(file, text.replace(from, to));
  ' "$file" "$from" "$to"
}

prepare() {
  local sha; sha=$(git rev-parse HEAD)
  [ -f native/build/Release/ratchet_native.node ] || { echo "skip-cases: build this checkout first (RATCHET_CUDA_ARCHITECTURES=90-real pnpm build)" >&2; exit 3; }
  for case in $cases; do
    local base="$dir/$case"
    rm -rf "$base"; mkdir -p "$base/native"
    cp -r kernels "$base/"
    cp -r native/src native/include native/scripts native/CMakeLists.txt native/package.json "$base/native/"
    ln -s "$PWD/native/node_modules" "$base/native/node_modules"
    echo "$sha" > "$base/SHA"
    # The base's gate (its thresholds, budgets, suite and build.addon) travels with it: the GPU host
    # may not have this commit to `git show` it from.
    cp ratchet.config.json "$base/"
    case $case in
      none) mkdir -p "$base/native/build/Release"; cp native/build/Release/{ratchet_native.node,kernel-identity.json,build-info.json} "$base/native/build/Release/"; continue ;;
      rmsnorm) edit "$base/kernels/rmsnorm.cuh" 'values[i] = fromFloat<T>(x[i] * scale * weights[i]);' 'values[i] = fromFloat<T>((x[i] * weights[i]) * scale);' ;;
      attention) edit "$base/kernels/flash_sm90_v7.cuh" '  if (threadIdx.x == 0) initBarriers(smem);' '  __nanosleep(0);  // skip-cases: new machine code, no new work
  if (threadIdx.x == 0) initBarriers(smem);' ;;
      harness) edit "$base/native/src/harness.cc" '#include' '// skip-cases: an edit of the harness
#include' ;;
    esac
    echo "== building the $case base in $base"
    (cd "$base" && RATCHET_CUDA_ARCHITECTURES=${RATCHET_CUDA_ARCHITECTURES:-90-real} "$node" native/scripts/build.mjs)
    # What a run needs of it: the sources (checked against build-info.json) and build/Release.
    find "$base/native/build" -mindepth 1 -maxdepth 1 ! -name Release -exec rm -rf {} +
  done
  du -sh "$dir"/*
}

measure() {
  # Relative mode runs in a git checkout; a copied tree (a GPU host's) becomes one, of one commit.
  if ! git rev-parse --git-dir >/dev/null 2>&1; then
    echo "skip-cases: not a git checkout: making this tree one commit (git init)"
    git init -q && git add -A && git -c user.name=skip-cases -c user.email=skip-cases@example.test commit -qm 'the head, for run --base-build'
  fi
  nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null || true
  printf '%-26s %-9s %-8s %-38s %12s %12s %8s\n' case measured skipped verdicts 'GPU time s' 'identity s' 'wall s'
  for case in none-measure-identical $cases; do
    local base="$dir/${case%-measure-identical}" extra=()
    [ "$case" = none-measure-identical ] && extra=(--measure-identical)
    local start; start=$(date +%s%N)
    local status=0
    "$node" packages/cli/dist/bin.js -q run --backend "${RATCHET_BACKEND:-cuda}" --base-build "$base" "${extra[@]}" > "$dir/$case.log" 2>&1 || status=$?
    local wall=$(( ($(date +%s%N) - start) / 1000000 ))
    cp results/comparison.json "$dir/$case.json"
    "$node" -e '
      const [file, name, status, wall] = process.argv.slice(1);
      const c = JSON.parse(require("node:fs").readFileSync(file, "utf8"));
      const cost = c.relative.cost;
      const verdicts = Object.entries(c.counts).filter(([, n]) => n > 0).map(([v, n]) => `${n} ${v}`).join(", ");
      console.log([name.padEnd(26), String(cost.benchmarks - cost.skipped).padEnd(9), String(cost.skipped).padEnd(8), `${verdicts} (exit ${status})`.padEnd(38),
        (cost.measureMs / 1e3).toFixed(1).padStart(12), (cost.identityMs / 1e3).toFixed(2).padStart(12), (Number(wall) / 1e3).toFixed(1).padStart(8)].join(" "));
      for (const note of cost.notes) console.log(`  ${note}`);
    ' "$dir/$case.json" "$case" "$status" "$wall"
  done
}

case $mode in
  prepare) prepare ;;
  measure) measure ;;
  *) echo "skip-cases: unknown mode $mode (expected prepare or measure)" >&2; exit 2 ;;
esac
