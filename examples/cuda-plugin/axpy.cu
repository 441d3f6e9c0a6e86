// axpy.cu: a Ratchet plugin with one CUDA problem, z = a * x + y over n fp32 elements (a = 2),
// memory-bound, in two variants that run the very same kernel with different launch geometry:
//   block256: 256 threads a CTA (the default)
//   block128: 128 threads a CTA, twice the CTAs
// Their machine code is identical; Ratchet still tells them apart, because a session's identity
// covers the grid, block and attributes of every kernel a launch enqueues (captured into a CUDA
// graph), not only the code.
//
//   nvcc -O3 -shared -Xcompiler -fPIC,-fvisibility=hidden -Xlinker -Bsymbolic -Xlinker --exclude-libs,ALL \
//        -I../../native/include -gencode arch=compute_90,code=sm_90 axpy.cu -o build/libratchet_axpy.so
//
// Hidden visibility, -Bsymbolic and --exclude-libs keep this library's CUDA runtime (linked
// statically, nvcc's default) its own: without them two CUDA libraries in one process can launch
// through each other's kernel registrations.
#include <cuda_runtime.h>
#include <ratchet/problem.h>

#include <cmath>
#include <cstdio>
#include <new>

// The kernels live in a named namespace: nvcc names an anonymous namespace after a hash of the
// file's path, so the same code built in another directory would carry other kernel names, and
// two builds of unchanged code would never be an A/A comparison.
namespace ratchet_axpy {

constexpr float kA = 2.0f;

__device__ float uniform(uint32_t seed, uint32_t tensor, uint64_t index) {
  uint32_t v = uint32_t(index) * 0x9E3779B1u + seed * 0x85EBCA77u + tensor * 0xC2B2AE3Du;
  v ^= v >> 16;
  v *= 0x85EBCA6Bu;
  v ^= v >> 13;
  return float(v >> 8) * (1.0f / 8388608.0f) - 1.0f;
}

__global__ void fill(float* x, float* y, float* z, int64_t n, uint32_t seed) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    x[i] = uniform(seed, 0, uint64_t(i));
    y[i] = uniform(seed, 1, uint64_t(i));
    z[i] = __int_as_float(0x7fffffff);  // NaN: an element the launch never writes stays NaN
  }
}

// The kernel both variants launch.
__global__ void axpy(const float* __restrict__ x, const float* __restrict__ y, float* __restrict__ z, int64_t n) {
  const int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  if (i < n) z[i] = kA * x[i] + y[i];
}

// Each thread sums its elements first, then adds them in once: far fewer atomics than elements.
__global__ void compare(const float* x, const float* y, const float* z, int64_t n, double* stats) {
  double err2 = 0, ref2 = 0, bad = 0, sum = 0, absSum = 0, maxErr = 0;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    const double expected = double(kA) * x[i] + double(y[i]);
    const float got = z[i];
    if (!isfinite(got)) {
      bad += 1;
      continue;
    }
    const double err = fabs(double(got) - expected);
    err2 += err * err;
    ref2 += expected * expected;
    sum += got;
    absSum += fabs(double(got));
    maxErr = fmax(maxErr, err);
  }
  atomicAdd(&stats[0], err2);
  atomicAdd(&stats[1], ref2);
  atomicAdd(&stats[2], bad);
  atomicAdd(&stats[3], sum);
  atomicAdd(&stats[4], absSum);
  atomicMax(reinterpret_cast<unsigned long long*>(&stats[5]), __double_as_longlong(maxErr));  // >= 0: bits order as values
}

}  // namespace ratchet_axpy

namespace {

using namespace ratchet_axpy;

// Relative error bound of a fp32 multiply-add against its fp64 value: one rounding (2^-24) plus
// margin for fused or unfused evaluation.
constexpr double kTolerance = 1e-6;

const ratchet_param kParams[] = {{"n", "elements", RATCHET_PARAM_INT, 1, int64_t(1) << 30, nullptr, 0, nullptr, 0}};
const char* const kVariants[] = {"block256", "block128"};
const unsigned kBlock[] = {256, 128};

struct Instance {
  int64_t n = 0;
  int variant = 0;
  float *x = nullptr, *y = nullptr, *z = nullptr;
  double* stats = nullptr;  // [0] sum err^2, [1] sum ref^2, [2] non-finite count, [3] sum, [4] sum |z|, [5] max |err|
};

void message(char* buffer, size_t size, const char* what, cudaError_t status) {
  std::snprintf(buffer, size, "%s: %s", what, cudaGetErrorString(status));
}

int32_t supports(const int64_t*, int32_t variant, int32_t, char* why, size_t size) {
  if (variant == 0 || variant == 1) return 1;
  std::snprintf(why, size, "no such variant");
  return 0;
}

int32_t defaultVariant(const int64_t*, int32_t) { return 0; }

void work(const int64_t* p, ratchet_work* out) {
  out->flops = 2.0 * double(p[0]);
  out->bytes = 12.0 * double(p[0]);  // x and y read, z written
}

ratchet_status fillInputs(void* handle, void* stream, uint32_t seed, char* error, size_t size) {
  Instance& in = *static_cast<Instance*>(handle);
  fill<<<1024, 256, 0, static_cast<cudaStream_t>(stream)>>>(in.x, in.y, in.z, in.n, seed);
  const cudaError_t status = cudaGetLastError();
  if (status != cudaSuccess) message(error, size, "fill", status);
  return ratchet_status(status);
}

void teardown(void* handle) {
  Instance* in = static_cast<Instance*>(handle);
  cudaFree(in->x);
  cudaFree(in->y);
  cudaFree(in->z);
  cudaFree(in->stats);
  delete in;
}

ratchet_status setup(const int64_t* p, int32_t variant, int32_t device, uint32_t seed, void** instance, char* error, size_t size) {
  cudaError_t status = cudaSetDevice(device);  // this library has its own CUDA runtime
  if (status != cudaSuccess) {
    message(error, size, "cudaSetDevice", status);
    return ratchet_status(status);
  }
  Instance* in = new (std::nothrow) Instance;
  if (!in) return RATCHET_OUT_OF_MEMORY;
  in->n = p[0];
  in->variant = variant;
  const size_t bytes = size_t(in->n) * sizeof(float);
  for (float** buffer : {&in->x, &in->y, &in->z}) {
    if (status == cudaSuccess) status = cudaMalloc(buffer, bytes);
  }
  if (status == cudaSuccess) status = cudaMalloc(&in->stats, 6 * sizeof(double));
  if (status != cudaSuccess) {
    message(error, size, "cudaMalloc of x, y and z", status);
    teardown(in);
    return ratchet_status(status);
  }
  *instance = in;
  return fillInputs(in, nullptr, seed, error, size);
}

// Only enqueues: Ratchet times this with events and captures it into CUDA graphs.
ratchet_status launch(void* handle, void* stream, char* error, size_t size) {
  const Instance& in = *static_cast<Instance*>(handle);
  const unsigned block = kBlock[in.variant];
  axpy<<<unsigned((in.n + block - 1) / block), block, 0, static_cast<cudaStream_t>(stream)>>>(in.x, in.y, in.z, in.n);
  const cudaError_t status = cudaGetLastError();
  if (status != cudaSuccess) message(error, size, "axpy launch", status);
  return ratchet_status(status);
}

ratchet_status check(void* handle, void* stream, ratchet_check_result* result, char* error, size_t size) {
  Instance& in = *static_cast<Instance*>(handle);
  const auto s = static_cast<cudaStream_t>(stream);
  double stats[6] = {0};
  cudaError_t status = cudaMemsetAsync(in.stats, 0, sizeof stats, s);
  if (status == cudaSuccess) {
    compare<<<1024, 256, 0, s>>>(in.x, in.y, in.z, in.n, in.stats);
    status = cudaGetLastError();
  }
  if (status == cudaSuccess) status = cudaMemcpyAsync(stats, in.stats, sizeof stats, cudaMemcpyDeviceToHost, s);
  if (status == cudaSuccess) status = cudaStreamSynchronize(s);
  if (status != cudaSuccess) {
    message(error, size, "check", status);
    return ratchet_status(status);
  }
  result->tolerance = kTolerance;
  result->rel_error = stats[1] > 0 ? std::sqrt(stats[0] / stats[1]) : 0;
  result->max_abs_error = stats[5];
  result->output_sum = stats[3];
  result->output_abs_sum = stats[4];
  std::snprintf(result->reference, sizeof result->reference, "cuda-fp64");
  if (stats[2] > 0) std::snprintf(result->detail, sizeof result->detail, "%.0f elements of z are NaN (unwritten)", stats[2]);
  else if (!(result->rel_error <= kTolerance)) std::snprintf(result->detail, sizeof result->detail, "relative error %g over %g", result->rel_error, kTolerance);
  result->passed = result->detail[0] == '\0';
  return RATCHET_OK;
}

const ratchet_problem kProblems[] = {{
    "axpy_f32", "z = 2 x + y over n fp32 elements", RATCHET_DEVICE_CUDA, kParams, 1, kVariants, 2,
    supports, defaultVariant, work, setup, fillInputs, launch, check, teardown,
}};

const ratchet_problem_table kTable = {RATCHET_PROBLEM_ABI_VERSION, sizeof(ratchet_problem), kProblems, 1};

}  // namespace

RATCHET_PLUGIN_EXPORT const ratchet_problem_table* ratchet_problem_abi(void) { return &kTable; }
