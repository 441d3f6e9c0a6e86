import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root: these tests check files that live beside the packages (workflows, nx.json). */
export const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
