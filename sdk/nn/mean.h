// MEAN over a set of axes of an up to 4-D tensor (the shape is right-aligned into 4-D). int8: the sum of
// (q - input_zp) is rescaled by input_scale / output_scale, divided by the element count with rounding half
// away from zero, and offset by the output zero point (TFLite's integer mean).
#ifndef KILN_NN_MEAN_H
#define KILN_NN_MEAN_H

#include <stdint.h>

namespace kiln {
namespace nn {

struct MeanParams {
  int32_t input_dims[4];
  bool reduce[4];  // axes to average over
  int32_t input_zero_point, output_zero_point;
  int32_t multiplier, shift;  // int8 only
};

void mean_s8_params(float input_scale, int32_t input_zp, float output_scale, int32_t output_zp,
                    MeanParams* params);
void mean_s8(const MeanParams& params, const int8_t* input, int8_t* output);
void mean_f32(const MeanParams& params, const float* input, float* output);

// Prepared calls (sdk/nn/op_table.h; the call struct is MeanParams): inputs {input}, outputs {output}.
void eval_mean_s8(const void* call, const void* const* inputs, void* const* outputs);
void eval_mean_f32(const void* call, const void* const* inputs, void* const* outputs);

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_MEAN_H
