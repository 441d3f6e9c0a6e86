// Types of fault-cases-first-steps.mjs for the TypeScript test that runs its cases.
import type { FaultCase } from './fault-runner.mjs';
export const firstStepsCases: FaultCase[];
