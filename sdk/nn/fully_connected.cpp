#include "nn/fully_connected.h"

#include "nn/quant_math.h"
#include "nn/simd_int8.h"

namespace kiln {
namespace nn {

namespace {

#if !KILN_NN_SIMD
inline int8_t requantize(int32_t acc, const QuantParams& quant, const QuantActivation& act, int32_t o) {
  const int32_t q = quant.count > 1 ? o : 0;
  return requantize_s8(acc, quant.multiplier[q], quant.shift[q], act.output_offset, act.act_min, act.act_max);
}
#endif

#if KILN_NN_SIMD
// Four (then two) units at a time: the input word is widened (and offset) once and used for all the filter
// rows. Lanes pair bytes (0, 2) and (1, 3) of the same 4 depths on both sides, so the dot product is the
// reference's sum in another (exact, int32) order. With filter_offset == 0 (symmetric weights, the common
// case) the filter lanes skip the offset add.
template <bool kFilterOffset>
void fully_connected_row_s8(const FullyConnectedDims& dims, const QuantParams& quant,
                            const QuantActivation& act, int32_t filter_offset, const int8_t* in,
                            const int8_t* filter, const int32_t* bias, int8_t* out) {
  const int32_t depth = dims.depth;
  const int32_t depth4 = depth & ~3;
  const int32_t in_off2 = simd::pack16(act.input_offset, act.input_offset);
  const int32_t f_off2 = simd::pack16(filter_offset, filter_offset);
  const OpRequant rq(quant, act);
  int32_t o = 0;
  // Outputs are written in increasing order, each after every read of the input row (the reference writes
  // (b, o) between reads of row b too), so the compiled engine's overlap distance stays valid.
  // (four units only without a filter offset: the offset adds would not fit the registers)
  for (; !kFilterOffset && o + 3 < dims.units; o += 4) {
    // Two row pointers (rows 0, 2) with rows 1, 3 at +depth: the loop fits the 14 registers.
    const int8_t* wa = filter + static_cast<int64_t>(o) * depth;
    const int8_t* wb = wa + 2 * depth;
    int32_t acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0;
    if (bias) {
      acc0 = bias[o];
      acc1 = bias[o + 1];
      acc2 = bias[o + 2];
      acc3 = bias[o + 3];
    }
    const int8_t* x_ptr = in;
    const int8_t* const x_end = in + depth4;
#if defined(__ARM_FEATURE_DSP) && defined(__thumb2__)
    // The loop below in Thumb-2 (GCC spills accumulators of the C loop): 13 registers, the end pointer on
    // the stack. SXTAB16 widens and adds the input offset in one instruction.
    if (x_ptr < x_end) {
      int32_t xe, xo, t1, t2;
      const int32_t row = depth;
      __asm__ volatile(
          "1:\n\t"
          "ldr %[t1], [%[x]], #4\n\t"
          "sxtab16 %[xe], %[off], %[t1]\n\t"
          "sxtab16 %[xo], %[off], %[t1], ror #8\n\t"
          "ldr %[t1], [%[wa], %[row]]\n\t"
          "sxtb16 %[t2], %[t1]\n\t"
          "smlad %[a1], %[t2], %[xe], %[a1]\n\t"
          "sxtb16 %[t1], %[t1], ror #8\n\t"
          "smlad %[a1], %[t1], %[xo], %[a1]\n\t"
          "ldr %[t1], [%[wa]], #4\n\t"
          "sxtb16 %[t2], %[t1]\n\t"
          "smlad %[a0], %[t2], %[xe], %[a0]\n\t"
          "sxtb16 %[t1], %[t1], ror #8\n\t"
          "smlad %[a0], %[t1], %[xo], %[a0]\n\t"
          "ldr %[t1], [%[wb], %[row]]\n\t"
          "sxtb16 %[t2], %[t1]\n\t"
          "smlad %[a3], %[t2], %[xe], %[a3]\n\t"
          "sxtb16 %[t1], %[t1], ror #8\n\t"
          "smlad %[a3], %[t1], %[xo], %[a3]\n\t"
          "ldr %[t1], [%[wb]], #4\n\t"
          "sxtb16 %[t2], %[t1]\n\t"
          "smlad %[a2], %[t2], %[xe], %[a2]\n\t"
          "sxtb16 %[t1], %[t1], ror #8\n\t"
          "smlad %[a2], %[t1], %[xo], %[a2]\n\t"
          "ldr %[t1], %[end]\n\t"
          "cmp %[x], %[t1]\n\t"
          "bcc 1b"
          : [x] "+&r"(x_ptr), [wa] "+&r"(wa), [wb] "+&r"(wb), [a0] "+&r"(acc0), [a1] "+&r"(acc1),
            [a2] "+&r"(acc2), [a3] "+&r"(acc3), [xe] "=&r"(xe), [xo] "=&r"(xo), [t1] "=&r"(t1), [t2] "=&r"(t2)
          : [off] "r"(in_off2), [row] "r"(row), [end] "m"(x_end)
          : "cc", "memory");
    }
#else
    for (; x_ptr < x_end; x_ptr += 4, wa += 4, wb += 4) {
      const int32_t x = simd::read4(x_ptr);
      const int32_t xe = simd::sxtab16(in_off2, x);
      const int32_t xo = simd::sxtab16_odd(in_off2, x);
      int32_t w = simd::read4(wa);
      acc0 = simd::smlad(simd::sxtb16(w), xe, acc0);
      acc0 = simd::smlad(simd::sxtb16_odd(w), xo, acc0);
      w = simd::read4(wa + depth);
      acc1 = simd::smlad(simd::sxtb16(w), xe, acc1);
      acc1 = simd::smlad(simd::sxtb16_odd(w), xo, acc1);
      w = simd::read4(wb);
      acc2 = simd::smlad(simd::sxtb16(w), xe, acc2);
      acc2 = simd::smlad(simd::sxtb16_odd(w), xo, acc2);
      w = simd::read4(wb + depth);
      acc3 = simd::smlad(simd::sxtb16(w), xe, acc3);
      acc3 = simd::smlad(simd::sxtb16_odd(w), xo, acc3);
    }
#endif
    for (int32_t d = depth4; d < depth; ++d, ++wa, ++wb) {
      const int32_t x = in[d] + act.input_offset;
      acc0 = wrap_add(acc0, wa[0] * x);
      acc1 = wrap_add(acc1, wa[depth] * x);
      acc2 = wrap_add(acc2, wb[0] * x);
      acc3 = wrap_add(acc3, wb[depth] * x);
    }
    rq.store4(out + o, o, acc0, acc1, acc2, acc3);
  }
  for (; o + 1 < dims.units; o += 2) {
    const int8_t* f0 = filter + static_cast<int64_t>(o) * depth;
    const int8_t* f1 = f0 + depth;
    int32_t acc0 = bias ? bias[o] : 0, acc1 = bias ? bias[o + 1] : 0;
    int32_t d = 0;
    for (; d < depth4; d += 4) {
      const int32_t x = simd::read4(in + d);
      const int32_t xe = simd::sxtab16(in_off2, x);
      const int32_t xo = simd::sxtab16_odd(in_off2, x);
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
      acc0 = wrap_add(acc0, (f0[d] + filter_offset) * x);
      acc1 = wrap_add(acc1, (f1[d] + filter_offset) * x);
    }
    out[o] = rq.one(acc0, o);
    out[o + 1] = rq.one(acc1, o + 1);
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
      acc0 = simd::smlad(w0e, simd::sxtab16(in_off2, x), acc0);
      acc0 = simd::smlad(w0o, simd::sxtab16_odd(in_off2, x), acc0);
    }
    for (; d < depth; ++d) acc0 = wrap_add(acc0, (f0[d] + filter_offset) * (in[d] + act.input_offset));
    out[o] = rq.one(acc0, o);
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

void eval_fully_connected_s8(const void* call, const void* const* in, void* const* out) {
  const FullyConnectedS8Call& c = *static_cast<const FullyConnectedS8Call*>(call);
  QuantParams quant = c.quant;
  const int8_t shift = static_cast<int8_t>(c.shift);
  if (!quant.multiplier) {
    quant.multiplier = &c.multiplier;
    quant.shift = &shift;
  }
  fully_connected_s8(c.dims, quant, c.act, c.filter_offset, static_cast<const int8_t*>(in[0]),
                     static_cast<const int8_t*>(in[1]), static_cast<const int32_t*>(in[2]),
                     static_cast<int8_t*>(out[0]));
}

void eval_fully_connected_f32(const void* call, const void* const* in, void* const* out) {
  const FullyConnectedF32Call& c = *static_cast<const FullyConnectedF32Call*>(call);
  fully_connected_f32(c.dims, c.act, static_cast<const float*>(in[0]), static_cast<const float*>(in[1]),
                      static_cast<const float*>(in[2]), static_cast<float*>(out[0]));
}

}  // namespace nn
}  // namespace kiln
