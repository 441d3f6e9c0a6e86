// matmul.cc: a Ratchet plugin with one CPU problem, C = A B in fp32 (row-major, A [M, K],
// B [K, N], C [M, N]), in two variants:
//   naive:   the textbook i-j-k loops; B is walked down a column, a cache miss per element.
//   blocked: 64 x 64 tiles of C, the k loop outside the j loop, so a row of B is read in order
//            and reused across the tile while it is in cache.
// Checked against the same product in double precision.
//
//   g++ -O2 -shared -fPIC -I../../native/include matmul.cc -o build/libratchet_matmul.so
//
// Everything the Problem ABI asks of a plugin is here: a parameter table, variants, supports,
// default_variant, work, setup, fill_inputs, launch, check, teardown, and the one exported entry
// point. No Ratchet library is linked: the header is the whole contract.
#include <ratchet/problem.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <new>
#include <vector>

namespace {

enum Param { kM, kN, kK };
// 4096: a naive 4096^3 product is minutes per launch on one core; larger is refused up front.
const ratchet_param kParams[] = {
    {"M", "rows of A and C", RATCHET_PARAM_INT, 1, 4096, nullptr, 0, nullptr, 0},
    {"N", "columns of B and C", RATCHET_PARAM_INT, 1, 4096, nullptr, 0, nullptr, 0},
    {"K", "columns of A, rows of B", RATCHET_PARAM_INT, 1, 4096, nullptr, 0, nullptr, 0},
};
const char* const kVariants[] = {"blocked", "naive"};
constexpr int kBlocked = 0;
constexpr int kTile = 64;  // 3 tiles of 64 x 64 floats: 48 KiB, about an L1 plus a bit of L2

struct Instance {
  int M, N, K, variant;
  std::vector<float> a, b, c;
};

void message(char* buffer, size_t size, const char* text) { std::snprintf(buffer, size, "%s", text); }

// Inputs from a seed: a small integer hash mapped to [-1, 1); never all zeros.
float uniform(uint32_t seed, uint32_t tensor, uint32_t index) {
  uint32_t x = index * 0x9E3779B1u + seed * 0x85EBCA77u + tensor * 0xC2B2AE3Du;
  x ^= x >> 16;
  x *= 0x85EBCA6Bu;
  x ^= x >> 13;
  return float(x >> 8) * (1.0f / 8388608.0f) - 1.0f;
}

int32_t supports(const int64_t*, int32_t variant, int32_t, char* why, size_t whySize) {
  if (variant == 0 || variant == 1) return 1;
  message(why, whySize, "no such variant");
  return 0;
}

int32_t defaultVariant(const int64_t*, int32_t) { return kBlocked; }

void work(const int64_t* p, ratchet_work* out) {
  const double M = double(p[kM]), N = double(p[kN]), K = double(p[kK]);
  out->flops = 2 * M * N * K;
  out->bytes = 4 * (M * K + K * N + M * N);
}

ratchet_status fillInputs(void* handle, void*, uint32_t seed, char*, size_t);

ratchet_status setup(const int64_t* p, int32_t variant, int32_t, uint32_t seed, void** instance, char* error, size_t errorSize) {
  Instance* in = new (std::nothrow) Instance{int(p[kM]), int(p[kN]), int(p[kK]), variant, {}, {}, {}};
  if (!in) return RATCHET_OUT_OF_MEMORY;
  try {
    in->a.resize(size_t(in->M) * in->K);
    in->b.resize(size_t(in->K) * in->N);
    in->c.resize(size_t(in->M) * in->N);
  } catch (const std::bad_alloc&) {
    delete in;
    message(error, errorSize, "out of host memory for A, B and C");
    return RATCHET_OUT_OF_MEMORY;
  }
  *instance = in;
  return fillInputs(in, nullptr, seed, error, errorSize);
}

ratchet_status fillInputs(void* handle, void*, uint32_t seed, char*, size_t) {
  Instance& in = *static_cast<Instance*>(handle);
  for (size_t i = 0; i < in.a.size(); ++i) in.a[i] = uniform(seed, 0, uint32_t(i));
  for (size_t i = 0; i < in.b.size(); ++i) in.b[i] = uniform(seed, 1, uint32_t(i));
  for (float& c : in.c) c = std::nanf("");  // poisoned: an element never written stays NaN
  return RATCHET_OK;
}

void naive(Instance& in) {
  for (int i = 0; i < in.M; ++i)
    for (int j = 0; j < in.N; ++j) {
      float sum = 0;
      for (int k = 0; k < in.K; ++k) sum += in.a[size_t(i) * in.K + k] * in.b[size_t(k) * in.N + j];
      in.c[size_t(i) * in.N + j] = sum;
    }
}

void blocked(Instance& in) {
  std::fill(in.c.begin(), in.c.end(), 0.0f);
  for (int i0 = 0; i0 < in.M; i0 += kTile)
    for (int k0 = 0; k0 < in.K; k0 += kTile)
      for (int j0 = 0; j0 < in.N; j0 += kTile)
        for (int i = i0; i < std::min(i0 + kTile, in.M); ++i)
          for (int k = k0; k < std::min(k0 + kTile, in.K); ++k) {
            const float a = in.a[size_t(i) * in.K + k];
            float* c = &in.c[size_t(i) * in.N];
            const float* b = &in.b[size_t(k) * in.N];
            for (int j = j0; j < std::min(j0 + kTile, in.N); ++j) c[j] += a * b[j];
          }
}

ratchet_status launch(void* handle, void*, char*, size_t) {
  Instance& in = *static_cast<Instance*>(handle);
  if (in.variant == kBlocked) blocked(in);
  else naive(in);
  return RATCHET_OK;
}

// ||C - ref|| / ||ref|| against the product in double precision; fp32 sums of K terms stay
// within about K * 2^-24 relative, far under the bound.
ratchet_status check(void* handle, void*, ratchet_check_result* result, char*, size_t) {
  const Instance& in = *static_cast<Instance*>(handle);
  double diff2 = 0, ref2 = 0, maxAbs = 0, sum = 0, absSum = 0;
  size_t unwritten = 0;
  for (int i = 0; i < in.M; ++i)
    for (int j = 0; j < in.N; ++j) {
      double expected = 0;
      for (int k = 0; k < in.K; ++k) expected += double(in.a[size_t(i) * in.K + k]) * in.b[size_t(k) * in.N + j];
      const double got = in.c[size_t(i) * in.N + j];
      if (!std::isfinite(got)) {
        ++unwritten;
        continue;
      }
      diff2 += (got - expected) * (got - expected);
      ref2 += expected * expected;
      maxAbs = std::fmax(maxAbs, std::fabs(got - expected));
      sum += got;
      absSum += std::fabs(got);
    }
  result->tolerance = 1e-5;
  result->max_abs_error = maxAbs;
  result->rel_error = ref2 > 0 ? std::sqrt(diff2 / ref2) : 0;
  result->output_sum = sum;
  result->output_abs_sum = absSum;
  std::snprintf(result->reference, sizeof result->reference, "cpu-fp64");
  if (unwritten > 0) std::snprintf(result->detail, sizeof result->detail, "%zu elements of C are NaN (unwritten)", unwritten);
  else if (!(result->rel_error <= result->tolerance)) std::snprintf(result->detail, sizeof result->detail, "relative error %g over %g", result->rel_error, result->tolerance);
  result->passed = result->detail[0] == '\0';
  return RATCHET_OK;
}

void teardown(void* handle) { delete static_cast<Instance*>(handle); }

const ratchet_problem kProblems[] = {{
    "matmul_f32", "C = A B in fp32, row-major, A [M, K] and B [K, N], on one CPU core", RATCHET_DEVICE_CPU,
    kParams, 3, kVariants, 2,
    supports, defaultVariant, work, setup, fillInputs, launch, check, teardown,
}};

const ratchet_problem_table kTable = {RATCHET_PROBLEM_ABI_VERSION, sizeof(ratchet_problem), kProblems, 1};

}  // namespace

RATCHET_PLUGIN_EXPORT const ratchet_problem_table* ratchet_problem_abi(void) { return &kTable; }
