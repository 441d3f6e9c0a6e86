// flash_sm90_v9.cuh: version 9 of the Hopper forward: version 4 with wider key tiles.
//
// Idea (FlashAttention-3's tile shape, 128 x 176 at D = 128): each key tile costs a fixed part
// besides its GEMMs (the barrier waits, the row max and sum across the quad, O's rescale, the
// pingpong turn), so wider tiles pay it less often. 176 keys at D = 128 keep S (88), P (44) and
// O (64 registers) inside the 240 a consumer has, and two stages of K and V (176 KB) beside Q fit
// in shared memory, O going out through Q's buffer as in version 4 (so not persistent: version 5's
// own O buffer leaves room for 160 keys, version 10 on trial). At D = 64, 192 keys with two
// consumers (version 4 has three of 128 keys there).
//
// Measured on an H100 (2026-12-06, docs/benchmarks.md): the widest tiles win only the longest
// causal rows, B1 H16 S16384 D128 causal 660 vs version 4's 635 TFLOP/s (fp16; 682 vs 659 bf16),
// where a row runs through up to 94 key tiles. Elsewhere it is level (within 2% at S 8192 causal
// and S 16384 non-causal) or 4-30% behind the best of versions 4-8 (the masked remainder of the
// last tile, S / 176 not whole, and version 4's prologue per CTA), and behind at D = 64 everywhere.
#pragma once

#include "flash_sm90_v4.cuh"

namespace ratchet::kernels::sm90 {

struct Sm90V9 : Sm90V4 {
  template <typename Element, int D>
  using Config = Sm90Config<Element, D, 2, D == 64 ? 192 : 176, 2, true>;
};

}  // namespace ratchet::kernels::sm90
