// half.h: fp16 and bf16 stored as uint16_t, converted with round-to-nearest-even, so the CPU
// backend needs no compiler support for half types and rounds exactly as the GPU does.
#pragma once

#include <cstdint>
#include <cstring>

namespace ratchet {

enum class Dtype { fp16, bf16 };

inline float bitsToFloat(uint32_t bits) { float f; std::memcpy(&f, &bits, 4); return f; }
inline uint32_t floatToBits(float f) { uint32_t bits; std::memcpy(&bits, &f, 4); return bits; }

inline float bf16ToFloat(uint16_t h) { return bitsToFloat(uint32_t(h) << 16); }

inline uint16_t floatToBf16(float f) {
  uint32_t bits = floatToBits(f);
  if ((bits & 0x7fffffffu) > 0x7f800000u) return uint16_t((bits >> 16) | 0x40);  // quiet NaN
  bits += 0x7fffu + ((bits >> 16) & 1u);  // round to nearest, ties to even
  return uint16_t(bits >> 16);
}

inline float fp16ToFloat(uint16_t h) {
  uint32_t sign = uint32_t(h & 0x8000u) << 16;
  uint32_t exponent = (h >> 10) & 0x1fu;
  uint32_t mantissa = h & 0x3ffu;
  if (exponent == 0x1f) return bitsToFloat(sign | 0x7f800000u | (mantissa << 13));  // inf, NaN
  if (exponent == 0) {
    if (mantissa == 0) return bitsToFloat(sign);
    // Subnormal: value = mantissa * 2^-24.
    float value = float(mantissa) * 5.9604644775390625e-8f;
    return sign ? -value : value;
  }
  return bitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
}

inline uint16_t floatToFp16(float f) {
  uint32_t bits = floatToBits(f);
  uint16_t sign = uint16_t((bits >> 16) & 0x8000u);
  uint32_t absBits = bits & 0x7fffffffu;
  if (absBits > 0x7f800000u) return uint16_t(sign | 0x7e00u);  // NaN
  if (absBits >= 0x477ff000u) return uint16_t(sign | 0x7c00u);  // overflow (>= 65520) -> inf
  if (absBits < 0x38800000u) {
    // Subnormal or zero in fp16: scale so the rounding happens at the fp16 subnormal step.
    float scaled = bitsToFloat(absBits) * 16777216.0f;  // 2^24
    uint32_t rounded = uint32_t(scaled);
    float remainder = scaled - float(rounded);
    if (remainder > 0.5f || (remainder == 0.5f && (rounded & 1u))) rounded += 1;
    return uint16_t(sign | rounded);
  }
  uint32_t exponent = (absBits >> 23) - 112;
  uint32_t mantissa = absBits & 0x7fffffu;
  uint32_t half = (exponent << 10) | (mantissa >> 13);
  uint32_t rest = mantissa & 0x1fffu;
  if (rest > 0x1000u || (rest == 0x1000u && (half & 1u))) half += 1;  // may carry into exponent: correct
  return uint16_t(sign | half);
}

inline float toFloat(Dtype dtype, uint16_t h) { return dtype == Dtype::fp16 ? fp16ToFloat(h) : bf16ToFloat(h); }
inline uint16_t fromFloat(Dtype dtype, float f) { return dtype == Dtype::fp16 ? floatToFp16(f) : floatToBf16(f); }
// The NaN written over outputs before a check, so an element the kernel never wrote is caught.
inline uint16_t poison(Dtype dtype) { return dtype == Dtype::fp16 ? uint16_t(0x7e00) : uint16_t(0x7fc0); }

}  // namespace ratchet
