// hopper.cuh: the sm_90a primitives the Hopper flash kernels are written in, as inline PTX:
// mbarriers (init, expected transaction bytes, arrive, parity wait), TMA tensor copies (3-D
// tile loads completing on an mbarrier, 3-D tile stores in bulk groups), proxy fences, named
// barriers, setmaxnreg, the wgmma fence/commit/wait trio and the shared-memory matrix
// descriptors wgmma reads its operands through. One place, so the kernels read like the paper.
//
// Only for translation units built with -gencode=arch=compute_90a,code=sm_90a (wgmma and
// setmaxnreg exist on sm_90a alone); kernels/CMakeLists.txt compiles them as a separate set.
#pragma once

#include <cuda.h>  // CUtensorMap (a plain 128-byte struct; no driver library is linked)
#include <cuda_runtime.h>

#include <cstdint>

namespace ratchet::kernels::sm90 {

__device__ __forceinline__ uint32_t sharedAddress(const void* pointer) {
  return static_cast<uint32_t>(__cvta_generic_to_shared(pointer));
}

// ---- mbarriers (one 8-byte word in shared memory each; phases alternate parity 0, 1, 0, ...)

__device__ __forceinline__ void mbarrierInit(uint32_t barrier, uint32_t arrivals) {
  asm volatile("mbarrier.init.shared::cta.b64 [%0], %1;\n" ::"r"(barrier), "r"(arrivals) : "memory");
}
// Makes initialized barriers visible to the async proxy (TMA) before anyone uses them.
__device__ __forceinline__ void fenceBarrierInit() { asm volatile("fence.mbarrier_init.release.cluster;\n" ::: "memory"); }
// One arrival that also announces `bytes` of TMA traffic the current phase must wait for.
__device__ __forceinline__ void mbarrierArriveExpectTx(uint32_t barrier, uint32_t bytes) {
  asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;\n" ::"r"(barrier), "r"(bytes) : "memory");
}
__device__ __forceinline__ void mbarrierArrive(uint32_t barrier) {
  asm volatile("mbarrier.arrive.shared::cta.b64 _, [%0];\n" ::"r"(barrier) : "memory");
}
__device__ __forceinline__ bool mbarrierTryWait(uint32_t barrier, uint32_t parity) {
  uint32_t done;
  asm volatile(
      "{\n"
      ".reg .pred p;\n"
      "mbarrier.try_wait.parity.shared::cta.b64 p, [%1], %2;\n"
      "selp.u32 %0, 1, 0, p;\n"
      "}\n"
      : "=r"(done)
      : "r"(barrier), "r"(parity)
      : "memory");
  return done != 0;
}
// Waits until the phase of parity `parity` has completed. On a fresh barrier (phase 0 running)
// parity 1 counts as completed: that is how a producer's first pass over an empty ring starts.
// Dev builds (kernels/dev) define RATCHET_SM90_WAIT_LIMIT to turn a deadlock into a trap.
__device__ __forceinline__ void mbarrierWait(uint32_t barrier, uint32_t parity) {
#ifdef RATCHET_SM90_WAIT_LIMIT
  for (long long spins = 0; !mbarrierTryWait(barrier, parity); ++spins)
    if (spins > RATCHET_SM90_WAIT_LIMIT) __trap();
#else
  while (!mbarrierTryWait(barrier, parity)) {
  }
#endif
}

// ---- TMA (the tensor memory accelerator): tensor maps are made on the host (tensor_map.cu)

__device__ __forceinline__ void prefetchTensorMap(const CUtensorMap* map) {
  asm volatile("prefetch.tensormap [%0];\n" ::"l"(reinterpret_cast<uint64_t>(map)) : "memory");
}
// Copies the box at (c0, c1, c2) of `map` into shared memory at `destination`; the barrier's
// transaction count drops by the box's bytes when it lands. Out-of-bounds elements arrive as 0.
__device__ __forceinline__ void tmaLoad3d(uint32_t destination, const CUtensorMap* map, int c0, int c1, int c2, uint32_t barrier) {
  asm volatile(
      "cp.async.bulk.tensor.3d.shared::cluster.global.tile.mbarrier::complete_tx::bytes [%0], [%1, {%2, %3, %4}], [%5];\n" ::"r"(destination),
      "l"(reinterpret_cast<uint64_t>(map)), "r"(c0), "r"(c1), "r"(c2), "r"(barrier)
      : "memory");
}
// Writes the box at (c0, c1, c2) of `map` from shared memory; out-of-bounds elements are dropped.
__device__ __forceinline__ void tmaStore3d(const CUtensorMap* map, uint32_t source, int c0, int c1, int c2) {
  asm volatile("cp.async.bulk.tensor.3d.global.shared::cta.tile.bulk_group [%0, {%2, %3, %4}], [%1];\n" ::"l"(reinterpret_cast<uint64_t>(map)),
               "r"(source), "r"(c0), "r"(c1), "r"(c2)
               : "memory");
}
__device__ __forceinline__ void tmaStoreCommit() { asm volatile("cp.async.bulk.commit_group;\n" ::: "memory"); }
// Waits until every committed store has finished reading shared memory (it may be reused then).
__device__ __forceinline__ void tmaStoreWaitRead() { asm volatile("cp.async.bulk.wait_group.read 0;\n" ::: "memory"); }
// Ordinary shared-memory stores become visible to the async proxy (TMA, wgmma) after this.
__device__ __forceinline__ void fenceProxyAsync() { asm volatile("fence.proxy.async.shared::cta;\n" ::: "memory"); }

// ---- named barriers (id 0 is __syncthreads; `threads` counts every thread that syncs or arrives)

__device__ __forceinline__ void namedBarrierSync(int id, int threads) {
  asm volatile("bar.sync %0, %1;\n" ::"r"(id), "r"(threads) : "memory");
}
__device__ __forceinline__ void namedBarrierArrive(int id, int threads) {
  asm volatile("bar.arrive %0, %1;\n" ::"r"(id), "r"(threads) : "memory");
}

// ---- registers moved between warpgroups (needs __launch_bounds__(threads, 1) on the kernel)

template <int kRegisters>
__device__ __forceinline__ void registersIncrease() {
  asm volatile("setmaxnreg.inc.sync.aligned.u32 %0;\n" ::"n"(kRegisters));
}
template <int kRegisters>
__device__ __forceinline__ void registersDecrease() {
  asm volatile("setmaxnreg.dec.sync.aligned.u32 %0;\n" ::"n"(kRegisters));
}

// ---- wgmma ordering

// Before the first wgmma that reads registers (accumulators, A fragments) other code wrote.
__device__ __forceinline__ void wgmmaFence() { asm volatile("wgmma.fence.sync.aligned;\n" ::: "memory"); }
__device__ __forceinline__ void wgmmaCommit() { asm volatile("wgmma.commit_group.sync.aligned;\n" ::: "memory"); }
// Waits until at most `kPending` committed groups of this warpgroup are still running.
template <int kPending>
__device__ __forceinline__ void wgmmaWait() {
  asm volatile("wgmma.wait_group.sync.aligned %0;\n" ::"n"(kPending) : "memory");
}
// Keeps the compiler from moving reads or writes of an accumulator across an async wgmma window.
template <int kCount>
__device__ __forceinline__ void fenceRegisters(float (&values)[kCount]) {
#pragma unroll
  for (int i = 0; i < kCount; ++i) asm volatile("" : "+f"(values[i])::"memory");
}
template <int kRows, int kCount>
__device__ __forceinline__ void fenceRegisters(uint32_t (&values)[kRows][kCount]) {
#pragma unroll
  for (int r = 0; r < kRows; ++r)
#pragma unroll
    for (int i = 0; i < kCount; ++i) asm volatile("" : "+r"(values[r][i])::"memory");
}

// ---- shared-memory matrix descriptors for wgmma, 128-byte swizzle
//
// Every tile is stored as TMA writes it with CU_TENSOR_MAP_SWIZZLE_128B: boxes of 64 16-bit
// elements (128 bytes) per row, rows consecutive, the 16-byte chunks of row r XOR-permuted by
// r % 8, each box 1024-byte aligned. 8 rows (1024 bytes) form one swizzle atom.
constexpr uint64_t kSwizzle128 = 1;     // descriptor layout type, bits 62-63
constexpr uint32_t kAtomBytes = 1024;  // 8 rows of 128 bytes

__device__ __forceinline__ uint64_t descriptor(uint32_t address, uint32_t leadingBytes, uint32_t strideBytes) {
  return uint64_t((address & 0x3FFFF) >> 4) | (uint64_t(leadingBytes >> 4) << 16) | (uint64_t(strideBytes >> 4) << 32) | (kSwizzle128 << 62);
}
// K-major operand (A = Q rows x d, or B = K rows x d): rows along M/N, atoms 1024 bytes apart;
// the leading offset is unused with this swizzle. A k16 step inside a box adds 32 bytes.
__device__ __forceinline__ uint64_t kMajorDescriptor(uint32_t address) { return descriptor(address, 16, kAtomBytes); }
// MN-major operand (B = V, keys x d, d contiguous, read transposed): 8-key atoms 1024 bytes apart
// along K, 64-wide d boxes `boxBytes` apart along N. A k16 step (16 keys) adds 2048 bytes.
__device__ __forceinline__ uint64_t mnMajorDescriptor(uint32_t address, uint32_t boxBytes) { return descriptor(address, boxBytes, kAtomBytes); }

}  // namespace ratchet::kernels::sm90
