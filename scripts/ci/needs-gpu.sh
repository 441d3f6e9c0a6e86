#!/usr/bin/env bash
# Whether a change needs the GPU: nx marks `kernels`, `@ratchet/native` or `@ratchet/cli` affected
# against the merge base with the given commit (ratchet.config.json, .ratchet/tuning.json and
# scripts/ count for the CLI), from nx's project graph rather than a hand-kept list of paths.
# Prints true or false; true where there is no merge base to compare with.
#   scripts/ci/needs-gpu.sh <base commit>
# NX (default: pnpm -s nx) is the command that runs nx.
set -euo pipefail
[ $# -eq 1 ] || { echo "needs-gpu.sh: name the base commit" >&2; exit 2; }
base=$(git merge-base "$1" HEAD 2>/dev/null || true)
if [ -z "$base" ]; then echo true; exit 0; fi
# shellcheck disable=SC2086 # NX may be a command with arguments
projects=$(${NX:-pnpm -s nx} show projects --affected --base="$base" --head=HEAD)
if grep -qxE 'kernels|@ratchet/native|@ratchet/cli' <<<"$projects"; then echo true; else echo false; fi
