#!/usr/bin/env bash
# On a GPU host with no network and no Node: installs Ratchet into a fresh repository from the
# tarballs scripts/pack-install-check.sh packed (npm --offline, no compiler used), then checks the
# prebuilt binary there: it loads, sees the GPU with the driver's version, and measures the
# default GPU suite (built-in kernels, the sm_90a ones on a Hopper GPU) with its checks passing.
#   scripts/gpu-install-check.sh [DIR]    # DIR: what pack-install-check.sh wrote (default .carry/install)
set -euo pipefail
cd "$(dirname "$0")/.."
carry=$(readlink -f "${1:-.carry/install}")
work=$(mktemp -d)
mkdir -p "$work/npm" "$work/repo" "$work/bin"
xz -dc "$carry/npm.tar.xz" | tar -C "$work/npm" -xf -
node=$work/bin/node
xz -dc "$carry/node.xz" > "$node" && chmod +x "$node"
npm() { "$node" "$work/npm/bin/npm-cli.js" "$@"; }
PATH="$(dirname "$node"):$PATH"
export PATH
cd "$work/repo"
echo '{ "name": "gpu-install-check", "private": true }' > package.json
SECONDS=0
npm install --offline --no-audit --no-fund --cache "$work/cache" "$carry"/packages/*.tgz
echo "install: ${SECONDS} s, node_modules $(du -sh node_modules | cut -f1), .bin: $(find node_modules/.bin -mindepth 1 -printf '%f ')"
ratchet() { "$node" node_modules/@ratchet/cli/dist/bin.js "$@"; }
ratchet --version
grep -h '"architectures"\|"glibc"' node_modules/@ratchet/native/prebuilds/*/build-info.json
ratchet devices
ratchet bench --backend cuda
ratchet problems --backend cuda | head -4
echo "gpu-install-check: done ($work)"
