#include "nn/mean.h"

#include "nn/quant_math.h"

namespace kiln {
namespace nn {

void mean_s8_params(float input_scale, int32_t input_zp, float output_scale, int32_t output_zp,
                    MeanParams* p) {
  int shift = 0;
  quantize_multiplier(static_cast<double>(input_scale) / static_cast<double>(output_scale), &p->multiplier,
                      &shift);
  p->shift = shift;
  p->input_zero_point = input_zp;
  p->output_zero_point = output_zp;
}

namespace {

// Calls visit(output_index, input_index) for every input element, output index in row-major order of the
// kept dimensions.
template <typename Visit>
void for_each(const MeanParams& p, Visit& visit) {
  const int32_t* d = p.input_dims;
  int32_t out_dims[4], out_stride[4];
  for (int i = 0; i < 4; ++i) out_dims[i] = p.reduce[i] ? 1 : d[i];
  int32_t s = 1;
  for (int i = 3; i >= 0; --i) {
    out_stride[i] = p.reduce[i] ? 0 : s;
    s *= out_dims[i];
  }
  int64_t in = 0;
  for (int32_t i0 = 0; i0 < d[0]; ++i0)
    for (int32_t i1 = 0; i1 < d[1]; ++i1)
      for (int32_t i2 = 0; i2 < d[2]; ++i2)
        for (int32_t i3 = 0; i3 < d[3]; ++i3) {
          const int64_t o = int64_t(i0) * out_stride[0] + int64_t(i1) * out_stride[1] +
                            int64_t(i2) * out_stride[2] + int64_t(i3) * out_stride[3];
          visit(o, in++);
        }
}

int32_t output_count(const MeanParams& p) {
  int32_t n = 1;
  for (int i = 0; i < 4; ++i) n *= p.reduce[i] ? 1 : p.input_dims[i];
  return n;
}

int32_t reduced_count(const MeanParams& p) {
  int32_t n = 1;
  for (int i = 0; i < 4; ++i) n *= p.reduce[i] ? p.input_dims[i] : 1;
  return n;
}

struct SumS8 {
  const int8_t* input;
  int32_t* sums;  // aliases the output when the output is int32-sized; here a running int32 per output
  int32_t zp;
  void operator()(int64_t o, int64_t i) { sums[o] = wrap_add(sums[o], input[i] - zp); }
};

}  // namespace

void mean_s8(const MeanParams& p, const int8_t* input, int8_t* output) {
  // One output at a time keeps the kernel free of scratch memory: walk the input once per output.
  const int32_t outputs = output_count(p);
  const int32_t count = reduced_count(p);
  for (int32_t o = 0; o < outputs; ++o) {
    int32_t acc = 0;
    SumS8 sum = {input, &acc, p.input_zero_point};
    // Only the matching output index contributes.
    struct Filter {
      SumS8* sum;
      int64_t target;
      void operator()(int64_t out, int64_t in) {
        if (out == target) (*sum)(0, in);
      }
    } filter = {&sum, o};
    for_each(p, filter);
    acc = multiply_by_quantized_multiplier(acc, p.multiplier, p.shift);
    if (count > 0) acc = rounded_divide(acc, count);
    output[o] = static_cast<int8_t>(add_clamped(acc, p.output_zero_point, -128, 127));
  }
}

void mean_f32(const MeanParams& p, const float* input, float* output) {
  const int32_t outputs = output_count(p);
  const int32_t count = reduced_count(p);
  for (int32_t o = 0; o < outputs; ++o) output[o] = 0.0f;
  struct SumF32 {
    const float* input;
    float* output;
    void operator()(int64_t o, int64_t i) { output[o] += input[i]; }
  } sum = {input, output};
  for_each(p, sum);
  for (int32_t o = 0; o < outputs; ++o) output[o] = output[o] / static_cast<float>(count);
}

void eval_mean_s8(const void* call, const void* const* in, void* const* out) {
  mean_s8(*static_cast<const MeanParams*>(call), static_cast<const int8_t*>(in[0]),
          static_cast<int8_t*>(out[0]));
}

void eval_mean_f32(const void* call, const void* const* in, void* const* out) {
  mean_f32(*static_cast<const MeanParams*>(call), static_cast<const float*>(in[0]),
           static_cast<float*>(out[0]));
}

}  // namespace nn
}  // namespace kiln
