import tseslint from 'typescript-eslint';

// Imports go one way (DESIGN.md): each package may import only the packages below it.
export const allowedImports = {
  types: [],
  files: ['types'],
  charts: [],
  stats: ['types'],
  report: ['types', 'charts'],
  history: ['types', 'files'],
  dashboard: ['types', 'files', 'charts'],
  baseline: ['types', 'stats'],
  core: ['types', 'files', 'stats', 'baseline', 'report'],
  ci: ['types', 'baseline'],
  cli: ['types', 'files', 'stats', 'baseline', 'report', 'core', 'native', 'ci', 'history', 'dashboard'],
  // The GitHub Action bundles the CLI and ci (DESIGN.md: the Action bundles cli + ci); nothing imports it.
  action: ['types', 'files', 'baseline', 'report', 'ci', 'cli'],
  native: ['types'],
};
const all = Object.keys(allowedImports);

// Files on their own floor: these packages read and write through @ratchet/files only (its
// atomic writes, lock and validated reads), never with node:fs of their own.
const throughFiles = ['charts', 'stats', 'report', 'history', 'dashboard', 'baseline', 'core'];
const fileSystem = {
  group: ['fs', 'fs/*', 'node:fs', 'node:fs/*'],
  message: 'read and write through @ratchet/files (DESIGN.md: files on their own floor), not node:fs.',
};

const otherCommand = {
  regex: '^\\.\\./(?!\\.\\./)',
  message: 'a command imports no other command (docs/design.md): move what two commands share beside commands/ (measuring/, judging/, peers/).',
};

const restricted = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

const layering = Object.entries(allowedImports).flatMap(([name, allowed]) => {
  const files = [name === 'native' ? 'native/lib/**/*.ts' : `packages/${name}/src/**/*.ts`];
  const upward = all
    .filter((other) => other !== name && !allowed.includes(other))
    .map((other) => ({
      group: [`@ratchet/${other}`, `@ratchet/${other}/*`],
      message: `@ratchet/${name} may not import @ratchet/${other} (DESIGN.md: imports go one way).`,
    }));
  // Tests keep the package's floor but may make their scratch files with node:fs.
  if (throughFiles.includes(name)) return [{ files, rules: restricted(upward) }, { files, ignores: ['**/*.test.ts'], rules: restricted([...upward, fileSystem]) }];
  // A CLI command imports no other (packages/cli/src/commands/<name>/): what commands share lives beside commands/.
  if (name === 'cli') return [{ files, rules: restricted(upward) }, { files: ['packages/cli/src/commands/*/**/*.ts'], rules: restricted([...upward, otherCommand]) }];
  return [{ files, rules: restricted(upward) }];
});

export default tseslint.config(
  { ignores: ['**/dist/**', '**/build/**', '**/node_modules/**', '.nx/**', 'packages/action/bundle/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...layering,
);
