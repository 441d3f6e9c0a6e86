#include "builtin/rmsnorm_spec.h"

namespace ratchet {
namespace {

const char* const kDtypes[] = {"fp16", "bf16"};

}  // namespace

// rows up to 2^31 - 1: one CTA (or warp) per row stays within a 1-D grid; cols up to 2^24, where a
// row's fp32 sum of squares still carries about 12 good bits per element.
const ratchet_param kRmsnormParams[kRmsnormParamCount] = {
    {"dtype", nullptr, RATCHET_PARAM_ENUM, 0, 0, nullptr, 0, kDtypes, 2},
    {"rows", "rows of x", RATCHET_PARAM_INT, 1, (int64_t(1) << 31) - 1, nullptr, 0, nullptr, 0},
    {"cols", "elements per row", RATCHET_PARAM_INT, 1, int64_t(1) << 24, nullptr, 0, nullptr, 0},
};

void rmsnormWork(const int64_t* params, ratchet_work* work) {
  const RmsnormShape s = rmsnormShape(params);
  work->flops = 4.0 * double(s.elements());
  work->bytes = (2.0 * double(s.elements()) + double(s.cols)) * 2;
}

}  // namespace ratchet
