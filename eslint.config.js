import tseslint from 'typescript-eslint';

// Imports go one way (DESIGN.md): each package may import only the packages below it.
const allowedImports = {
  types: [],
  charts: [],
  stats: ['types'],
  report: ['types', 'charts'],
  history: ['types'],
  dashboard: ['types', 'charts'],
  baseline: ['types', 'stats'],
  core: ['types', 'stats', 'baseline', 'report'],
  ci: ['types', 'core'],
  cli: ['types', 'core', 'native', 'ci', 'history', 'dashboard'],
  // The GitHub Action bundles the CLI and ci (DESIGN.md: the Action bundles cli + ci); nothing imports it.
  action: ['types', 'core', 'ci', 'cli'],
  native: ['types'],
};
const all = Object.keys(allowedImports);

const layering = Object.entries(allowedImports).map(([name, allowed]) => ({
  files: [name === 'native' ? 'native/lib/**/*.ts' : `packages/${name}/src/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: all
          .filter((other) => other !== name && !allowed.includes(other))
          .map((other) => ({
            group: [`@ratchet/${other}`, `@ratchet/${other}/*`],
            message: `@ratchet/${name} may not import @ratchet/${other} (DESIGN.md: imports go one way).`,
          })),
      },
    ],
  },
}));

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
