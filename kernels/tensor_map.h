// tensor_map.h: host-side TMA tensor maps for the Hopper kernels. The addon links cudart
// statically and never links libcuda, so cuTensorMapEncodeTiled is looked up once through
// cudaGetDriverEntryPointByVersion; encoding is plain host work (no GPU call).
#pragma once

#include <cuda.h>
#include <cuda_runtime.h>

namespace ratchet::kernels::sm90 {

// A 3-D map (D, S, heads) of a contiguous [heads, S, D] tensor of 16-bit elements, with boxes of
// 64 elements x boxRows rows x 1 head and 128-byte swizzle (the layout wgmma descriptors read).
// Rows at or past S lie outside dimension 1: loads fill them with zeros, stores drop them.
// Returns cudaErrorInvalidValue when the driver refuses the map (e.g. a pointer not 16-byte
// aligned), cudaErrorNotSupported when the driver has no cuTensorMapEncodeTiled.
cudaError_t encodeHeadsMap(CUtensorMap* map, const void* base, bool bf16, int S, int D, long long heads, int boxRows);

}  // namespace ratchet::kernels::sm90
