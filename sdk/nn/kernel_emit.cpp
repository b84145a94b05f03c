#include "nn/kernel_emit.h"

#ifdef KILN_NN_RECORDER

namespace kiln {
namespace nn {

void print_i32s(CallWriter& w, const int32_t* v, int n) {
  w.begin();
  for (int i = 0; i < n; ++i) w.i32(v[i]);
  w.end();
}

void print(CallWriter& w, const Dims& d) {
  const int32_t v[4] = {d.n, d.h, d.w, d.c};
  print_i32s(w, v, 4);
}

void print(CallWriter& w, const ConvParams& p) {
  const int32_t v[6] = {p.stride_h, p.stride_w, p.dilation_h, p.dilation_w, p.pad_h, p.pad_w};
  print_i32s(w, v, 6);
}

void print(CallWriter& w, const DepthwiseParams& p) {
  const int32_t v[7] = {p.stride_h, p.stride_w, p.dilation_h,      p.dilation_w,
                        p.pad_h,    p.pad_w,    p.depth_multiplier};
  print_i32s(w, v, 7);
}

void print(CallWriter& w, const PoolParams& p) {
  const int32_t v[6] = {p.stride_h, p.stride_w, p.filter_h, p.filter_w, p.pad_h, p.pad_w};
  print_i32s(w, v, 6);
}

void print(CallWriter& w, const QuantParams& q) {
  w.begin();
  w.i32_array(q.multiplier, q.count, "requantization multipliers (quantize_multiplier)");
  w.i8_array(q.shift, q.count, "requantization shifts");
  w.i32(q.count);
  w.end();
}

void print(CallWriter& w, const QuantActivation& a) {
  const int32_t v[4] = {a.input_offset, a.output_offset, a.act_min, a.act_max};
  print_i32s(w, v, 4);
}

void print(CallWriter& w, const FloatActivation& a) {
  w.begin();
  w.f32(a.act_min);
  w.f32(a.act_max);
  w.end();
}

void print(CallWriter& w, const BroadcastShape& s) {
  w.begin();
  print_i32s(w, s.out, 4);
  print_i32s(w, s.stride1, 4);
  print_i32s(w, s.stride2, 4);
  w.end();
}

void elementwise_access(int32_t count, int32_t in_bytes, int32_t out_bytes, int32_t data_inputs,
                        KernelAccess* a) {
  a->pattern = KernelAccess::kElementwise;
  a->count = count;
  a->in_bytes = in_bytes;
  a->out_bytes = out_bytes;
  a->data_inputs = data_inputs;
}

void window_access(const Dims& input, const Dims& output, int32_t filter_h, int32_t filter_w,
                   const ConvParams& g, int32_t out_per_group, int32_t in_per_group, int32_t bytes,
                   KernelAccess* a) {
  a->pattern = KernelAccess::kWindow;
  a->in_bytes = a->out_bytes = bytes;
  a->data_inputs = 1;  // conv weights and biases are constants
  a->input = input;
  a->output = output;
  a->filter_h = filter_h;
  a->filter_w = filter_w;
  a->stride_h = g.stride_h;
  a->stride_w = g.stride_w;
  a->dilation_h = g.dilation_h;
  a->dilation_w = g.dilation_w;
  a->pad_h = g.pad_h;
  a->pad_w = g.pad_w;
  a->out_per_group = out_per_group;
  a->in_per_group = in_per_group;
}

}  // namespace nn
}  // namespace kiln

#endif  // KILN_NN_RECORDER
