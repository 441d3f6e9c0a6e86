// wgmma.cuh: wgmma.mma_async m64nNk16 with fp32 accumulators, fp16 or bf16 operands, as inline
// PTX (sm_90a). One warpgroup (4 warps, 128 threads) computes a 64 x N tile: thread t of warp w
// holds d[i] at row 16w + (t / 4) + 8 * ((i % 4) / 2), column 8 * (i / 4) + 2 * (t % 4) + (i % 2),
// the m16n8 accumulator layout of mma.sync repeated N / 8 times. PTX cannot index registers, so
// each shape spells its N / 2 accumulator operands out.
//   ss: D (+)= A * B, A (64 x 16) and B (N x 16, K-major) from shared-memory descriptors;
//   rs: D (+)= A * B, A from registers (the m16n8k16 A fragment of each warp's 16 rows), B from
//       a descriptor: K-major (kTransposeB = 0) or an MN-major tile read transposed (1).
// `accumulate == 0` overwrites D (the first k step of a product). One macro spells a shape's four
// wrappers (ss and rs, fp16 and bf16); the operand numbers after D's N / 2 differ by shape, so each
// shape gives them as strings.
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <cstdint>

namespace ratchet::kernels::sm90 {

template <typename Element>
struct WgmmaType;
template <>
struct WgmmaType<half> {
  static constexpr bool kBf16 = false;
};
template <>
struct WgmmaType<__nv_bfloat16> {
  static constexpr bool kBf16 = true;
};

template <int N>
struct Wgmma;

// Eight accumulator operands, d[o] .. d[o + 7].
#define RATCHET_WGMMA_D8(o)                                                                                         \
  "+f"(d[o]), "+f"(d[o + 1]), "+f"(d[o + 2]), "+f"(d[o + 3]), "+f"(d[o + 4]), "+f"(d[o + 5]), "+f"(d[o + 6]), "+f"(d[o + 7])
#define RATCHET_WGMMA_D32 RATCHET_WGMMA_D8(0), RATCHET_WGMMA_D8(8), RATCHET_WGMMA_D8(16), RATCHET_WGMMA_D8(24)
#define RATCHET_WGMMA_D64 RATCHET_WGMMA_D32, RATCHET_WGMMA_D8(32), RATCHET_WGMMA_D8(40), RATCHET_WGMMA_D8(48), RATCHET_WGMMA_D8(56)
#define RATCHET_WGMMA_D80 RATCHET_WGMMA_D64, RATCHET_WGMMA_D8(64), RATCHET_WGMMA_D8(72)
#define RATCHET_WGMMA_D88 RATCHET_WGMMA_D80, RATCHET_WGMMA_D8(80)
#define RATCHET_WGMMA_D96 RATCHET_WGMMA_D88, RATCHET_WGMMA_D8(88)
#define RATCHET_WGMMA_REGS32 "{%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15, %16, %17, %18, %19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31}"
#define RATCHET_WGMMA_REGS64 "{%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15, %16, %17, %18, %19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31, %32, %33, %34, %35, %36, %37, %38, %39, %40, %41, %42, %43, %44, %45, %46, %47, %48, %49, %50, %51, %52, %53, %54, %55, %56, %57, %58, %59, %60, %61, %62, %63}"
#define RATCHET_WGMMA_REGS80 "{%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15, %16, %17, %18, %19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31, %32, %33, %34, %35, %36, %37, %38, %39, %40, %41, %42, %43, %44, %45, %46, %47, %48, %49, %50, %51, %52, %53, %54, %55, %56, %57, %58, %59, %60, %61, %62, %63, %64, %65, %66, %67, %68, %69, %70, %71, %72, %73, %74, %75, %76, %77, %78, %79}"
#define RATCHET_WGMMA_REGS88 "{%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15, %16, %17, %18, %19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31, %32, %33, %34, %35, %36, %37, %38, %39, %40, %41, %42, %43, %44, %45, %46, %47, %48, %49, %50, %51, %52, %53, %54, %55, %56, %57, %58, %59, %60, %61, %62, %63, %64, %65, %66, %67, %68, %69, %70, %71, %72, %73, %74, %75, %76, %77, %78, %79, %80, %81, %82, %83, %84, %85, %86, %87}"
#define RATCHET_WGMMA_REGS96 "{%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15, %16, %17, %18, %19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31, %32, %33, %34, %35, %36, %37, %38, %39, %40, %41, %42, %43, %44, %45, %46, %47, %48, %49, %50, %51, %52, %53, %54, %55, %56, %57, %58, %59, %60, %61, %62, %63, %64, %65, %66, %67, %68, %69, %70, %71, %72, %73, %74, %75, %76, %77, %78, %79, %80, %81, %82, %83, %84, %85, %86, %87, %88, %89, %90, %91, %92, %93, %94, %95}"

// One instruction's text: TYPE f16 or bf16; PRED the operand number of `accumulate`; OPERANDS
// what follows D's registers.
#define RATCHET_WGMMA_TEXT(N, TYPE, REGS, PRED, OPERANDS)                                                         \
  "{\n.reg .pred p;\nsetp.ne.b32 p, " PRED ", 0;\n"                                                                 \
  "wgmma.mma_async.sync.aligned.m64n" #N "k16.f32." TYPE "." TYPE " " REGS OPERANDS ";\n}\n"

// ss: A and B from descriptors (operands after D: descA, descB, accumulate); rs: A from registers
// (a[0..3], descB, accumulate, kTransposeB).
#define RATCHET_WGMMA_SHAPE(N, REGS, D, SS_PRED, SS_OPERANDS, RS_PRED, RS_OPERANDS)                                 \
  template <>                                                                                                       \
  struct Wgmma<N> {                                                                                                 \
    template <typename Element>                                                                                     \
    __device__ __forceinline__ static void ss(float (&d)[N / 2], uint64_t descA, uint64_t descB, int accumulate) {  \
      if constexpr (WgmmaType<Element>::kBf16) {                                                                    \
        asm volatile(RATCHET_WGMMA_TEXT(N, "bf16", REGS, SS_PRED, SS_OPERANDS) : D : "l"(descA), "l"(descB), "r"(accumulate)); \
      } else {                                                                                                      \
        asm volatile(RATCHET_WGMMA_TEXT(N, "f16", REGS, SS_PRED, SS_OPERANDS) : D : "l"(descA), "l"(descB), "r"(accumulate)); \
      }                                                                                                             \
    }                                                                                                               \
    template <typename Element, int kTransposeB>                                                                    \
    __device__ __forceinline__ static void rs(float (&d)[N / 2], const uint32_t (&a)[4], uint64_t descB, int accumulate) { \
      if constexpr (WgmmaType<Element>::kBf16) {                                                                    \
        asm volatile(RATCHET_WGMMA_TEXT(N, "bf16", REGS, RS_PRED, RS_OPERANDS)                                      \
                     : D                                                                                            \
                     : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "l"(descB), "r"(accumulate), "n"(kTransposeB)); \
      } else {                                                                                                      \
        asm volatile(RATCHET_WGMMA_TEXT(N, "f16", REGS, RS_PRED, RS_OPERANDS)                                       \
                     : D                                                                                            \
                     : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "l"(descB), "r"(accumulate), "n"(kTransposeB)); \
      }                                                                                                             \
    }                                                                                                               \
  };

RATCHET_WGMMA_SHAPE(64, RATCHET_WGMMA_REGS32, RATCHET_WGMMA_D32, "%34", ", %32, %33, p, 1, 1, 0, 0", "%37", ", {%32, %33, %34, %35}, %36, p, 1, 1, %38")
RATCHET_WGMMA_SHAPE(128, RATCHET_WGMMA_REGS64, RATCHET_WGMMA_D64, "%66", ", %64, %65, p, 1, 1, 0, 0", "%69", ", {%64, %65, %66, %67}, %68, p, 1, 1, %70")

// Wider key tiles: 176 and 192 for version 9 (FlashAttention-3's 176 at D = 128), 160 for version 10 (dev builds).
RATCHET_WGMMA_SHAPE(160, RATCHET_WGMMA_REGS80, RATCHET_WGMMA_D80, "%82", ", %80, %81, p, 1, 1, 0, 0", "%85", ", {%80, %81, %82, %83}, %84, p, 1, 1, %86")
RATCHET_WGMMA_SHAPE(176, RATCHET_WGMMA_REGS88, RATCHET_WGMMA_D88, "%90", ", %88, %89, p, 1, 1, 0, 0", "%93", ", {%88, %89, %90, %91}, %92, p, 1, 1, %94")
RATCHET_WGMMA_SHAPE(192, RATCHET_WGMMA_REGS96, RATCHET_WGMMA_D96, "%98", ", %96, %97, p, 1, 1, 0, 0", "%101", ", {%96, %97, %98, %99}, %100, p, 1, 1, %102")

#undef RATCHET_WGMMA_SHAPE
#undef RATCHET_WGMMA_TEXT
#undef RATCHET_WGMMA_REGS80
#undef RATCHET_WGMMA_REGS88
#undef RATCHET_WGMMA_REGS96
#undef RATCHET_WGMMA_REGS64
#undef RATCHET_WGMMA_REGS32
#undef RATCHET_WGMMA_D96
#undef RATCHET_WGMMA_D88
#undef RATCHET_WGMMA_D80
#undef RATCHET_WGMMA_D64
#undef RATCHET_WGMMA_D32
#undef RATCHET_WGMMA_D8

}  // namespace ratchet::kernels::sm90
