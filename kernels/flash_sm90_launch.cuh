// flash_sm90_launch.cuh: the host side of a Hopper flash version: tensor maps, the shared-memory
// opt-in, the grid, the launch, and the dispatch over dtype x head dim x causal.
//
// A version is a traits struct (derived from the previous version's, restating what it changes):
//   template <typename Element, int D> using Config = Sm90Config<...>;   // its tiles per head dim
//   template <class Cfg, bool kCausal> static const void* kernel();      // its __global__ function
//   template <class Cfg> static dim3 grid(const Sm90Params&, const ratchet_attention_params&);
//   static constexpr bool kTileCounter = true;                         // optional: draws tiles from a counter
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cstdlib>
#include <map>
#include <mutex>
#include <thread>
#include <tuple>
#include <type_traits>

#include "attention.h"
#include "flash_sm90.cuh"
#include "tensor_map.h"

namespace ratchet::kernels::sm90 {

// One CTA per (query tile, head, batch): the grid the non-persistent versions use.
template <class Cfg>
dim3 blockGrid(const Sm90Params& p, const ratchet_attention_params& params) {
  return dim3(unsigned(p.mBlocks), unsigned(params.H), unsigned(params.B));
}

// The share of the L2 one causal section's K and V may take. Half of it, as first reasoned, was
// the worst of the five shares timed on an H100 (2026-12-06, docs/benchmarks.md, "the causal
// section"): a section's Q and O stream through the L2 beside its K and V, as many bytes again,
// and a head's later query tiles came back to K/V already evicted. At S = 512 that cost 12% (B32
// H16 D128: 274 TFLOP/s at a half, 308-313 at 3-20%); a fifth was best from S = 1024 up (1-2%
// over a tenth), 3-6% of the L2 best at S = 512 with D = 64. Dev builds (RATCHET_DEV_KNOBS, the
// sweep's library in kernels/dev/sdpa_sweep.py) read it from RATCHET_DEV_L2_SECTION to try others.
inline double sectionL2Share(const ratchet_attention_params& params) {
#ifdef RATCHET_DEV_KNOBS
  if (const char* share = std::getenv("RATCHET_DEV_L2_SECTION")) return std::atof(share);
#endif
  return params.S <= 512 ? 0.0625 : 0.2;
}

// How many heads' K and V fit in that share of the L2 together (at least 1): the persistent causal
// schedule runs a section of that many heads at a time, so its K/V tiles are read from DRAM once.
inline int sectionHeadsFor(const ratchet_attention_params& params) {
  int device = 0, l2Bytes = 0;
  if (cudaGetDevice(&device) != cudaSuccess || cudaDeviceGetAttribute(&l2Bytes, cudaDevAttrL2CacheSize, device) != cudaSuccess) l2Bytes = 0;
  const double kvBytesPerHead = 2.0 * params.S * params.D * 2;
  const double fit = sectionL2Share(params) * l2Bytes / kvBytesPerHead;
  const long long heads = (long long)params.B * params.H;
  return int(fit < 1 ? 1 : (fit > double(heads) ? heads : (long long)fit));
}

// The kernel parameters. The four maps are cached per thread for the last inputs seen, so a
// timed loop over one set of buffers pays for the encoding once.
template <class Cfg>
cudaError_t makeParams(const ratchet_attention_params& params, Sm90Params* out) {
  struct Cache {
    ratchet_attention_params key{};
    Sm90Params value{};
    bool valid = false;
  };
  static thread_local Cache cache;
  const ratchet_attention_params& k = cache.key;
  if (cache.valid && k.q == params.q && k.k == params.k && k.v == params.v && k.o == params.o && k.B == params.B && k.H == params.H && k.S == params.S &&
      k.D == params.D && k.dtype == params.dtype && k.scale == params.scale) {
    *out = cache.value;
    return cudaSuccess;
  }
  Sm90Params p{};
  const bool bf16 = params.dtype == RATCHET_BF16;
  const long long heads = (long long)params.B * params.H;
  if (heads > 0x7fffffffLL) return cudaErrorInvalidValue;  // tile indices are ints
  cudaError_t status = encodeHeadsMap(&p.q, params.q, bf16, params.S, params.D, heads, Cfg::kBlockM);
  if (status == cudaSuccess) status = encodeHeadsMap(&p.k, params.k, bf16, params.S, params.D, heads, Cfg::kBlockN);
  if (status == cudaSuccess) status = encodeHeadsMap(&p.v, params.v, bf16, params.S, params.D, heads, Cfg::kBlockN);
  if (status == cudaSuccess) status = encodeHeadsMap(&p.o, params.o, bf16, params.S, params.D, heads, kRowsPerConsumer);
  if (status != cudaSuccess) return status;
  p.S = params.S;
  p.H = params.H;
  p.mBlocks = (params.S + Cfg::kBlockM - 1) / Cfg::kBlockM;
  p.heads = int(heads);
  p.sectionHeads = sectionHeadsFor(params);
  p.scaleLog2 = params.scale * 1.4426950408889634f;
  cache.key = params;
  cache.value = p;
  cache.valid = true;
  *out = p;
  return cudaSuccess;
}

// Versions that draw their tiles from a counter say so (kTileCounter); the others never read theirs.
template <class Version, class = void>
struct DrawsTiles : std::false_type {};
template <class Version>
struct DrawsTiles<Version, std::void_t<decltype(Version::kTileCounter)>> : std::bool_constant<Version::kTileCounter> {};

// The counter slot of launches on `stream`: one per (device, stream), and per thread on the default
// streams (the legacy one is per thread under --default-stream per-thread), so launches that may
// run at once never share a counter; launches on one stream run one after another and may. -1 when
// every slot is taken.
inline int tileCounterSlot(cudaStream_t stream) {
  int device = 0;
  if (cudaGetDevice(&device) != cudaSuccess) return -1;
  const bool perThread = stream == nullptr || stream == cudaStreamPerThread;
  using Key = std::tuple<int, cudaStream_t, std::thread::id>;
  const Key key{device, stream, perThread ? std::this_thread::get_id() : std::thread::id()};
  static std::mutex mutex;
  static std::map<Key, int> slots;
  const std::lock_guard<std::mutex> lock(mutex);
  const auto found = slots.find(key);
  if (found != slots.end()) return found->second;
  if (slots.size() >= size_t(kTileCounterSlots)) return -1;
  const int slot = int(slots.size());
  slots.emplace(key, slot);
  return slot;
}

template <class Version, class Cfg>
cudaError_t launchConfig(const ratchet_attention_params& params, cudaStream_t stream) {
  // Over 48 KB of dynamic shared memory needs opting in, once per kernel.
  static const cudaError_t configured = [] {
    const cudaError_t status = cudaFuncSetAttribute(Version::template kernel<Cfg, false>(), cudaFuncAttributeMaxDynamicSharedMemorySize, Cfg::kSmemBytes);
    if (status != cudaSuccess) return status;
    return cudaFuncSetAttribute(Version::template kernel<Cfg, true>(), cudaFuncAttributeMaxDynamicSharedMemorySize, Cfg::kSmemBytes);
  }();
  if (configured != cudaSuccess) return configured;
  Sm90Params p;
  const cudaError_t status = makeParams<Cfg>(params, &p);
  if (status != cudaSuccess) return status;
  if constexpr (DrawsTiles<Version>::value) {
    p.tileCounterSlot = tileCounterSlot(stream);
    if (p.tileCounterSlot < 0) return cudaErrorLaunchOutOfResources;
  }
  void* arguments[] = {&p};
  const void* kernel = params.causal ? Version::template kernel<Cfg, true>() : Version::template kernel<Cfg, false>();
  const cudaError_t launched = cudaLaunchKernel(kernel, Version::template grid<Cfg>(p, params), dim3(Cfg::kThreads), arguments, Cfg::kSmemBytes, stream);
  return launched != cudaSuccess ? launched : cudaGetLastError();
}

template <class Version>
cudaError_t launchVersion(const ratchet_attention_params& params, cudaStream_t stream) {
  const bool fp16 = params.dtype == RATCHET_FP16;
  if (params.D == 64) {
    return fp16 ? launchConfig<Version, typename Version::template Config<half, 64>>(params, stream)
                : launchConfig<Version, typename Version::template Config<__nv_bfloat16, 64>>(params, stream);
  }
  return fp16 ? launchConfig<Version, typename Version::template Config<half, 128>>(params, stream)
              : launchConfig<Version, typename Version::template Config<__nv_bfloat16, 128>>(params, stream);
}

template <class Version, typename Element, int D>
const void* kernelOfShape(bool causal) {
  using Cfg = typename Version::template Config<Element, D>;
  return causal ? Version::template kernel<Cfg, true>() : Version::template kernel<Cfg, false>();
}

template <class Version>
const void* kernelOfVersion(const ratchet_attention_params& params) {
  const bool fp16 = params.dtype == RATCHET_FP16;
  if (params.D == 64) return fp16 ? kernelOfShape<Version, half, 64>(params.causal) : kernelOfShape<Version, __nv_bfloat16, 64>(params.causal);
  return fp16 ? kernelOfShape<Version, half, 128>(params.causal) : kernelOfShape<Version, __nv_bfloat16, 128>(params.causal);
}

}  // namespace ratchet::kernels::sm90
