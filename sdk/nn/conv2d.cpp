#include "nn/conv2d.h"

#include "nn/quant_math.h"

namespace kiln {
namespace nn {

void conv2d_s8(const ConvParams& conv, const QuantParams& quant, const QuantActivation& act,
               const Dims& input_dims, const int8_t* input, const Dims& filter_dims, const int8_t* filter,
               const int32_t* bias, const Dims& output_dims, int8_t* output) {
  const int32_t in_h = input_dims.h, in_w = input_dims.w, in_c = input_dims.c;
  const int32_t f_h = filter_dims.h, f_w = filter_dims.w, f_c = filter_dims.c;
  const int32_t out_h = output_dims.h, out_w = output_dims.w, out_c = output_dims.c;
  const int32_t channels_per_group = out_c / (in_c / f_c);
  for (int32_t b = 0; b < output_dims.n; ++b) {
    for (int32_t oy = 0; oy < out_h; ++oy) {
      const int32_t in_y0 = oy * conv.stride_h - conv.pad_h;
      for (int32_t ox = 0; ox < out_w; ++ox) {
        const int32_t in_x0 = ox * conv.stride_w - conv.pad_w;
        for (int32_t oc = 0; oc < out_c; ++oc) {
          const int32_t group_c0 = (oc / channels_per_group) * f_c;
          const int8_t* f = filter + static_cast<int64_t>(oc) * f_h * f_w * f_c;
          int32_t acc = 0;
          for (int32_t ky = 0; ky < f_h; ++ky) {
            const int32_t iy = in_y0 + conv.dilation_h * ky;
            if (iy < 0 || iy >= in_h) continue;
            for (int32_t kx = 0; kx < f_w; ++kx) {
              const int32_t ix = in_x0 + conv.dilation_w * kx;
              if (ix < 0 || ix >= in_w) continue;
              const int8_t* in =
                  input + ((static_cast<int64_t>(b) * in_h + iy) * in_w + ix) * in_c + group_c0;
              const int8_t* fk = f + (ky * f_w + kx) * f_c;
              for (int32_t ic = 0; ic < f_c; ++ic) acc += fk[ic] * (in[ic] + act.input_offset);
            }
          }
          if (bias) acc += bias[oc];
          const int32_t q = quant.count > 1 ? oc : 0;
          acc = multiply_by_quantized_multiplier(acc, quant.multiplier[q], quant.shift[q]);
          acc += act.output_offset;
          output[((static_cast<int64_t>(b) * out_h + oy) * out_w + ox) * out_c + oc] =
              static_cast<int8_t>(clamp_i32(acc, act.act_min, act.act_max));
        }
      }
    }
  }
}

void conv2d_f32(const ConvParams& conv, const FloatActivation& act, const Dims& input_dims,
                const float* input, const Dims& filter_dims, const float* filter, const float* bias,
                const Dims& output_dims, float* output) {
  const int32_t in_h = input_dims.h, in_w = input_dims.w, in_c = input_dims.c;
  const int32_t f_h = filter_dims.h, f_w = filter_dims.w, f_c = filter_dims.c;
  const int32_t out_h = output_dims.h, out_w = output_dims.w, out_c = output_dims.c;
  const int32_t channels_per_group = out_c / (in_c / f_c);
  for (int32_t b = 0; b < output_dims.n; ++b) {
    for (int32_t oy = 0; oy < out_h; ++oy) {
      const int32_t in_y0 = oy * conv.stride_h - conv.pad_h;
      for (int32_t ox = 0; ox < out_w; ++ox) {
        const int32_t in_x0 = ox * conv.stride_w - conv.pad_w;
        for (int32_t oc = 0; oc < out_c; ++oc) {
          const int32_t group_c0 = (oc / channels_per_group) * f_c;
          const float* f = filter + static_cast<int64_t>(oc) * f_h * f_w * f_c;
          float total = 0.0f;
          for (int32_t ky = 0; ky < f_h; ++ky) {
            const int32_t iy = in_y0 + conv.dilation_h * ky;
            if (iy < 0 || iy >= in_h) continue;
            for (int32_t kx = 0; kx < f_w; ++kx) {
              const int32_t ix = in_x0 + conv.dilation_w * kx;
              if (ix < 0 || ix >= in_w) continue;
              const float* in = input + ((static_cast<int64_t>(b) * in_h + iy) * in_w + ix) * in_c + group_c0;
              const float* fk = f + (ky * f_w + kx) * f_c;
              for (int32_t ic = 0; ic < f_c; ++ic) total += in[ic] * fk[ic];
            }
          }
          const float bias_value = bias ? bias[oc] : 0.0f;
          output[((static_cast<int64_t>(b) * out_h + oy) * out_w + ox) * out_c + oc] =
              clamp_f32(total + bias_value, act.act_min, act.act_max);
        }
      }
    }
  }
}

}  // namespace nn
}  // namespace kiln
