#include "nn/fully_connected.h"

#include "nn/quant_math.h"
#include "nn/simd_int8.h"

namespace kiln {
namespace nn {

namespace {

inline int8_t requantize(int32_t acc, const QuantParams& quant, const QuantActivation& act, int32_t o) {
  const int32_t q = quant.count > 1 ? o : 0;
  return requantize_s8(acc, quant.multiplier[q], quant.shift[q], act.output_offset, act.act_min, act.act_max);
}

#if KILN_NN_SIMD
// Two units at a time: the input word is widened (and offset) once and used for both filter rows. Lanes pair
// bytes (0, 2) and (1, 3) of the same 4 depths on both sides, so the dot product is the reference's sum in
// another (exact, int32) order. With filter_offset == 0 (symmetric weights, the common case) the filter
// lanes skip the offset add.
template <bool kFilterOffset>
void fully_connected_row_s8(const FullyConnectedDims& dims, const QuantParams& quant,
                            const QuantActivation& act, int32_t filter_offset, const int8_t* in,
                            const int8_t* filter, const int32_t* bias, int8_t* out) {
  const int32_t depth = dims.depth;
  const int32_t depth4 = depth & ~3;
  const int32_t in_off2 = simd::pack16(act.input_offset, act.input_offset);
  const int32_t f_off2 = simd::pack16(filter_offset, filter_offset);
  int32_t o = 0;
  // Outputs are written in increasing order, each after every read of the input row (the reference writes
  // (b, o) between reads of row b too), so the compiled engine's overlap distance stays valid.
  for (; o + 1 < dims.units; o += 2) {
    const int8_t* f0 = filter + static_cast<int64_t>(o) * depth;
    const int8_t* f1 = f0 + depth;
    int32_t acc0 = bias ? bias[o] : 0, acc1 = bias ? bias[o + 1] : 0;
    int32_t d = 0;
    for (; d < depth4; d += 4) {
      const int32_t x = simd::read4(in + d);
      const int32_t xe = simd::sadd16(simd::sxtb16(x), in_off2);
      const int32_t xo = simd::sadd16(simd::sxtb16_odd(x), in_off2);
      const int32_t w0 = simd::read4(f0 + d), w1 = simd::read4(f1 + d);
      int32_t w0e = simd::sxtb16(w0), w0o = simd::sxtb16_odd(w0);
      int32_t w1e = simd::sxtb16(w1), w1o = simd::sxtb16_odd(w1);
      if (kFilterOffset) {
        w0e = simd::sadd16(w0e, f_off2);
        w0o = simd::sadd16(w0o, f_off2);
        w1e = simd::sadd16(w1e, f_off2);
        w1o = simd::sadd16(w1o, f_off2);
      }
      acc0 = simd::smlad(w0e, xe, acc0);
      acc0 = simd::smlad(w0o, xo, acc0);
      acc1 = simd::smlad(w1e, xe, acc1);
      acc1 = simd::smlad(w1o, xo, acc1);
    }
    for (; d < depth; ++d) {
      const int32_t x = in[d] + act.input_offset;
      acc0 += (f0[d] + filter_offset) * x;
      acc1 += (f1[d] + filter_offset) * x;
    }
    out[o] = requantize(acc0, quant, act, o);
    out[o + 1] = requantize(acc1, quant, act, o + 1);
  }
  if (o < dims.units) {
    const int8_t* f0 = filter + static_cast<int64_t>(o) * depth;
    int32_t acc0 = bias ? bias[o] : 0;
    int32_t d = 0;
    for (; d < depth4; d += 4) {
      const int32_t x = simd::read4(in + d);
      const int32_t w0 = simd::read4(f0 + d);
      int32_t w0e = simd::sxtb16(w0), w0o = simd::sxtb16_odd(w0);
      if (kFilterOffset) {
        w0e = simd::sadd16(w0e, f_off2);
        w0o = simd::sadd16(w0o, f_off2);
      }
      acc0 = simd::smlad(w0e, simd::sadd16(simd::sxtb16(x), in_off2), acc0);
      acc0 = simd::smlad(w0o, simd::sadd16(simd::sxtb16_odd(x), in_off2), acc0);
    }
    for (; d < depth; ++d) acc0 += (f0[d] + filter_offset) * (in[d] + act.input_offset);
    out[o] = requantize(acc0, quant, act, o);
  }
}
#endif

}  // namespace

void fully_connected_s8(const FullyConnectedDims& dims, const QuantParams& quant, const QuantActivation& act,
                        int32_t filter_offset, const int8_t* input, const int8_t* filter, const int32_t* bias,
                        int8_t* output) {
  for (int32_t b = 0; b < dims.batches; ++b) {
    const int8_t* in = input + static_cast<int64_t>(b) * dims.depth;
    int8_t* out = output + static_cast<int64_t>(b) * dims.units;
#if KILN_NN_SIMD
    if (filter_offset == 0) {
      fully_connected_row_s8<false>(dims, quant, act, 0, in, filter, bias, out);
    } else {
      fully_connected_row_s8<true>(dims, quant, act, filter_offset, in, filter, bias, out);
    }
#else
    for (int32_t o = 0; o < dims.units; ++o) {
      const int8_t* f = filter + static_cast<int64_t>(o) * dims.depth;
      int32_t acc = bias ? bias[o] : 0;
      for (int32_t d = 0; d < dims.depth; ++d) acc += (f[d] + filter_offset) * (in[d] + act.input_offset);
      out[o] = requantize(acc, quant, act, o);
    }
#endif
  }
}

void fully_connected_f32(const FullyConnectedDims& dims, const FloatActivation& act, const float* input,
                         const float* filter, const float* bias, float* output) {
  for (int32_t b = 0; b < dims.batches; ++b) {
    const float* in = input + static_cast<int64_t>(b) * dims.depth;
    for (int32_t o = 0; o < dims.units; ++o) {
      const float* f = filter + static_cast<int64_t>(o) * dims.depth;
      float total = 0.0f;
      for (int32_t d = 0; d < dims.depth; ++d) total += in[d] * f[d];
      const float bias_value = bias ? bias[o] : 0.0f;
      output[static_cast<int64_t>(b) * dims.units + o] =
          clamp_f32(total + bias_value, act.act_min, act.act_max);
    }
  }
}

}  // namespace nn
}  // namespace kiln
