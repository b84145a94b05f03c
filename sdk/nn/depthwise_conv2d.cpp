#include "nn/depthwise_conv2d.h"

#include "nn/quant_math.h"
#include "nn/simd_int8.h"

namespace kiln {
namespace nn {

namespace {

const int32_t kMaxTaps = 64;  // valid-tap list on the stack: 64 * (4 + 4) B

// The reference loop (one output element at a time); used when the window has more than kMaxTaps taps.
void depthwise_conv2d_s8_reference(const DepthwiseParams& conv, const QuantParams& quant,
                                   const QuantActivation& act, const Dims& input_dims, const int8_t* input,
                                   const Dims& filter_dims, const int8_t* filter, const int32_t* bias,
                                   const Dims& output_dims, int8_t* output) {
  const int32_t in_h = input_dims.h, in_w = input_dims.w, in_c = input_dims.c;
  const int32_t f_h = filter_dims.h, f_w = filter_dims.w;
  const int32_t out_h = output_dims.h, out_w = output_dims.w, out_c = output_dims.c;
  const int32_t dm = conv.depth_multiplier;
  for (int32_t b = 0; b < output_dims.n; ++b) {
    for (int32_t oy = 0; oy < out_h; ++oy) {
      const int32_t in_y0 = oy * conv.stride_h - conv.pad_h;
      for (int32_t ox = 0; ox < out_w; ++ox) {
        const int32_t in_x0 = ox * conv.stride_w - conv.pad_w;
        for (int32_t ic = 0; ic < in_c; ++ic) {
          for (int32_t m = 0; m < dm; ++m) {
            const int32_t oc = m + ic * dm;
            int32_t acc = 0;
            for (int32_t ky = 0; ky < f_h; ++ky) {
              const int32_t iy = in_y0 + conv.dilation_h * ky;
              if (iy < 0 || iy >= in_h) continue;
              for (int32_t kx = 0; kx < f_w; ++kx) {
                const int32_t ix = in_x0 + conv.dilation_w * kx;
                if (ix < 0 || ix >= in_w) continue;
                const int32_t in_v = input[((static_cast<int64_t>(b) * in_h + iy) * in_w + ix) * in_c + ic];
                const int32_t f_v = filter[(ky * f_w + kx) * out_c + oc];
                acc = wrap_add(acc, f_v * (in_v + act.input_offset));
              }
            }
            if (bias) acc = wrap_add(acc, bias[oc]);
            const int32_t q = quant.count > 1 ? oc : 0;
            acc = multiply_by_quantized_multiplier(acc, quant.multiplier[q], quant.shift[q]);
            output[((static_cast<int64_t>(b) * out_h + oy) * out_w + ox) * out_c + oc] =
                static_cast<int8_t>(add_clamped(acc, act.output_offset, act.act_min, act.act_max));
          }
        }
      }
    }
  }
}

inline int8_t requantize(int32_t acc, const QuantParams& quant, const QuantActivation& act, int32_t oc) {
  const int32_t q = quant.count > 1 ? oc : 0;
  return requantize_s8(acc, quant.multiplier[q], quant.shift[q], act.output_offset, act.act_min, act.act_max);
}

}  // namespace

// Per output pixel: the window's valid taps are listed once (input pixel pointer, filter tap offset), so the
// channel loops run without bounds checks or index arithmetic. With depth_multiplier 1 (and a packed path),
// 4 channels go at a time: one word of input and one of filter per tap, widened into lanes (0, 2) and
// (1, 3), 4 accumulators updated with SMLABB/SMLATT. Sums are exact int32, so the order does not matter.
//
// Overlap safety (compiled engine, conv_distance in overlap_plan.cpp): pixels in b, oy, ox order and, within
// a pixel, output channels in increasing order, each written after its own reads; a group of 4 channels reads
// only channels c..c+3 of the window, which the reference reads at those very channels' steps (or later), so
// no read happens after a write that the reference would not also have done before it.
void depthwise_conv2d_s8(const DepthwiseParams& conv, const QuantParams& quant, const QuantActivation& act,
                         const Dims& input_dims, const int8_t* input, const Dims& filter_dims,
                         const int8_t* filter, const int32_t* bias, const Dims& output_dims, int8_t* output) {
  const int32_t in_h = input_dims.h, in_w = input_dims.w, in_c = input_dims.c;
  const int32_t f_h = filter_dims.h, f_w = filter_dims.w;
  const int32_t out_h = output_dims.h, out_w = output_dims.w, out_c = output_dims.c;
  const int32_t dm = conv.depth_multiplier;
  if (f_h * f_w > kMaxTaps) {
    depthwise_conv2d_s8_reference(conv, quant, act, input_dims, input, filter_dims, filter, bias, output_dims,
                                  output);
    return;
  }
  const int8_t* tap_in[kMaxTaps];
  const int8_t* tap_f[kMaxTaps];
#if KILN_NN_SIMD
  const OpRequant rq(quant, act);
#endif
  int8_t* out = output;
  for (int32_t b = 0; b < output_dims.n; ++b) {
    const int8_t* image = input + static_cast<int64_t>(b) * in_h * in_w * in_c;
    for (int32_t oy = 0; oy < out_h; ++oy) {
      const int32_t in_y0 = oy * conv.stride_h - conv.pad_h;
      for (int32_t ox = 0; ox < out_w; ++ox, out += out_c) {
        const int32_t in_x0 = ox * conv.stride_w - conv.pad_w;
        int32_t taps = 0;
        for (int32_t ky = 0; ky < f_h; ++ky) {
          const int32_t iy = in_y0 + conv.dilation_h * ky;
          if (iy < 0 || iy >= in_h) continue;
          for (int32_t kx = 0; kx < f_w; ++kx) {
            const int32_t ix = in_x0 + conv.dilation_w * kx;
            if (ix < 0 || ix >= in_w) continue;
            tap_in[taps] = image + (static_cast<int64_t>(iy) * in_w + ix) * in_c;
            tap_f[taps] = filter + (ky * f_w + kx) * out_c;
            ++taps;
          }
        }
        int32_t ic = 0;
#if KILN_NN_SIMD
        if (dm == 1) {
          const int32_t off2 = simd::pack16(act.input_offset, act.input_offset);
          for (; ic + 4 <= in_c; ic += 4) {
            int32_t acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0;
            if (bias) {
              acc0 = bias[ic];
              acc1 = bias[ic + 1];
              acc2 = bias[ic + 2];
              acc3 = bias[ic + 3];
            }
            for (int32_t t = 0; t < taps; ++t) {
              const int32_t x = simd::read4(tap_in[t] + ic), w = simd::read4(tap_f[t] + ic);
              const int32_t xe = simd::sxtab16(off2, x), xo = simd::sxtab16_odd(off2, x);
              const int32_t we = simd::sxtb16(w), wo = simd::sxtb16_odd(w);
              acc0 = simd::smlabb(we, xe, acc0);
              acc2 = simd::smlatt(we, xe, acc2);
              acc1 = simd::smlabb(wo, xo, acc1);
              acc3 = simd::smlatt(wo, xo, acc3);
            }
            rq.store4(out + ic, ic, acc0, acc1, acc2, acc3);
          }
        }
#endif
        for (; ic < in_c; ++ic) {
          for (int32_t m = 0; m < dm; ++m) {
            const int32_t oc = m + ic * dm;
            int32_t acc = bias ? bias[oc] : 0;
            for (int32_t t = 0; t < taps; ++t)
              acc = wrap_add(acc, tap_f[t][oc] * (tap_in[t][ic] + act.input_offset));
            out[oc] = requantize(acc, quant, act, oc);
          }
        }
      }
    }
  }
}

void depthwise_conv2d_f32(const DepthwiseParams& conv, const FloatActivation& act, const Dims& input_dims,
                          const float* input, const Dims& filter_dims, const float* filter, const float* bias,
                          const Dims& output_dims, float* output) {
  const int32_t in_h = input_dims.h, in_w = input_dims.w, in_c = input_dims.c;
  const int32_t f_h = filter_dims.h, f_w = filter_dims.w;
  const int32_t out_h = output_dims.h, out_w = output_dims.w, out_c = output_dims.c;
  const int32_t dm = conv.depth_multiplier;
  for (int32_t b = 0; b < output_dims.n; ++b) {
    for (int32_t oy = 0; oy < out_h; ++oy) {
      const int32_t in_y0 = oy * conv.stride_h - conv.pad_h;
      for (int32_t ox = 0; ox < out_w; ++ox) {
        const int32_t in_x0 = ox * conv.stride_w - conv.pad_w;
        for (int32_t ic = 0; ic < in_c; ++ic) {
          for (int32_t m = 0; m < dm; ++m) {
            const int32_t oc = m + ic * dm;
            float total = 0.0f;
            for (int32_t ky = 0; ky < f_h; ++ky) {
              const int32_t iy = in_y0 + conv.dilation_h * ky;
              if (iy < 0 || iy >= in_h) continue;
              for (int32_t kx = 0; kx < f_w; ++kx) {
                const int32_t ix = in_x0 + conv.dilation_w * kx;
                if (ix < 0 || ix >= in_w) continue;
                total += input[((static_cast<int64_t>(b) * in_h + iy) * in_w + ix) * in_c + ic] *
                         filter[(ky * f_w + kx) * out_c + oc];
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
}

void eval_depthwise_conv2d_s8(const void* call, const void* const* in, void* const* out) {
  const DepthwiseConv2dS8Call& c = *static_cast<const DepthwiseConv2dS8Call*>(call);
  depthwise_conv2d_s8(c.conv, c.quant, c.act, c.input, static_cast<const int8_t*>(in[0]), c.filter,
                      static_cast<const int8_t*>(in[1]), static_cast<const int32_t*>(in[2]), c.output,
                      static_cast<int8_t*>(out[0]));
}

void eval_depthwise_conv2d_f32(const void* call, const void* const* in, void* const* out) {
  const DepthwiseConv2dF32Call& c = *static_cast<const DepthwiseConv2dF32Call*>(call);
  depthwise_conv2d_f32(c.conv, c.act, c.input, static_cast<const float*>(in[0]), c.filter,
                       static_cast<const float*>(in[1]), static_cast<const float*>(in[2]), c.output,
                       static_cast<float*>(out[0]));
}

}  // namespace nn
}  // namespace kiln
