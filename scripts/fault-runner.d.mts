// Types of fault-runner.mjs for the TypeScript test that runs some of its cases.
export interface Project {
  dir: string;
  path(rel: string): string;
  write(rel: string, text: string | object): void;
  read(rel: string): string;
  remove(rel: string): void;
  json(rel: string): any;
  config(extra: object): void;
}
export interface FaultCase {
  id: string;
  group: string;
  title: string;
  item?: number | string;
  from?: 'fresh' | 'seeded';
  args?: string[];
  expect: { exit: number | string | (number | string)[]; disk: unknown };
}
export interface Templates {
  root: string;
  fresh: string;
  seeded: string;
}
export interface CaseOutcome {
  testCase: FaultCase;
  skipped?: string;
  status?: number | string | null;
  left?: string[];
  message?: string;
  ok?: boolean;
}
export const defaultCli: string;
export const repoRoot: string;
export function prepareTemplates(cli: string, root?: string): Promise<Templates>;
export function runCase(testCase: FaultCase, options: { cli?: string; templates: Templates }): Promise<CaseOutcome>;
