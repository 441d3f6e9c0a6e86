// mma.cuh: the tensor-core and copy primitives the flash kernels are written in, as inline PTX
// (sm_80+): cp.async 16-byte copies, ldmatrix (plain and transposed), mma.sync m16n8k16 with
// fp32 accumulation, and fp16/bf16 packing. One place, so the kernels read like the paper.
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cstdint>

namespace ratchet::kernels {

__device__ __forceinline__ uint32_t smemAddress(const void* pointer) {
  return static_cast<uint32_t>(__cvta_generic_to_shared(pointer));
}

// 16-byte global -> shared copy that bypasses L1; `valid == false` writes zeros instead (rows past S).
__device__ __forceinline__ void cpAsync16(uint32_t smem, const void* global, bool valid) {
  const int bytes = valid ? 16 : 0;
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(smem), "l"(global), "r"(bytes));
}
__device__ __forceinline__ void cpAsyncCommit() { asm volatile("cp.async.commit_group;\n" ::); }
template <int N>
__device__ __forceinline__ void cpAsyncWait() { asm volatile("cp.async.wait_group %0;\n" ::"n"(N)); }

__device__ __forceinline__ void ldmatrixX4(uint32_t (&r)[4], uint32_t smem) {
  asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0, %1, %2, %3}, [%4];\n"
               : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3]) : "r"(smem));
}
__device__ __forceinline__ void ldmatrixX4Trans(uint32_t (&r)[4], uint32_t smem) {
  asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0, %1, %2, %3}, [%4];\n"
               : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3]) : "r"(smem));
}

template <typename Element>
struct Mma;

// D = A (16x16, row) * B (16x8, col) + D with fp32 accumulators, and two fp32 values packed into
// one 32-bit register of the element type (P for the next mma). One macro spells both element
// types: TYPE is the PTX name, Pair and packPair the CUDA pair type and its rounding conversion.
#define RATCHET_MMA_ELEMENT(Element, TYPE, Pair, packPair)                                                          \
  template <>                                                                                                       \
  struct Mma<Element> {                                                                                             \
    __device__ __forceinline__ static void run(float (&d)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) {  \
      asm volatile("mma.sync.aligned.m16n8k16.row.col.f32." TYPE "." TYPE                                          \
                   ".f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%0, %1, %2, %3};\n"                         \
                   : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])                                                 \
                   : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));                                 \
    }                                                                                                               \
    __device__ __forceinline__ static uint32_t pack(float low, float high) {                                        \
      const Pair h = packPair(low, high);                                                                           \
      return *reinterpret_cast<const uint32_t*>(&h);                                                                \
    }                                                                                                               \
  };
RATCHET_MMA_ELEMENT(half, "f16", __half2, __floats2half2_rn)
RATCHET_MMA_ELEMENT(__nv_bfloat16, "bf16", __nv_bfloat162, __floats2bfloat162_rn)
#undef RATCHET_MMA_ELEMENT

}  // namespace ratchet::kernels
