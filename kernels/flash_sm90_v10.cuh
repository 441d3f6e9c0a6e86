// flash_sm90_v10.cuh (dev only, on trial): version 5 (persistent) with wider key tiles.
//
// Version 9's idea where O needs its own staging buffer: 160 keys at D = 128 is the widest tile whose
// two K/V stages fit beside Q and O (224 KB); 192 keys at D = 64 with two consumers. Measured on an
// H100 (2026-12-06): level with version 5 at S 16384 non-causal D128 (653 vs 652 fp16), 2-36% slower
// everywhere else; kept in dev builds as the record of that try.
#pragma once

#include "flash_sm90_v5.cuh"

namespace ratchet::kernels::sm90 {

struct Sm90V10 : Sm90V5 {
  template <typename Element, int D>
  using Config = Sm90Config<Element, D, 2, D == 64 ? 192 : 160, 2, true, true>;
};

}  // namespace ratchet::kernels::sm90
