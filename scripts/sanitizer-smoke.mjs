#!/usr/bin/env node
// Every CUDA variant checked on small, awkward shapes: meant to run under compute-sanitizer
// (`compute-sanitizer --tool memcheck node scripts/sanitizer-smoke.mjs`), which then reports any
// out-of-bounds or misaligned access the correctness check alone could miss.
import { loadNative } from '@ratchet/native';

const native = loadNative();
let failures = 0;
for (const dtype of ['fp16', 'bf16']) {
  for (const D of [64, 128]) {
    for (const causal of [false, true]) {
      for (const S of [1, 17, 129]) {
        const benchmark = { kernel: 'flash_fwd', dtype, B: 1, H: 2, S, D, causal };
        for (const variant of native.variants('cuda', benchmark)) {
          const session = native.open('cuda', benchmark, { variant });
          const result = await session.check();
          session.close();
          if (!result.passed) failures += 1;
        }
      }
    }
  }
}
console.log(`sanitizer smoke: ${failures} failed checks`);
process.exit(failures ? 1 : 0);
