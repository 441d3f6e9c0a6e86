// The Python package ratchet_problem installed the way pip lays it out (the package directory and
// its .dist-info side by side, in a directory to put on PYTHONPATH), from this checkout's sources
// but with the version and protocol a case asks for: "a package of another protocol version"
// without a package index. Used by scripts/fault-cases.mjs and core's process-source tests; the
// real wheel, built and pip-installed into a virtual environment, is tested by
// packages/core/test/python-package.test.ts.
import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const pythonPackageSource = resolve(dirname(fileURLToPath(import.meta.url)), '../packages/core/python/ratchet_problem');

/** Installs the copy into `site` as ratchet-problem `version` speaking `protocol`; returns the package directory. */
export function installPythonPackage(site, { version, protocol }) {
  const target = join(site, 'ratchet_problem');
  cpSync(pythonPackageSource, target, { recursive: true, filter: (path) => !path.includes('__pycache__') });
  writeFileSync(join(target, '_version.py'), `__version__ = "${version}"\nPROTOCOL = ${protocol}\n`);
  const info = join(site, `ratchet_problem-${version}.dist-info`);
  mkdirSync(info);
  writeFileSync(join(info, 'METADATA'), `Metadata-Version: 2.1\nName: ratchet-problem\nVersion: ${version}\n`);
  writeFileSync(join(info, 'INSTALLER'), 'pip\n');
  const files = readdirSync(target).map((name) => `ratchet_problem/${name},,`);
  writeFileSync(join(info, 'RECORD'), [...files, `${info.slice(site.length + 1)}/METADATA,,`, `${info.slice(site.length + 1)}/RECORD,,`, ''].join('\n'));
  return target;
}
