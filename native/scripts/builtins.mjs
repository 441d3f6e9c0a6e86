// The built-in problems a build compiles: src/builtin/builtins.txt, the one list CMakeLists.txt
// reads too. Each is a directory of src/builtin with files by role (builtins.txt says which).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The built-ins' directories, in the order builtins.txt lists them (its comments and blank lines skipped). */
export function builtinNames(nativeDir) {
  return readFileSync(join(nativeDir, 'src', 'builtin', 'builtins.txt'), 'utf8').split('\n').map((line) => line.trim()).filter((line) => /^[A-Za-z0-9_]+$/.test(line));
}

/** The built-ins' CPU kernel sources, relative to the native directory (src/builtin/<name>/cpu_kernels.cc). */
export function builtinCpuKernels(nativeDir) {
  return builtinNames(nativeDir).map((name) => `src/builtin/${name}/cpu_kernels.cc`).filter((file) => existsSync(join(nativeDir, file)));
}
