#!/usr/bin/env bash
# The run history of this repository's CI lives on a branch of its own, ratchet-data, so main
# gets no commit per run (docs/dashboard.md). It is checked out as a git worktree of the clone
# the workflow made, so that clone's credentials serve the fetch and the push alike.
#
#   scripts/history-branch.sh checkout [dir]   the branch at dir (default .ratchet/runs, where
#                                              ratchet looks); an empty history when origin has none
#   scripts/history-branch.sh push [dir]       commit what ratchet appended there and push it,
#                                              rebasing onto a concurrent push (up to 3 tries;
#                                              shards merge line by line: *.jsonl merge=union)
set -euo pipefail
branch=ratchet-data
command=${1:-}
dir=${2:-.ratchet/runs}
bot=(-c user.name=ratchet-bot -c user.email=ratchet-bot@users.noreply.github.com)

fetch() {
  git fetch --quiet origin "+refs/heads/$branch:refs/remotes/origin/$branch" 2>/dev/null
}

checkout() {
  if [ -e "$dir" ]; then
    echo "history-branch: $dir already exists: remove it or name another directory" >&2
    exit 2
  fi
  if fetch; then
    git worktree add --quiet -B "$branch" "$dir" "origin/$branch"
    echo "history-branch: $branch at $dir"
  else
    echo "history-branch: no branch $branch on origin (or no access to it): $dir starts an empty history" >&2
    git worktree add --quiet --detach "$dir"
    git -C "$dir" checkout --quiet --orphan "$branch"
    git -C "$dir" rm -rfq .
    printf '# Runs appended on two machines merge line by line.\n*.jsonl merge=union\n' > "$dir/.gitattributes"
  fi
}

push() {
  git -C "$dir" add -A
  if git -C "$dir" diff --cached --quiet; then
    echo "history-branch: nothing new in $dir"
    return
  fi
  git -C "$dir" "${bot[@]}" commit --quiet -m "run history: runs of $(git rev-parse --short=12 HEAD)"
  for attempt in 1 2 3; do
    if git -C "$dir" push --quiet origin "HEAD:refs/heads/$branch"; then
      echo "history-branch: pushed $branch"
      return
    fi
    echo "history-branch: push refused (attempt $attempt of 3): rebasing onto origin/$branch" >&2
    (cd "$dir" && fetch)
    git -C "$dir" "${bot[@]}" rebase --quiet "origin/$branch"
  done
  echo "history-branch: could not push $branch after 3 attempts" >&2
  exit 1
}

case "$command" in
  checkout) checkout ;;
  push) push ;;
  *) echo "usage: scripts/history-branch.sh checkout|push [dir]" >&2; exit 2 ;;
esac
