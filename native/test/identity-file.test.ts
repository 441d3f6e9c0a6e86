import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identityFilePath, identityFileProblem, nativeAddonPath } from '../lib/index.js';

/** A build directory with `text` as its kernel-identity.json (none when null). */
function build(text: string | null): string {
  const dir = mkdtempSync(join(tmpdir(), 'ratchet-identity-'));
  if (text !== null) writeFileSync(join(dir, 'kernel-identity.json'), text);
  return join(dir, 'ratchet_native.node');
}

const table = (kernels: Record<string, Record<string, string>>) => JSON.stringify({ schemaVersion: 1, kernels });
const cpu = { backend: 'cpu' as const, computeCapability: null };
const h100 = { backend: 'cuda' as const, computeCapability: '9.0' };

describe("identityFileProblem: whether a build's identity file names the code this device runs", () => {
  it("the built addon's names its CPU kernels", () => {
    expect(identityFileProblem(nativeAddonPath()!, cpu)).toBeNull();
  });

  it('a file of this architecture is fine: CPU kernels on the CPU, a cubin the GPU runs', () => {
    expect(identityFileProblem(build(table({ cpu: { cpuRmsnormCached: 'a' } })), cpu)).toBeNull();
    expect(identityFileProblem(build(table({ sm_90a: { k: 'a' }, sm_80: { k: 'b' } })), h100)).toBeNull();
  });

  it('says in one line that the file is missing, unreadable, or not an identity file', () => {
    const missing = build(null);
    expect(identityFileProblem(missing, cpu)).toBe(`${identityFilePath(missing)} is missing`);
    const garbled = build('{"schemaVersion": 1, "kern');
    expect(identityFileProblem(garbled, cpu)).toMatch(new RegExp(`^${identityFilePath(garbled)} could not be read \\(.*JSON`));
    const other = build('{"schemaVersion": 2, "kernels": {}}');
    expect(identityFileProblem(other, cpu)).toBe(`${identityFilePath(other)} is not a kernel identity file (expected schemaVersion 1 and kernels)`);
    const directory = build(null);
    mkdirSync(identityFilePath(directory));
    expect(identityFileProblem(directory, cpu)).toBe(`${identityFilePath(directory)} could not be read (EISDIR)`);
  });

  it('says when it holds code of other architectures only', () => {
    const ampere = build(table({ sm_80: { k: 'a' }, cpu: { f: 'b' } }));
    expect(identityFileProblem(ampere, h100)).toBe(`${identityFilePath(ampere)} holds machine code for cpu, sm_80, none of which this GPU (compute capability 9.0) runs`);
    const gpuOnly = build(table({ sm_90: { k: 'a' } }));
    expect(identityFileProblem(gpuOnly, cpu)).toBe(`${identityFilePath(gpuOnly)} holds no CPU kernels (it holds sm_90)`);
  });
});
