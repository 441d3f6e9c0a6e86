import { logger, Warn } from '@ratchet/charts';
import { describe, expect, it } from 'vitest';
import { chartSpecs } from './specs.js';

describe('chartSpecs', () => {
  it('compiles every chart to Vega without a warning from the compiler', () => {
    const messages: unknown[] = [];
    const collect = logger(Warn);
    collect.warn = (...args: readonly unknown[]) => void messages.push(args) as never;
    collect.error = (...args: readonly unknown[]) => void messages.push(args) as never;
    const specs = chartSpecs(collect);
    expect(messages).toEqual([]);
    for (const spec of Object.values(specs)) expect((spec as { $schema: string }).$schema).toMatch(/vega\/v6/);
  });
});
