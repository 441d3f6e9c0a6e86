// attention/cuda.cu: the built-in flash_fwd problem on the CUDA backend: the kernels of
// kernels/attention.h, inputs from the shared generator on the device, and a check
// of a spread of whole heads against the fp32 reference of kernels/reference.cu.
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "attention.h"
#include "builtin/attention/spec.h"
#include "builtin/cuda_support.h"

namespace ratchet {
namespace {

// The fp32 reference does 3*S*S*D multiply-adds per head on plain cores; capping the checked
// work at this many keeps a check under about a second on an H100 while still covering whole
// heads (first, last and evenly spaced ones) at every size.
constexpr double kReferenceBudgetFma = 2e10;
constexpr int kMaxCheckedHeads = 8;

// stats: [0] sum (o - ref)^2, [1] sum ref^2, [2] max |o - ref| (as float bits), [3] non-finite count,
// [4] [5] output checksums (scanOutputKernel)
__global__ void compareKernel(const uint16_t* out, const float* ref, int64_t count, bool bf16, double* stats) {
  double diff2 = 0, ref2 = 0;
  float maxAbs = 0;
  unsigned long long bad = 0;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < count; i += int64_t(gridDim.x) * blockDim.x) {
    const uint16_t bits = out[i];
    const float got = bf16 ? __bfloat162float(*reinterpret_cast<const __nv_bfloat16*>(&bits)) : __half2float(*reinterpret_cast<const __half*>(&bits));
    if (!isfinite(got)) {
      ++bad;
      continue;
    }
    const float err = fabsf(got - ref[i]);
    diff2 += double(err) * err;
    ref2 += double(ref[i]) * ref[i];
    maxAbs = fmaxf(maxAbs, err);
  }
  atomicAdd(&stats[0], diff2);
  atomicAdd(&stats[1], ref2);
  atomicMax(reinterpret_cast<unsigned int*>(&stats[2]), __float_as_uint(maxAbs));
  atomicAdd(reinterpret_cast<unsigned long long*>(&stats[3]), bad);
}

// Over the whole O: counts non-finite elements (one no thread wrote is still NaN) and sums the
// finite ones (the checksum peers are compared on). sums: [0] sum, [1] sum |x|.
__global__ void scanOutputKernel(const uint16_t* out, int64_t count, bool bf16, unsigned long long* bad, double* sums) {
  unsigned long long local = 0;
  double sum = 0, absSum = 0;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < count; i += int64_t(gridDim.x) * blockDim.x) {
    const uint16_t bits = out[i];
    const bool finite = bf16 ? (bits & 0x7f80u) != 0x7f80u : (bits & 0x7c00u) != 0x7c00u;
    if (!finite) {
      ++local;
      continue;
    }
    const float value = bf16 ? __bfloat162float(*reinterpret_cast<const __nv_bfloat16*>(&bits)) : __half2float(*reinterpret_cast<const __half*>(&bits));
    sum += value;
    absSum += fabsf(value);
  }
  if (local) atomicAdd(bad, local);
  atomicAdd(&sums[0], sum);
  atomicAdd(&sums[1], absSum);
}

ratchet_attention_params paramsFor(const AttentionShape& s) {
  ratchet_attention_params p{};
  p.B = int(s.B);
  p.H = int(s.H);
  p.S = int(s.S);
  p.D = int(s.D);
  p.dtype = s.dtype == Dtype::fp16 ? RATCHET_FP16 : RATCHET_BF16;
  p.causal = s.causal ? 1 : 0;
  p.scale = float(s.scale());
  return p;
}

std::vector<int64_t> chooseCheckedHeads(const AttentionShape& s) {
  const int64_t heads = s.B * s.H;
  const double perHead = 3.0 * double(s.S) * double(s.S) * double(s.D);
  const int64_t budget = std::max<int64_t>(1, std::min<int64_t>(kMaxCheckedHeads, int64_t(kReferenceBudgetFma / perHead)));
  const int64_t count = std::min(heads, budget);
  std::vector<int64_t> checked;
  for (int64_t i = 0; i < count; ++i) checked.push_back(count == 1 ? 0 : (i * (heads - 1)) / (count - 1));
  return checked;
}

struct AttentionCuda : AttentionSpec {
  static constexpr int32_t kDevice = RATCHET_DEVICE_CUDA;

  struct Instance {
    AttentionShape shape;
    int variant = 0;
    std::vector<int64_t> checkedHeads;
    DeviceBuffer q, k, v, o, checkedInputs, checkedOut, reference, stats;
  };

  // From the kernels' own table (flash_fwd_variants.h), which grows without this file changing.
  static std::vector<BuiltinVariant> variants() { return kernelTableVariants(ratchet_flash_fwd_variant_count(), ratchet_flash_fwd_variant_name); }

  static std::string refuses(const AttentionShape& s, int variant, int sm) {
    const ratchet_attention_params p = paramsFor(s);
    if (ratchet_flash_fwd_variant_supports(variant, &p, sm)) return "";
    if (s.D != 64 && s.D != 128) return "the CUDA kernels support head dim D = 64 or 128, not " + std::to_string(s.D);
    return std::string("variant ") + ratchet_flash_fwd_variant_name(variant) + " does not run this shape on sm_" + std::to_string(sm);
  }

  // defaultVariant and setup read like the other built-in's on purpose: each states its own problem
  // in BuiltinProblem's terms (builtin.h).
  static int defaultVariant(const AttentionShape& s, int sm) {
    const ratchet_attention_params p = paramsFor(s);
    return ratchet_flash_fwd_default_variant(&p, sm);
  }

  static std::unique_ptr<Instance> setup(const AttentionShape& shape, int variant, int device) {
    RATCHET_BUILTIN_CUDA(cudaSetDevice(device));
    auto in = std::make_unique<Instance>();
    in->shape = shape;
    in->variant = variant;
    in->checkedHeads = chooseCheckedHeads(shape);
    const size_t tensorBytes = size_t(shape.elements()) * 2;
    const size_t checked = in->checkedHeads.size() * size_t(shape.S * shape.D);
    requireFreeMemory(4.0 * double(tensorBytes) + double(checked * (3 * 2 + 2 + 4)) + 64);
    for (DeviceBuffer* tensor : {&in->q, &in->k, &in->v, &in->o}) RATCHET_BUILTIN_CUDA(tensor->allocate(tensorBytes));
    RATCHET_BUILTIN_CUDA(in->checkedInputs.allocate(checked * 3 * 2));
    RATCHET_BUILTIN_CUDA(in->checkedOut.allocate(checked * 2));
    RATCHET_BUILTIN_CUDA(in->reference.allocate(checked * 4));
    RATCHET_BUILTIN_CUDA(in->stats.allocate(6 * sizeof(double)));
    return in;
  }

  static void fill(Instance& in, void* stream, uint32_t seed) {
    const auto s = static_cast<cudaStream_t>(stream);
    const bool bf16 = in.shape.dtype == Dtype::bf16;
    DeviceBuffer* inputs[] = {&in.q, &in.k, &in.v};
    for (uint32_t t = 0; t < 3; ++t) RATCHET_BUILTIN_CUDA(fillUniform16(inputs[t]->pointer, in.shape.elements(), seed, t, bf16, s));
    RATCHET_BUILTIN_CUDA(poison16(in.o.pointer, in.shape.elements(), s));
  }

  static void launch(Instance& in, void* stream) {
    ratchet_attention_params p = paramsFor(in.shape);
    p.q = in.q.pointer;
    p.k = in.k.pointer;
    p.v = in.v.pointer;
    p.o = in.o.pointer;
    const cudaError_t status = ratchet_flash_fwd(in.variant, &p, static_cast<cudaStream_t>(stream));
    if (status != cudaSuccess) builtinFail(ratchet_status(status), "ratchet_flash_fwd failed");
  }

  // The reference runs on copies of the checked heads, packed so one launch covers them all.
  static Correctness check(Instance& in, void* stream) {
    const auto s = static_cast<cudaStream_t>(stream);
    const bool bf16 = in.shape.dtype == Dtype::bf16;
    const size_t headElements = size_t(in.shape.S * in.shape.D);
    const int heads = int(in.checkedHeads.size());
    uint16_t* packed = in.checkedInputs.as<uint16_t>();
    const DeviceBuffer* inputs[] = {&in.q, &in.k, &in.v};
    for (int h = 0; h < heads; ++h) {
      const size_t from = size_t(in.checkedHeads[size_t(h)]) * headElements;
      for (int t = 0; t < 3; ++t) {
        RATCHET_BUILTIN_CUDA(cudaMemcpyAsync(packed + (size_t(t) * heads + h) * headElements, inputs[t]->as<uint16_t>() + from, headElements * 2, cudaMemcpyDeviceToDevice, s));
      }
      RATCHET_BUILTIN_CUDA(cudaMemcpyAsync(in.checkedOut.as<uint16_t>() + size_t(h) * headElements, in.o.as<uint16_t>() + from, headElements * 2, cudaMemcpyDeviceToDevice, s));
    }
    ratchet_attention_params reference = paramsFor(in.shape);
    reference.B = 1;
    reference.H = heads;
    reference.q = packed;
    reference.k = packed + size_t(heads) * headElements;
    reference.v = packed + size_t(2 * heads) * headElements;
    reference.o = in.reference.pointer;
    RATCHET_BUILTIN_CUDA(ratchet_attention_reference(&reference, s));

    double* stats = in.stats.as<double>();
    RATCHET_BUILTIN_CUDA(cudaMemsetAsync(stats, 0, 6 * sizeof(double), s));
    compareKernel<<<512, 256, 0, s>>>(in.checkedOut.as<uint16_t>(), in.reference.as<float>(), int64_t(heads * headElements), bf16, stats);
    RATCHET_BUILTIN_CUDA(cudaGetLastError());
    scanOutputKernel<<<1024, 256, 0, s>>>(in.o.as<uint16_t>(), in.shape.elements(), bf16, reinterpret_cast<unsigned long long*>(stats + 3), stats + 4);
    RATCHET_BUILTIN_CUDA(cudaGetLastError());
    const std::string name = "cuda-fp32-reference (" + std::to_string(heads) + " of " + std::to_string(in.shape.B * in.shape.H) + " heads)";
    return finishCheck(stats, s, attentionTolerance(in.shape.dtype), name);
  }
};

RATCHET_BUILTIN(AttentionCuda);

}  // namespace
}  // namespace ratchet
