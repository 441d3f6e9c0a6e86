#!/usr/bin/env bash
# Starts the stopped GPU instance that hosts the self-hosted runner and waits until the runner is
# online, so a GPU job is not left queued (the reference document's "GPU instance offline"
# problem). Run it from a hosted job before the GPU job (docs/ci.md), with the cloud CLI and its
# credentials configured there. The two commands below are the only cloud-specific parts:
#
#   RATCHET_WAKE_COMMAND   starts the instance, e.g. "aws ec2 start-instances --instance-ids i-0abc"
#                          or "gcloud compute instances start gpu-runner --zone us-central1-a"
#   RATCHET_RUNNER_NAME    the runner's name as registered in the repository settings
#
# It then polls the GitHub API (GH_TOKEN with `actions: read` on the repository) until that
# runner reports "online", for at most RATCHET_WAKE_TIMEOUT seconds (default 600).
set -euo pipefail
: "${RATCHET_WAKE_COMMAND:?set RATCHET_WAKE_COMMAND to the command that starts the GPU instance}"
: "${RATCHET_RUNNER_NAME:?set RATCHET_RUNNER_NAME to the self-hosted runner name}"
: "${GITHUB_REPOSITORY:?run inside GitHub Actions (GITHUB_REPOSITORY unset)}"
timeout_s=${RATCHET_WAKE_TIMEOUT:-600}

echo "wake: $RATCHET_WAKE_COMMAND"
bash -c "$RATCHET_WAKE_COMMAND"

deadline=$((SECONDS + timeout_s))
while [ "$SECONDS" -lt "$deadline" ]; do
  status=$(gh api "repos/$GITHUB_REPOSITORY/actions/runners" --jq ".runners[] | select(.name == \"$RATCHET_RUNNER_NAME\") | .status" 2>/dev/null || true)
  if [ "$status" = "online" ]; then
    echo "wake: runner $RATCHET_RUNNER_NAME is online"
    exit 0
  fi
  echo "wake: runner $RATCHET_RUNNER_NAME is '${status:-unknown}', waiting"
  sleep 15
done
echo "wake: runner $RATCHET_RUNNER_NAME did not come online within ${timeout_s}s" >&2
exit 1
