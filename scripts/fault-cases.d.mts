// Types of fault-cases.mjs for the TypeScript test that runs some of its cases.
import type { FaultCase } from './fault-runner.mjs';
export const cases: FaultCase[];
