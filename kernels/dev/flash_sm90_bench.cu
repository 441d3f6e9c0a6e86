// flash_sm90_bench.cu: a standalone check-then-time driver for the Hopper flash versions (no Node).
// Every candidate (the table's variants and a few dev-only tilings) is checked against the fp32
// reference kernel on the GPU test matrix's shapes; only then are the suite shapes timed, with
// CUDA events around one launch after an L2 flush, median of the samples, beside the mma.sync
// default. Inputs come from the shared generator (native/src/input_generator.h), outputs are
// poisoned with NaN before every launch. `adversarial` checks the same matrix on inputs whose scores
// climb along the key axis (see applyRamp), so that version 7's lazy rescaling actually rescales:
// on uniform inputs (the GPU tests') a row max practically never moves by more than its threshold
// after the first key tile (log2-scaled scores spread about 0.5 there).
//
//   nvcc -O3 -std=c++17 --use_fast_math -gencode=arch=compute_90a,code=sm_90a -Ikernels -Inative/src \
//     kernels/dev/flash_sm90_bench.cu kernels/flash_fwd_variants.cu kernels/flash_fwd_{fp16,bf16}_d{64,128}.cu \
//     kernels/reference.cu kernels/tensor_map.cu kernels/flash_sm90_v{1,2,3,4,5,6,7,8,9}.cu -DRATCHET_WITH_SM90A -o flash_sm90_bench
//     (add -DRATCHET_SM90_WAIT_LIMIT=100000000 so a deadlocked barrier wait traps instead of hanging)
//   ./flash_sm90_bench check [NAMES]     # candidates (comma-separated names; default all) x dtype x D x causal x S in {1, 17, ..., 4224}
//   ./flash_sm90_bench adversarial [NAMES]  # the same matrix on climbing scores (up to 96 and 384 log2 units over the keys)
//   ./flash_sm90_bench time N [NAMES]    # check two heads, then N samples per suite shape
//   ./flash_sm90_bench sanitize [NAMES]  # small shapes, fp16 (for compute-sanitizer)
//   ./flash_sm90_bench profile NAME I    # suite shape I (0-15), three launches (for ncu)
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "attention.h"
#include "flash_sm90_launch.cuh"
#include "flash_sm90_v6.cuh"
#include "input_generator.h"

using namespace ratchet::kernels::sm90;

#define CHECK(expression)                                                                                     \
  do {                                                                                                        \
    const cudaError_t status_ = (expression);                                                                 \
    if (status_ != cudaSuccess) {                                                                             \
      std::fprintf(stderr, "%s failed: %s (%s:%d)\n", #expression, cudaGetErrorString(status_), __FILE__, __LINE__); \
      std::exit(2);                                                                                           \
    }                                                                                                         \
  } while (0)

// Dev-only tilings: the same kernels with other tiles, to pick each variant's tiles by measurement.
template <class Version, int kConsumers64, int kBlockN64, int kStages64, int kConsumers128, int kBlockN128, int kStages128, bool kPersistent = false>
struct Retiled : Version {
  template <typename Element, int D>
  using Config = Sm90Config<Element, D, D == 64 ? kConsumers64 : kConsumers128, D == 64 ? kBlockN64 : kBlockN128, D == 64 ? kStages64 : kStages128, true,
                            kPersistent>;
};

using LaunchFunction = cudaError_t (*)(const ratchet_attention_params&, cudaStream_t);
struct Candidate {
  std::string name;
  int variant;            // index in the variant table, or -1 for a dev tiling
  LaunchFunction launch;  // dev tilings only
};

std::vector<Candidate> candidates(bool withDev) {
  std::vector<Candidate> list;
  for (int v = 3; v < ratchet_flash_fwd_variant_count(); ++v) list.push_back({ratchet_flash_fwd_variant_name(v), v, nullptr});
  if (!withDev) return list;
  // The ring depth at D = 64: version 6 measured 298 -> 350 TFLOP/s at B32 H8 S512 from 2 to 3
  // stages (H200, 2026-12-01); 4 and 6 stages were within run-to-run noise of 3.
  list.push_back({"dev_v6_d64s2", -1, &launchVersion<Retiled<Sm90V6, 2, 128, 2, 2, 128, 2, true>>});
  return list;
}

// The candidates named in a comma-separated list (all when the list is empty).
std::vector<Candidate> selected(const std::string& names) {
  std::vector<Candidate> all = candidates(true), chosen;
  if (names.empty()) return all;
  for (const Candidate& c : all)
    if (("," + names + ",").find("," + c.name + ",") != std::string::npos) chosen.push_back(c);
  return chosen;
}

cudaError_t launch(const Candidate& c, const ratchet_attention_params& p, cudaStream_t stream) {
  return c.variant >= 0 ? ratchet_flash_fwd(c.variant, &p, stream) : c.launch(p, stream);
}

struct Shape {
  ratchet_dtype dtype;
  int B, H, S, D;
  bool causal;
  double flops() const { return 4.0 * B * H * double(S) * S * D * (causal ? 0.5 : 1.0); }
  std::string id() const {
    char text[96];
    std::snprintf(text, sizeof text, "%s B%d H%d S%d D%d%s", dtype == RATCHET_FP16 ? "fp16" : "bf16", B, H, S, D, causal ? " causal" : "");
    return text;
  }
};

__global__ void fillKernel(uint16_t* out, long long count, uint32_t seed, uint32_t tensor, bool bf16) {
  for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < count; i += (long long)gridDim.x * blockDim.x) {
    const float value = ratchet::sharedUniform(seed, tensor, uint64_t(i));
    const uint16_t bits = bf16 ? __bfloat16_as_ushort(__float2bfloat16_rn(value)) : __half_as_ushort(__float2half_rn(value));
    out[i] = bits;
  }
}

// Adversarial scores: channel 0 of Q becomes 1.5 u (u uniform in [-1, 1), one per row) and channel 0
// of K a ramp over the key index, so row i's log2-scaled scores drift by 1.5 u_i * growthLog2 from
// key 0 to key S - 1: up for some rows, down or flat for others, in every warp (some rows of a warp
// need a new max while others do not). growthLog2 = 64 makes an increasing row move its max past
// version 7's threshold (8) every S / 8 keys or so; 256 makes early keys underflow to 0 outright
// (2^-384 is below fp32's range) and the corrections with them.
__global__ void applyRamp(uint16_t* q, uint16_t* k, long long heads, int S, int D, float growthLog2, float scaleLog2, uint32_t seed, bool bf16) {
  for (long long row = blockIdx.x * (long long)blockDim.x + threadIdx.x; row < heads * S; row += (long long)gridDim.x * blockDim.x) {
    const float slope = 1.5f * ratchet::sharedUniform(seed, 3, uint64_t(row));
    const float ramp = growthLog2 / scaleLog2 * float(row % S) / float(S > 1 ? S - 1 : 1);
    q[row * D] = bf16 ? __bfloat16_as_ushort(__float2bfloat16_rn(slope)) : __half_as_ushort(__float2half_rn(slope));
    k[row * D] = bf16 ? __bfloat16_as_ushort(__float2bfloat16_rn(ramp)) : __half_as_ushort(__float2half_rn(ramp));
  }
}

// stats: [0] sum (o - ref)^2, [1] sum ref^2, [2] max |o - ref|, [3] non-finite outputs.
__global__ void compareKernel(const uint16_t* out, const float* ref, long long count, bool bf16, double* stats) {
  double diff2 = 0, ref2 = 0, maxAbs = 0, bad = 0;
  for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < count; i += (long long)gridDim.x * blockDim.x) {
    const float got = bf16 ? __bfloat162float(__ushort_as_bfloat16(out[i])) : __half2float(__ushort_as_half(out[i]));
    if (!isfinite(got)) {
      bad += 1;
      continue;
    }
    const double err = fabs(double(got) - ref[i]);
    diff2 += err * err;
    ref2 += double(ref[i]) * ref[i];
    maxAbs = fmax(maxAbs, err);
  }
  atomicAdd(&stats[0], diff2);
  atomicAdd(&stats[1], ref2);
  atomicMax(reinterpret_cast<unsigned long long*>(&stats[2]), __double_as_longlong(maxAbs));  // non-negative doubles order as integers
  atomicAdd(&stats[3], bad);
}

struct Buffers {
  uint16_t *q = nullptr, *k = nullptr, *v = nullptr, *o = nullptr;
  float* ref = nullptr;
  double* stats = nullptr;
  void* flush = nullptr;
  size_t flushBytes = 0;
};

ratchet_attention_params paramsOf(const Shape& s, const Buffers& b) {
  ratchet_attention_params p{};
  p.q = b.q, p.k = b.k, p.v = b.v, p.o = b.o;
  p.B = s.B, p.H = s.H, p.S = s.S, p.D = s.D, p.dtype = s.dtype, p.causal = s.causal, p.scale = 1.f / std::sqrt(float(s.D));
  return p;
}

// Uniform inputs from the shared generator; with growthLog2 > 0, climbing scores on top (applyRamp).
void fillInputs(const Shape& s, const Buffers& b, uint32_t seed, cudaStream_t stream, float growthLog2 = 0.f) {
  const long long count = (long long)s.B * s.H * s.S * s.D;
  uint16_t* tensors[] = {b.q, b.k, b.v};
  for (uint32_t t = 0; t < 3; ++t) fillKernel<<<1024, 256, 0, stream>>>(tensors[t], count, seed, t, s.dtype == RATCHET_BF16);
  CHECK(cudaGetLastError());
  if (growthLog2 > 0.f) {
    const float scaleLog2 = 1.4426950408889634f / std::sqrt(float(s.D));
    applyRamp<<<256, 256, 0, stream>>>(b.q, b.k, (long long)s.B * s.H, s.S, s.D, growthLog2, scaleLog2, seed, s.dtype == RATCHET_BF16);
    CHECK(cudaGetLastError());
  }
}

// The fp32 reference for heads [first, first + count) into b.ref (packed from 0).
void referenceHeads(const Shape& s, const Buffers& b, long long first, int count, cudaStream_t stream) {
  const size_t head = size_t(s.S) * s.D;
  ratchet_attention_params p = paramsOf(s, b);
  p.B = 1, p.H = count;
  p.q = b.q + first * head, p.k = b.k + first * head, p.v = b.v + first * head, p.o = b.ref;
  CHECK(ratchet_attention_reference(&p, stream));
}

struct Verdict {
  double relError, maxAbs, nonFinite;
};

Verdict compareHeads(const Shape& s, const Buffers& b, long long first, int count, cudaStream_t stream) {
  const size_t head = size_t(s.S) * s.D;
  CHECK(cudaMemsetAsync(b.stats, 0, 4 * sizeof(double), stream));
  compareKernel<<<512, 256, 0, stream>>>(b.o + first * head, b.ref, (long long)(count * head), s.dtype == RATCHET_BF16, b.stats);
  CHECK(cudaGetLastError());
  double stats[4];
  CHECK(cudaMemcpyAsync(stats, b.stats, sizeof stats, cudaMemcpyDeviceToHost, stream));
  CHECK(cudaStreamSynchronize(stream));
  return {stats[1] > 0 ? std::sqrt(stats[0] / stats[1]) : 0, stats[2], stats[3]};
}

double toleranceOf(ratchet_dtype dtype) { return dtype == RATCHET_FP16 ? 2e-3 : 1.6e-2; }

// Poisons O, launches, compares `count` heads from `first`; prints and returns whether it passed.
bool checkOne(const Candidate& c, const Shape& s, const Buffers& b, long long first, int count, cudaStream_t stream, bool quiet) {
  CHECK(cudaMemsetAsync(b.o, 0xff, size_t(s.B) * s.H * s.S * s.D * 2, stream));  // 0xffff: NaN in fp16 and bf16
  const ratchet_attention_params p = paramsOf(s, b);
  const cudaError_t launched = launch(c, p, stream);
  if (launched != cudaSuccess) {
    std::printf("FAIL %-26s %-28s launch: %s\n", c.name.c_str(), s.id().c_str(), cudaGetErrorString(launched));
    return false;
  }
  const cudaError_t ran = cudaStreamSynchronize(stream);
  if (ran != cudaSuccess) {
    std::printf("FAIL %-26s %-28s run: %s\n", c.name.c_str(), s.id().c_str(), cudaGetErrorString(ran));
    std::exit(3);  // a fault poisons the context: nothing after it can be trusted
  }
  const Verdict v = compareHeads(s, b, first, count, stream);
  const bool passed = v.nonFinite == 0 && v.relError <= toleranceOf(s.dtype);
  if (!passed || !quiet) std::printf("%s %-26s %-28s rel %.2e max %.2e nonfinite %.0f\n", passed ? "ok  " : "FAIL", c.name.c_str(), s.id().c_str(), v.relError, v.maxAbs, v.nonFinite);
  return passed;
}

Buffers allocate(size_t maxElements, size_t maxRefElements) {
  Buffers b;
  CHECK(cudaMalloc(&b.q, maxElements * 2));
  CHECK(cudaMalloc(&b.k, maxElements * 2));
  CHECK(cudaMalloc(&b.v, maxElements * 2));
  CHECK(cudaMalloc(&b.o, maxElements * 2));
  CHECK(cudaMalloc(&b.ref, maxRefElements * 4));
  CHECK(cudaMalloc(&b.stats, 4 * sizeof(double)));
  int l2 = 0;
  CHECK(cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, 0));
  b.flushBytes = size_t(l2) * 2;
  CHECK(cudaMalloc(&b.flush, b.flushBytes));
  return b;
}

// growths: the applyRamp growth of each round of inputs (0: uniform only).
int runChecks(const std::vector<Candidate>& list, const std::vector<int>& lengths, bool allDtypes, bool verbose, cudaStream_t stream,
              const std::vector<float>& growths = {0.f}) {
  Buffers b = allocate(size_t(2) * 3 * 4224 * 128, size_t(2) * 3 * 4224 * 128);
  int failures = 0, checks = 0;
  uint32_t seed = 1;
  for (float growthLog2 : growths) {
    if (growthLog2 > 0.f) std::printf("scores climbing by up to %.0f (log2) over the keys\n", 1.5 * growthLog2);
    for (ratchet_dtype dtype : {RATCHET_FP16, RATCHET_BF16}) {
      if (!allDtypes && dtype == RATCHET_BF16) continue;
      for (int D : {64, 128})
        for (bool causal : {false, true})
          for (int S : lengths) {
            const Shape s{dtype, 2, 3, S, D, causal};
            fillInputs(s, b, seed++, stream, growthLog2);
            referenceHeads(s, b, 0, 6, stream);
            for (const Candidate& c : list) {
              failures += checkOne(c, s, b, 0, 6, stream, !verbose) ? 0 : 1;
              ++checks;
            }
          }
    }
  }
  std::printf("%s: %d of %d checks failed\n", failures ? "CHECK FAILED" : "All results match", failures, checks);
  return failures;
}

double medianMs(const Candidate& c, const Shape& s, const Buffers& b, int samples, cudaStream_t stream, cudaEvent_t start, cudaEvent_t stop) {
  const ratchet_attention_params p = paramsOf(s, b);
  for (int i = 0; i < 5; ++i) CHECK(launch(c, p, stream));
  std::vector<float> times;
  for (int i = 0; i < samples; ++i) {
    CHECK(cudaMemsetAsync(b.flush, i & 0xff, b.flushBytes, stream));
    CHECK(cudaEventRecord(start, stream));
    CHECK(launch(c, p, stream));
    CHECK(cudaEventRecord(stop, stream));
    CHECK(cudaEventSynchronize(stop));
    float ms = 0;
    CHECK(cudaEventElapsedTime(&ms, start, stop));
    times.push_back(ms);
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

// The default GPU suite's shapes, the issue's extra ones, and one D64 causal shape; fp16 then bf16.
constexpr int kTimedShapes = 8;
Shape timedShape(int index) {
  const int B[] = {32, 16, 8, 8, 2, 4, 8, 16};
  const int H[] = {8, 16, 32, 16, 16, 16, 16, 16};
  const int S[] = {512, 1024, 2048, 2048, 8192, 4096, 2048, 1024};
  const int D[] = {64, 64, 64, 128, 128, 128, 128, 64};
  const bool causal[] = {false, false, false, false, false, true, true, true};
  const int i = index % kTimedShapes;
  return {index < kTimedShapes ? RATCHET_FP16 : RATCHET_BF16, B[i], H[i], S[i], D[i], causal[i]};
}
constexpr size_t kTimedElements = size_t(8) * 32 * 2048 * 64;  // the largest timed shape's tensor

void runProfile(const Candidate& c, int index, cudaStream_t stream) {
  const Shape s = timedShape(index);
  Buffers b = allocate(kTimedElements, size_t(8192) * 128);
  fillInputs(s, b, 7, stream);
  const ratchet_attention_params p = paramsOf(s, b);
  for (int i = 0; i < 3; ++i) CHECK(launch(c, p, stream));
  CHECK(cudaStreamSynchronize(stream));
  std::printf("profiled %s on %s\n", c.name.c_str(), s.id().c_str());
}

void runTimings(std::vector<Candidate> list, int samples, cudaStream_t stream) {
  Buffers b = allocate(kTimedElements, size_t(8192) * 128);
  cudaEvent_t start, stop;
  CHECK(cudaEventCreate(&start));
  CHECK(cudaEventCreate(&stop));
  list.insert(list.begin(), {"mma_default", -2, nullptr});
  std::vector<std::string> rows;
  for (int i = 0; i < 2 * kTimedShapes; ++i) {
    {
      const Shape s = timedShape(i);
      fillInputs(s, b, 100 + i, stream);
      const long long heads = (long long)s.B * s.H;
      std::string row = s.id();
      row.resize(28, ' ');
      for (Candidate c : list) {
        if (c.variant == -2) c.variant = s.causal ? 0 : 1;  // the mma.sync default on sm_90 before the Hopper versions
        bool passed = true;
        for (long long first : {0LL, heads - 1}) {
          referenceHeads(s, b, first, 1, stream);
          passed = checkOne(c, s, b, first, 1, stream, true) && passed;
        }
        char cell[48];
        if (!passed) std::snprintf(cell, sizeof cell, " %9s", "FAIL");
        else std::snprintf(cell, sizeof cell, " %9.1f", s.flops() / (medianMs(c, s, b, samples, stream, start, stop) * 1e-3) / 1e12);
        row += cell;
      }
      rows.push_back(row);
      std::printf("%s\n", row.c_str());
      std::fflush(stdout);
    }
  }
  std::printf("\nTFLOP/s (median of %d, L2 flushed), columns:\n", samples);
  for (size_t c = 0; c < list.size(); ++c) std::printf("  %zu %s\n", c + 1, list[c].name.c_str());
  for (const std::string& row : rows) std::printf("%s\n", row.c_str());
}

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "check";
  int sm = 0, major = 0, minor = 0;
  CHECK(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, 0));
  CHECK(cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, 0));
  sm = major * 10 + minor;
  if (sm != 90) {
    std::fprintf(stderr, "needs an sm_90 device (found sm_%d)\n", sm);
    return 2;
  }
  cudaStream_t stream;
  CHECK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
  const std::string names = argc > 2 && mode != "time" && mode != "profile" ? argv[2] : (argc > 3 ? argv[3] : "");
  if (mode == "check") return runChecks(selected(names), {1, 17, 113, 127, 129, 1000, 1023, 4224}, true, false, stream) ? 1 : 0;
  if (mode == "adversarial") return runChecks(selected(names), {1, 17, 113, 127, 129, 1000, 1023, 4224}, true, false, stream, {64.f, 256.f}) ? 1 : 0;
  if (mode == "sanitize") return runChecks(names.empty() ? candidates(false) : selected(names), {17, 129}, false, true, stream) ? 1 : 0;
  if (mode == "time" && argc > 2) {
    runTimings(selected(names), std::atoi(argv[2]), stream);
    return 0;
  }
  if (mode == "profile" && argc > 3) {
    const std::vector<Candidate> chosen = selected(argv[2]);
    if (chosen.size() == 1) {
      runProfile(chosen[0], std::atoi(argv[3]), stream);
      return 0;
    }
  }
  std::fprintf(stderr, "usage: flash_sm90_bench check [NAMES] | adversarial [NAMES] | time N [NAMES] | sanitize [NAMES] | profile NAME I\n");
  return 2;
}
