import { describe, expect, it } from 'vitest';
import { errorCodes } from '@ratchet/types';
import { exitCodeFor, exitCodes } from './exit-codes.js';

describe('exit codes', () => {
  it('maps every error code to a documented status', () => {
    const documented = new Set<number>(Object.values(exitCodes));
    for (const code of errorCodes) expect(documented.has(exitCodeFor(code)), code).toBe(true);
  });
  it('a failing kernel (calibrate, a problem\'s own failure) is exit 1; a held lock 3; an interrupt 130', () => {
    expect(exitCodeFor('ERR_RATCHET_KERNEL_FAILED')).toBe(1);
    expect(exitCodeFor('ERR_RATCHET_LOCKED')).toBe(3);
    expect(exitCodeFor('ERR_RATCHET_INTERRUPTED')).toBe(130);
  });
});
