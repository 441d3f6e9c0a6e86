// tensor_map.cu: cuTensorMapEncodeTiled through the runtime's driver entry point (see tensor_map.h).
#include "tensor_map.h"

#include <cstdint>

namespace ratchet::kernels::sm90 {
namespace {

using EncodeTiled = CUresult (*)(CUtensorMap*, CUtensorMapDataType, cuuint32_t, void*, const cuuint64_t*, const cuuint64_t*, const cuuint32_t*,
                                 const cuuint32_t*, CUtensorMapInterleave, CUtensorMapSwizzle, CUtensorMapL2promotion, CUtensorMapFloatOOBfill);

// The CUDA 12.0 ABI of the entry point: the oldest driver that has it.
constexpr unsigned kEntryPointVersion = 12000;

EncodeTiled encoder() {
  static const EncodeTiled function = [] {
    void* address = nullptr;
    cudaDriverEntryPointQueryResult found = cudaDriverEntryPointSymbolNotFound;
    const cudaError_t status = cudaGetDriverEntryPointByVersion("cuTensorMapEncodeTiled", &address, kEntryPointVersion, cudaEnableDefault, &found);
    return status == cudaSuccess && found == cudaDriverEntryPointSuccess ? reinterpret_cast<EncodeTiled>(address) : nullptr;
  }();
  return function;
}

}  // namespace

cudaError_t encodeHeadsMap(CUtensorMap* map, const void* base, bool bf16, int S, int D, long long heads, int boxRows) {
  const EncodeTiled encode = encoder();
  if (!encode) return cudaErrorNotSupported;
  constexpr int kElementBytes = 2;
  const cuuint64_t dims[3] = {cuuint64_t(D), cuuint64_t(S), cuuint64_t(heads)};
  // Byte strides of dimensions 1 and 2 (dimension 0 is contiguous).
  const cuuint64_t strides[2] = {cuuint64_t(D) * kElementBytes, cuuint64_t(S) * cuuint64_t(D) * kElementBytes};
  // 64 elements = 128 bytes, the widest box the 128-byte swizzle allows.
  const cuuint32_t box[3] = {64, cuuint32_t(boxRows), 1};
  const cuuint32_t elementStrides[3] = {1, 1, 1};
  const CUresult result = encode(map, bf16 ? CU_TENSOR_MAP_DATA_TYPE_BFLOAT16 : CU_TENSOR_MAP_DATA_TYPE_FLOAT16, 3, const_cast<void*>(base), dims, strides,
                                 box, elementStrides, CU_TENSOR_MAP_INTERLEAVE_NONE, CU_TENSOR_MAP_SWIZZLE_128B, CU_TENSOR_MAP_L2_PROMOTION_L2_256B,
                                 CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE);
  return result == CUDA_SUCCESS ? cudaSuccess : cudaErrorInvalidValue;
}

}  // namespace ratchet::kernels::sm90
