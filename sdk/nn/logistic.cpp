#include "nn/logistic.h"

#include <math.h>

#include "nn/quant_math.h"

namespace kiln {
namespace nn {

namespace {
const int kInputIntegerBits = 4;
}

void logistic_s8_params(float input_scale, int32_t input_zero_point, LogisticParams* p) {
  const double real = static_cast<double>(input_scale) * static_cast<double>(1 << (31 - kInputIntegerBits));
  int shift = 0;
  const double q = frexp(real, &shift);
  // TFLite takes the rounded mantissa as is here (no renormalization when it rounds up to 2^31).
  p->input_multiplier = static_cast<int32_t>(
      static_cast<uint32_t>(static_cast<int64_t>(round(q * static_cast<double>(int64_t(1) << 31)))));
  p->input_left_shift = shift;
  p->input_zero_point = input_zero_point;
  p->input_range_radius = calculate_input_radius(kInputIntegerBits, shift, 31);
}

void logistic_s8(const LogisticParams& p, int32_t count, const int8_t* input, int8_t* output) {
  for (int32_t i = 0; i < count; ++i) {
    const int32_t x = static_cast<int32_t>(input[i]) - p.input_zero_point;
    if (x <= -p.input_range_radius) {
      output[i] = -128;
    } else if (x >= p.input_range_radius) {
      output[i] = 127;
    } else {
      const int32_t in_q4 = multiply_by_quantized_multiplier(x, p.input_multiplier, p.input_left_shift);
      const int32_t out_q0 = fixed_logistic(in_q4, kInputIntegerBits);
      const int32_t out = rounding_divide_by_pot(out_q0, 31 - 8) - 128;
      output[i] = static_cast<int8_t>(clamp_i32(out, -128, 127));
    }
  }
}

void logistic_f32(int32_t count, const float* input, float* output) {
  const float cutoff_upper = 16.619047164916992188f;
  const float cutoff_lower = -9.0f;
  for (int32_t i = 0; i < count; ++i) {
    const float v = input[i];
    if (v > cutoff_upper) {
      output[i] = 1.0f;
    } else if (v < cutoff_lower) {
      output[i] = expf(v);
    } else {
      output[i] = 1.0f / (1.0f + expf(-v));
    }
  }
}

void eval_logistic_s8(const void* call, const void* const* in, void* const* out) {
  const LogisticS8Call& c = *static_cast<const LogisticS8Call*>(call);
  logistic_s8(c.params, c.count, static_cast<const int8_t*>(in[0]), static_cast<int8_t*>(out[0]));
}

void eval_logistic_f32(const void* call, const void* const* in, void* const* out) {
  const LogisticF32Call& c = *static_cast<const LogisticF32Call*>(call);
  logistic_f32(c.count, static_cast<const float*>(in[0]), static_cast<float*>(out[0]));
}

}  // namespace nn
}  // namespace kiln
