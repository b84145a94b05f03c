#include "nn/average_pool2d.h"

#include "nn/quant_math.h"

namespace kiln {
namespace nn {

namespace {

// The window [start, end) of one output coordinate, clipped to the input.
inline void window(int32_t out, int32_t stride, int32_t pad, int32_t filter, int32_t in, int32_t* start,
                   int32_t* end) {
  const int32_t origin = out * stride - pad;
  *start = origin < 0 ? 0 : origin;
  *end = origin + filter < in ? origin + filter : in;
}

}  // namespace

void average_pool2d_s8(const PoolParams& pool, int32_t act_min, int32_t act_max, const Dims& input_dims,
                       const int8_t* input, const Dims& output_dims, int8_t* output) {
  const int32_t c_count = input_dims.c;
  for (int32_t b = 0; b < output_dims.n; ++b) {
    for (int32_t oy = 0; oy < output_dims.h; ++oy) {
      int32_t y0, y1;
      window(oy, pool.stride_h, pool.pad_h, pool.filter_h, input_dims.h, &y0, &y1);
      for (int32_t ox = 0; ox < output_dims.w; ++ox) {
        int32_t x0, x1;
        window(ox, pool.stride_w, pool.pad_w, pool.filter_w, input_dims.w, &x0, &x1);
        for (int32_t c = 0; c < c_count; ++c) {
          int32_t acc = 0, count = 0;
          for (int32_t y = y0; y < y1; ++y) {
            for (int32_t x = x0; x < x1; ++x) {
              acc = wrap_add(
                  acc,
                  input[((static_cast<int64_t>(b) * input_dims.h + y) * input_dims.w + x) * c_count + c]);
              ++count;
            }
          }
          if (count > 0) acc = rounded_divide(acc, count);
          output[((static_cast<int64_t>(b) * output_dims.h + oy) * output_dims.w + ox) * c_count + c] =
              static_cast<int8_t>(clamp_i32(acc, act_min, act_max));
        }
      }
    }
  }
}

void average_pool2d_f32(const PoolParams& pool, const FloatActivation& act, const Dims& input_dims,
                        const float* input, const Dims& output_dims, float* output) {
  const int32_t c_count = input_dims.c;
  for (int32_t b = 0; b < output_dims.n; ++b) {
    for (int32_t oy = 0; oy < output_dims.h; ++oy) {
      int32_t y0, y1;
      window(oy, pool.stride_h, pool.pad_h, pool.filter_h, input_dims.h, &y0, &y1);
      for (int32_t ox = 0; ox < output_dims.w; ++ox) {
        int32_t x0, x1;
        window(ox, pool.stride_w, pool.pad_w, pool.filter_w, input_dims.w, &x0, &x1);
        for (int32_t c = 0; c < c_count; ++c) {
          float total = 0.0f;
          int32_t count = 0;
          for (int32_t y = y0; y < y1; ++y) {
            for (int32_t x = x0; x < x1; ++x) {
              total += input[((static_cast<int64_t>(b) * input_dims.h + y) * input_dims.w + x) * c_count + c];
              ++count;
            }
          }
          const float average = count > 0 ? total / static_cast<float>(count) : 0.0f;
          output[((static_cast<int64_t>(b) * output_dims.h + oy) * output_dims.w + ox) * c_count + c] =
              clamp_f32(average, act.act_min, act.act_max);
        }
      }
    }
  }
}

void eval_average_pool2d_s8(const void* call, const void* const* in, void* const* out) {
  const Pool2dS8Call& c = *static_cast<const Pool2dS8Call*>(call);
  average_pool2d_s8(c.pool, c.act_min, c.act_max, c.input, static_cast<const int8_t*>(in[0]), c.output,
                    static_cast<int8_t*>(out[0]));
}

void eval_average_pool2d_f32(const void* call, const void* const* in, void* const* out) {
  const Pool2dF32Call& c = *static_cast<const Pool2dF32Call*>(call);
  average_pool2d_f32(c.pool, c.act, c.input, static_cast<const float*>(in[0]), c.output,
                     static_cast<float*>(out[0]));
}

}  // namespace nn
}  // namespace kiln
