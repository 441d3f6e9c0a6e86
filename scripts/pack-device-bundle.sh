#!/usr/bin/env bash
# Packs what a GPU host without Node or network needs to run scripts/gpu-host.sh --prebuilt:
# the built JS (dist/), the built addon, the runtime and test dependencies (no compilers,
# linters, nx, the local registry or DuckDB: the tests that need them skip there), and this machine's node. Writes .carry/bundle.tar.xz and .carry/node.xz
# (.carry/ is git-ignored via .git/info/exclude), or into DIR.
#   scripts/pack-device-bundle.sh [DIR]   # after `pnpm build` with RATCHET_CUDA_ARCHITECTURES as wanted
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.carry}
mkdir -p "$out"
# The plugins the native GPU tests load (examples, fixtures), prebuilt: the GPU host may have no compiler.
node native/scripts/test-plugins.mjs
[ -f "$out/node.xz" ] || xz -T2 -6 -c "$(command -v node)" > "$out/node.xz"
tar -cf - \
  --exclude='node_modules/.pnpm/typescript@*' --exclude='node_modules/.pnpm/nx@*' --exclude='node_modules/.pnpm/@nx+*' \
  --exclude='node_modules/.pnpm/eslint*' --exclude='node_modules/.pnpm/@eslint*' --exclude='node_modules/.pnpm/typescript-eslint*' \
  --exclude='node_modules/.pnpm/@typescript-eslint*' --exclude='node_modules/.pnpm/cmake-js*' --exclude='node_modules/.pnpm/@tktco+node-actionlint*' \
  --exclude='node_modules/.pnpm/node-api-headers*' --exclude='node_modules/.pnpm/@types+node*' --exclude='node_modules/.cache' \
  --exclude='node_modules/.pnpm/@duckdb+*' --exclude='node_modules/.pnpm/verdaccio*' --exclude='node_modules/.pnpm/@verdaccio+*' \
  --exclude='node_modules/.pnpm/playwright-core*' --exclude='node_modules/.pnpm/prettier*' --exclude='node_modules/.pnpm/@changesets+*' \
  --exclude='node_modules/.pnpm/@octokit+openapi-types*' --exclude='node_modules/.pnpm/@esbuild+*' --exclude='node_modules/.pnpm/esbuild@*' \
  --exclude='node_modules/.pnpm/lightningcss*' --exclude='node_modules/.pnpm/@napi-rs+wasm-runtime*' --exclude='node_modules/.pnpm/@rolldown+binding-wasm*' \
  node_modules packages/*/node_modules native/node_modules packages/*/dist native/dist native/build/Release/ratchet_native.node native/build/Release/kernel-identity.json \
  native/build/Release/build-info.json native/build/test-plugins \
  | xz -T2 -9 > "$out/bundle.tar.xz"  # -9: 18 MB instead of -3's 23 (about 90 s more here), room under the lent machine's 64 MiB per call
ls -la "$out"
