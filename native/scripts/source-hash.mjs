// The hash of the sources a native build is made from: every C, C++ and CUDA source and header
// under kernels/, native/src/ and native/include/, and the CMake files. build.mjs records it in
// build/Release/build-info.json; native/lib's sourceHash() computes it for a checkout with this same
// code, so a run can tell that the addon it loads was built from other sources (a stale build).
// Paths enter relative to the repository root, contents byte for byte; timestamps never do. Docs
// (*.md), tool configs and kernels/dev (development benchmarks no build compiles) are left out:
// they cannot change what is built.
//
// The published @ratchet/native carries the same sources in its own layout (kernels/, src/,
// include/, CMakeLists.txt at the package root); each file enters under its repository path, so a
// source build of a published version hashes as a checkout of the commit it was packed from.
//
// The harness hash covers the same files less the kernels: what times a kernel, not what it runs.
// Two builds of equal harness hash time alike, so where a kernel's identity (kernel-identity.json:
// its machine code) is equal too, `run --base` need not measure it (docs/scale.md).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Directories whose sources decide the build, relative to the repository root. */
export const sourceDirs = ['kernels', 'native/src', 'native/include'];
/** Single files that decide it too. */
export const sourceFiles = ['native/CMakeLists.txt'];
// builtins.txt: the list of built-in problems (src/builtin), which decides what CMake compiles.
const sourcePattern = /(\.(c|cc|cpp|cxx|h|hh|hpp|cu|cuh|inc|cmake)|CMakeLists\.txt|builtins\.txt)$/;

/**
 * The kernels' own sources, left out of the harness hash, by repository path: kernels/ (CUDA: each
 * kernel's SASS is hashed from the cubins) and each built-in problem's CPU kernels (each function
 * hashed from its object file: build-addon.mjs reads the object of each, builtins.mjs lists them).
 */
export const kernelSourcePatterns = [/^kernels\//, /^native\/src\/builtin\/[^/]+\/cpu_kernels\.cc$/];

/** Where each repository path of the sources lies inside the published package. */
const packagePaths = { kernels: 'kernels', 'native/src': 'src', 'native/include': 'include', 'native/CMakeLists.txt': 'CMakeLists.txt' };

/**
 * The sources under `root`: a checkout (kernels/ beside native/), or an unpacked @ratchet/native
 * (kernels/ and src/ inside it). Each is [path on disk relative to root, path in the hash].
 */
function layout(root) {
  const packaged = !existsSync(join(root, 'native')) && existsSync(join(root, 'src')) && existsSync(join(root, 'kernels'));
  const at = (repoPath) => (packaged ? packagePaths[repoPath] : repoPath);
  return { dirs: sourceDirs.map((dir) => [at(dir), dir]), files: sourceFiles.map((file) => [at(file), file]) };
}

/** Directories under the source directories that no build compiles, by repository path. */
const notBuilt = new Set(['kernels/dev']);

function walk(root, dir, name, out) {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    if (entry.isDirectory() && notBuilt.has(`${name}/${entry.name}`)) continue;
    if (entry.isDirectory()) walk(root, join(dir, entry.name), `${name}/${entry.name}`, out);
    else if (entry.isFile() && sourcePattern.test(entry.name)) out.push([join(dir, entry.name), `${name}/${entry.name}`]);
  }
}

/** [path on disk relative to root, repository path] of every source file, sorted by repository path. */
function sourceEntries(root) {
  const { dirs, files } = layout(root);
  const entries = [];
  for (const [dir, name] of dirs) if (existsSync(join(root, dir))) walk(root, dir, name, entries);
  for (const [file, name] of files) if (existsSync(join(root, file)) && statSync(join(root, file)).isFile()) entries.push([file, name]);
  return entries.map(([path, name]) => [relative(root, join(root, path)).split(sep).join('/'), name]).sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
}

/** The source files of a checkout (or a published package), by their repository paths with '/' separators, sorted. */
export function sourceFileList(repoRoot) {
  return sourceEntries(repoRoot).map(([, name]) => name);
}

function hashEntries(repoRoot, entries) {
  const hash = createHash('sha256');
  for (const [path, name] of entries) {
    const bytes = readFileSync(join(repoRoot, path));
    hash.update(`${name}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

/** sha256 (hex) over each source file's repository path and bytes, in sorted order. */
export function sourceHash(repoRoot) {
  return hashEntries(repoRoot, sourceEntries(repoRoot));
}

const isKernelSource = (name) => kernelSourcePatterns.some((pattern) => pattern.test(name));

/** The sources of the harness: every source file but the kernels' own (kernelSourcePatterns), by repository path. */
export function harnessFileList(repoRoot) {
  return sourceFileList(repoRoot).filter((name) => !isKernelSource(name));
}

/** sha256 (hex) over the harness's sources, as sourceHash over all of them. */
export function harnessHash(repoRoot) {
  return hashEntries(repoRoot, sourceEntries(repoRoot).filter(([, name]) => !isKernelSource(name)));
}
