#!/usr/bin/env bash
# Runs nx targets on what a change affects: `nx affected` against the merge base with main
# (origin/main, or $RATCHET_BASE_REF), and `nx run-many` on everything when there is no usable
# base: a shallow or one-commit clone (where `nx affected --base=HEAD~1` fails), or HEAD is main.
#   scripts/ci/nx-affected.sh lint typecheck test build
# NX (default: pnpm nx) is the command that runs nx.
set -euo pipefail
[ $# -gt 0 ] || { echo "nx-affected.sh: name the targets to run (e.g. lint test)" >&2; exit 2; }
nx=${NX:-pnpm nx}
targets=$(IFS=,; echo "$*")
base_ref=${RATCHET_BASE_REF:-origin/main}
base=""
if [ "$(git rev-parse --is-shallow-repository 2>/dev/null)" = false ]; then
  base=$(git merge-base "$base_ref" HEAD 2>/dev/null || true)
fi
if [ -n "$base" ] && [ "$base" != "$(git rev-parse HEAD)" ]; then
  echo "nx-affected: $targets on what changed since $base ($base_ref)"
  # shellcheck disable=SC2086 # NX may be a command with arguments
  exec $nx affected -t "$targets" --base="$base" --head=HEAD --outputStyle=static
fi
echo "nx-affected: no base to compare with (shallow clone, no $base_ref, or HEAD is it): $targets on every project"
# shellcheck disable=SC2086
exec $nx run-many -t "$targets" --outputStyle=static
