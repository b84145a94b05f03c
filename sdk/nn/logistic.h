// LOGISTIC (sigmoid). int8 follows TFLite: the input is rescaled into Q4.27 and passed through the
// fixed-point logistic; inputs beyond the representable radius saturate. Output scale 1/256, zero point -128.
#ifndef KILN_NN_LOGISTIC_H
#define KILN_NN_LOGISTIC_H

#include <stdint.h>

namespace kiln {
namespace nn {

struct LogisticParams {
  int32_t input_zero_point;
  int32_t input_range_radius;
  int32_t input_multiplier;
  int32_t input_left_shift;
};

void logistic_s8_params(float input_scale, int32_t input_zero_point, LogisticParams* params);
void logistic_s8(const LogisticParams& params, int32_t count, const int8_t* input, int8_t* output);
void logistic_f32(int32_t count, const float* input, float* output);

// Prepared calls (sdk/nn/op_table.h): inputs {input}, outputs {output}.
struct LogisticS8Call {
  LogisticParams params;
  int32_t count;
};
struct LogisticF32Call {
  int32_t count;
};
void eval_logistic_s8(const void* call, const void* const* inputs, void* const* outputs);
void eval_logistic_f32(const void* call, const void* const* inputs, void* const* outputs);

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_LOGISTIC_H
