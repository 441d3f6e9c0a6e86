#include "builtin/attention_spec.h"

namespace ratchet {
namespace {

const char* const kDtypes[] = {"fp16", "bf16"};

}  // namespace

// The declared ranges bound every backend (the CPU takes D up to 256, the CUDA kernels 64 and
// 128): what one backend cannot run it refuses in supports(), with its own reason.
const ratchet_param kAttentionParams[kAttentionParamCount] = {
    {"dtype", nullptr, RATCHET_PARAM_ENUM, 0, 0, nullptr, 0, kDtypes, 2},
    {"B", "batch", RATCHET_PARAM_INT, 1, 65535, nullptr, 0, nullptr, 0},
    {"H", "heads", RATCHET_PARAM_INT, 1, 65535, nullptr, 0, nullptr, 0},
    {"S", "sequence length (queries and keys)", RATCHET_PARAM_INT, 1, int64_t(1) << 30, nullptr, 0, nullptr, 0},
    {"D", "head dim", RATCHET_PARAM_INT, 1, 256, nullptr, 0, nullptr, 0},
    {"causal", "mask keys after the query", RATCHET_PARAM_BOOL, 0, 0, nullptr, 0, nullptr, 0},
};

void attentionWork(const int64_t* params, ratchet_work* work) {
  const AttentionShape s = attentionShape(params);
  const double full = 4.0 * double(s.B) * double(s.H) * double(s.S) * double(s.S) * double(s.D);
  work->flops = s.causal ? full / 2 : full;
  work->bytes = 4.0 * double(s.elements()) * 2;
}

}  // namespace ratchet
