#!/usr/bin/env bash
# Packs what a GPU host without network needs to install Ratchet as a user would, from the
# published tarballs alone, and check the prebuilt binary there (scripts/gpu-install-check.sh):
# every @ratchet package packed as published (workspace:* turned into versions, the prebuilt
# binary of native/prebuilds inside), the third-party packages they depend on, and this
# machine's node and npm, both xz-compressed (a device machine takes 64 MiB at most). Writes DIR
# (default .carry/install; .carry/ is git-ignored via .git/info/exclude).
#   node native/scripts/prebuild.mjs && scripts/pack-install-check.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.carry/install}
if ! ls native/prebuilds/*/build-info.json >/dev/null 2>&1; then
  echo "pack-install-check: no prebuilt binary in native/prebuilds: run node native/scripts/prebuild.mjs first" >&2
  exit 1
fi
rm -rf "$out" && mkdir -p "$out/packages"
npx -y pnpm@10.34.9 -r pack --pack-destination "$out/packages" >/dev/null
# The third-party packages of the set, at the versions the packages name (npm pack fetches each once).
# shellcheck disable=SC2016 # JavaScript, not shell: its ${...} are template literals
node -e '
  const { readFileSync, readdirSync } = require("fs");
  const dirs = ["native", ...readdirSync("packages").map((d) => `packages/${d}`)];
  const wanted = new Set();
  for (const dir of dirs) {
    const deps = JSON.parse(readFileSync(`${dir}/package.json`, "utf8")).dependencies ?? {};
    for (const [name, version] of Object.entries(deps)) if (!name.startsWith("@ratchet/")) wanted.add(`${name}@${version}`);
  }
  console.log([...wanted].join("\n"));
' | (cd "$out/packages" && xargs npm pack --silent >/dev/null)
xz -T2 -6 -c "$(command -v node)" > "$out/node.xz"
tar -C "$(dirname "$(readlink -f "$(command -v npm)")")/.." -cf - . | xz -T2 -6 > "$out/npm.tar.xz"
ls -la "$out" "$out/packages"
du -sh "$out"
