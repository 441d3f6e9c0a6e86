# shellcheck shell=bash
# shellcheck disable=SC2154,SC2034 # out comes from the script that sources this one; it reads repo, node, work, failed and summary
# What the GPU proof scripts (gpu-examples.sh, gpu-escalation.sh, gpu-harness.sh) share: the
# checkout as `repo` (and the working directory), `out` made and absolute, the built CLI, a
# scratch directory, and `step`, which runs one command, keeps its log and says whether its exit
# code was one of those expected. Sourced after `out` is set (relative to the checkout).
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 3
repo=$PWD
mkdir -p "$out"; out=$(cd "$out" && pwd)
node=${RATCHET_NODE:-node}
# shellcheck disable=SC2317 # called through `step`
ratchet() { "$node" "$repo/packages/cli/dist/bin.js" "$@"; }
export GIT_AUTHOR_NAME=ratchet GIT_AUTHOR_EMAIL=ratchet@localhost GIT_COMMITTER_NAME=ratchet GIT_COMMITTER_EMAIL=ratchet@localhost
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
summary=()

# step NAME EXPECTED COMMAND...: EXPECTED is an exit code or several as `0|1`. The summary line
# carries the first verdict words the command printed.
step() {
  local name=$1 expected=$2; shift 2
  echo "== $name: $*"
  "$@" >"$out/$name.log" 2>&1
  local code=$?
  cat "$out/$name.log"
  local said
  said=$(grep -E -o '(regression|improvement|unchanged|new|inconclusive|invalid)[^|]*' "$out/$name.log" | head -3 | tr '\n' ';')
  [[ "|$expected|" == *"|$code|"* ]] || failed=1
  summary+=("$(printf '%-22s exit %s (expected %s)  %s' "$name" "$code" "$expected" "$said")")
}
