// The hash of the sources a native build is made from: every C, C++ and CUDA source and header
// under kernels/, native/src/ and native/include/, and the CMake files. build.mjs records it in
// build/Release/build-info.json; native/lib's sourceHash() computes it for a checkout with this same
// code, so a run can tell that the addon it loads was built from other sources (a stale build).
// Paths enter relative to the repository root, contents byte for byte; timestamps never do. Docs
// (*.md) and tool configs are left out: they cannot change what is built.
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
/**
 * The kernels' own sources, left out of the harness hash: kernels/ (CUDA: each kernel's SASS is
 * hashed from the cubins) and the CPU kernels' translation units (each function hashed from its
 * object file: build.mjs reads `<name>.o` of each).
 */
export const kernelSources = ['kernels/', 'native/src/builtin/cpu_attention.cc', 'native/src/builtin/cpu_rmsnorm.cc'];
const sourcePattern = /(\.(c|cc|cpp|cxx|h|hh|hpp|cu|cuh|inc|cmake)|CMakeLists\.txt)$/;

function walk(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else if (entry.isFile() && sourcePattern.test(entry.name)) out.push(path);
  }
}

/** The source files of a checkout, relative to `repoRoot` with '/' separators, sorted. */
export function sourceFileList(repoRoot) {
  const files = [];
  for (const dir of sourceDirs) if (existsSync(join(repoRoot, dir))) walk(join(repoRoot, dir), files);
  for (const file of sourceFiles) if (existsSync(join(repoRoot, file)) && statSync(join(repoRoot, file)).isFile()) files.push(join(repoRoot, file));
  return files.map((file) => relative(repoRoot, file).split(sep).join('/')).sort();
}

function hashFiles(repoRoot, files) {
  const hash = createHash('sha256');
  for (const file of files) {
    const bytes = readFileSync(join(repoRoot, file));
    hash.update(`${file}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

/** sha256 (hex) over each source file's path and bytes, in sorted order. */
export function sourceHash(repoRoot) {
  return hashFiles(repoRoot, sourceFileList(repoRoot));
}

/** The sources of the harness: every source file but the kernels' own (kernelSources). */
export function harnessFileList(repoRoot) {
  return sourceFileList(repoRoot).filter((file) => !kernelSources.some((kernel) => (kernel.endsWith('/') ? file.startsWith(kernel) : file === kernel)));
}

/** sha256 (hex) over the harness's sources, as sourceHash over all of them. */
export function harnessHash(repoRoot) {
  return hashFiles(repoRoot, harnessFileList(repoRoot));
}
