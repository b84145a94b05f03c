#include "nn/conv2d.h"

#include "nn/quant_math.h"
#include "nn/simd_int8.h"

namespace kiln {
namespace nn {

namespace {

// The reference loop (one output element at a time); used for grouped convolutions.
void conv2d_s8_reference(const ConvParams& conv, const QuantParams& quant, const QuantActivation& act,
                         const Dims& input_dims, const int8_t* input, const Dims& filter_dims,
                         const int8_t* filter, const int32_t* bias, const Dims& output_dims, int8_t* output) {
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
              for (int32_t ic = 0; ic < f_c; ++ic) acc = wrap_add(acc, fk[ic] * (in[ic] + act.input_offset));
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

// The fast path works on pairs of output pixels (consecutive in b, oy, ox order). For each pair it copies
// chunks of both receptive fields ("columns", im2col) into a stack buffer as int16 with the input offset
// already added (padding taps become 0, i.e. contribute nothing, as the reference skipping them), then runs
// every filter row over both columns, two rows at a time, into int32 accumulators on the stack. Each filter
// word is loaded and widened once for two pixels and each column word once for two output channels.
//
// Overlap safety (compiled engine, output placed over the dying input at distance d from
// overlap_plan.cpp's conv_distance): a pair reads everything it needs (both windows, all chunks) before it
// writes anything, then writes pixel A's channels and pixel B's channels in increasing address order. So
// every input read happens no later, relative to the writes, than in the reference order, and every write
// lands no earlier. When out_c does not fit the accumulators, single pixels in blocks of channels re-read
// their window after writing the block before, exactly as the reference does between channels.
// Column elements per chunk (multiple of 4); 2 columns * 128 * 2 B = 512 B; column b at +256 B (the
// Thumb-2 loop's LDRD offset).
const int32_t kChunk = 128;
const int32_t kAcc = 128;  // int32 accumulators: 2 pixels * out_c <= 128 (or 1 pixel, blocks of 128)

struct Geometry {
  int32_t in_h, in_w, in_c;
  int32_t f_h, f_w, k;  // k = f_h * f_w * in_c, the length of a filter row and of a column
};

#if KILN_NN_SIMD
// Position of column element j in the buffer: within each full group of 4 the order is (0, 2, 1, 3), so the
// two words of a group are exactly SXTB16 and SXTB16-ROR-8 of the 4 filter bytes: lanes (0, 2) and (1, 3).
inline int32_t slot(int32_t j, int32_t full) {
  return j < full ? ((j & ~3) | ((j & 1) << 1) | ((j >> 1) & 1)) : j;
}
#else
inline int32_t slot(int32_t j, int32_t) {
  return j;
}
#endif

// Column elements [k0, k0 + len) of the receptive field at (origin_y, origin_x) of image `image`.
void fill_column(const ConvParams& conv, const Geometry& g, const int8_t* image, int32_t origin_y,
                 int32_t origin_x, int32_t input_offset, int32_t k0, int32_t len, int16_t* col) {
  const int32_t full = len & ~3;
  int32_t tap = k0 / g.in_c;
  int32_t ic = k0 - tap * g.in_c;
  int32_t j = 0;
  while (j < len) {
    const int32_t ky = tap / g.f_w, kx = tap - ky * g.f_w;
    const int32_t iy = origin_y + conv.dilation_h * ky, ix = origin_x + conv.dilation_w * kx;
    const bool valid = iy >= 0 && iy < g.in_h && ix >= 0 && ix < g.in_w;
    const int8_t* src = valid ? image + (static_cast<int64_t>(iy) * g.in_w + ix) * g.in_c + ic : 0;
    int32_t n = g.in_c - ic;
    if (n > len - j) n = len - j;
    int32_t i = 0;
#if KILN_NN_SIMD
    if ((j & 3) == 0) {
      // Whole groups of 4 in one tap: one load, two widenings, two offset adds, two stores.
      const int32_t off2 = simd::pack16(input_offset, input_offset);
      for (; i + 4 <= n; i += 4) {
        int32_t even = 0, odd = 0;
        if (valid) {
          const int32_t x = simd::read4(src + i);
          even = simd::sxtab16(off2, x);
          odd = simd::sxtab16_odd(off2, x);
        }
        simd::write4(col + j + i, even);
        simd::write4(col + j + i + 2, odd);
      }
    }
#endif
    for (; i < n; ++i) col[slot(j + i, full)] = static_cast<int16_t>(valid ? src[i] + input_offset : 0);
    j += n;
    ic = 0;
    ++tap;
  }
}

// acc_a[r] += filter row (oc_begin + r) . column a over chunk [k0, k0 + len), and acc_b with column b
// (col + kChunk) when kTwo. The two columns sit at a fixed distance so one pointer addresses both (register
// pressure: the 2x2 inner loop keeps 4 accumulators, 4 widened filter halves and 2 column words live).
template <bool kTwo>
void accumulate(const int8_t* filter, int32_t k, int32_t k0, int32_t len, const int16_t* col,
                int32_t oc_begin, int32_t oc_count, int32_t* acc_a, int32_t* acc_b) {
#if KILN_NN_SIMD
  const int32_t full = len & ~3;
#endif
  int32_t r = 0;
  for (; r + 1 < oc_count; r += 2) {
    const int8_t* w0 = filter + static_cast<int64_t>(oc_begin + r) * k + k0;
    int32_t a0 = acc_a[r], a1 = acc_a[r + 1];
    int32_t b0 = kTwo ? acc_b[r] : 0, b1 = kTwo ? acc_b[r + 1] : 0;
    int32_t j = 0;
#if KILN_NN_SIMD
    const int16_t* c = col;
    const int16_t* const c_end = col + full;
    const int8_t* w = w0;
#if defined(__ARM_FEATURE_DSP) && defined(__thumb2__)
    // The two-pixel loop in Thumb-2 (GCC's allocation spills): 13 registers, the end pointer on the stack,
    // each group's column words as one LDRD per pixel (col is word-aligned; column b at +2 * kChunk bytes).
    static_assert(kChunk * sizeof(int16_t) == 256, "column b's offset in the LDRD below");
    if (kTwo && c < c_end) {
      int32_t x, t, e, o, e2, o2;
      __asm__ volatile(
          "1:\n\t"
          "ldrd %[e2], %[o2], [%[c], #256]\n\t"
          "ldrd %[e], %[o], [%[c]], #8\n\t"
          "ldr %[x], [%[w], %[row]]\n\t"
          "sxtb16 %[t], %[x]\n\t"
          "smlad %[a1], %[t], %[e], %[a1]\n\t"
          "smlad %[b1], %[t], %[e2], %[b1]\n\t"
          "sxtb16 %[t], %[x], ror #8\n\t"
          "smlad %[a1], %[t], %[o], %[a1]\n\t"
          "smlad %[b1], %[t], %[o2], %[b1]\n\t"
          "ldr %[x], [%[w]], #4\n\t"
          "sxtb16 %[t], %[x]\n\t"
          "smlad %[a0], %[t], %[e], %[a0]\n\t"
          "smlad %[b0], %[t], %[e2], %[b0]\n\t"
          "sxtb16 %[t], %[x], ror #8\n\t"
          "smlad %[a0], %[t], %[o], %[a0]\n\t"
          "smlad %[b0], %[t], %[o2], %[b0]\n\t"
          "ldr %[x], %[end]\n\t"
          "cmp %[c], %[x]\n\t"
          "bcc 1b"
          : [c] "+&r"(c), [w] "+&r"(w), [a0] "+&r"(a0), [a1] "+&r"(a1), [b0] "+&r"(b0), [b1] "+&r"(b1),
            [x] "=&r"(x), [t] "=&r"(t), [e] "=&r"(e), [o] "=&r"(o), [e2] "=&r"(e2), [o2] "=&r"(o2)
          : [row] "r"(k), [end] "m"(c_end)
          : "cc", "memory");
    }
#endif
    for (; c < c_end; c += 4, w += 4) {
      const int32_t x0 = simd::read4(w), x1 = simd::read4(w + k);
      const int32_t w0e = simd::sxtb16(x0), w0o = simd::sxtb16_odd(x0);
      const int32_t w1e = simd::sxtb16(x1), w1o = simd::sxtb16_odd(x1);
      int32_t e = simd::read4(c), o = simd::read4(c + 2);
      a0 = simd::smlad(w0e, e, a0);
      a1 = simd::smlad(w1e, e, a1);
      a0 = simd::smlad(w0o, o, a0);
      a1 = simd::smlad(w1o, o, a1);
      if (kTwo) {
        e = simd::read4(c + kChunk);
        o = simd::read4(c + kChunk + 2);
        b0 = simd::smlad(w0e, e, b0);
        b1 = simd::smlad(w1e, e, b1);
        b0 = simd::smlad(w0o, o, b0);
        b1 = simd::smlad(w1o, o, b1);
      }
    }
    j = full;
#endif
    const int8_t* w1 = w0 + k;
    for (; j < len; ++j) {
      const int32_t f0 = w0[j], f1 = w1[j];
      a0 = wrap_add(a0, f0 * col[j]);
      a1 = wrap_add(a1, f1 * col[j]);
      if (kTwo) {
        b0 = wrap_add(b0, f0 * col[kChunk + j]);
        b1 = wrap_add(b1, f1 * col[kChunk + j]);
      }
    }
    acc_a[r] = a0;
    acc_a[r + 1] = a1;
    if (kTwo) {
      acc_b[r] = b0;
      acc_b[r + 1] = b1;
    }
  }
  if (r < oc_count) {
    const int8_t* w0 = filter + static_cast<int64_t>(oc_begin + r) * k + k0;
    int32_t a0 = acc_a[r], b0 = kTwo ? acc_b[r] : 0;
    int32_t j = 0;
#if KILN_NN_SIMD
    for (; j < full; j += 4) {
      const int32_t x0 = simd::read4(w0 + j);
      const int32_t w0e = simd::sxtb16(x0), w0o = simd::sxtb16_odd(x0);
      a0 = simd::smlad(w0e, simd::read4(col + j), a0);
      a0 = simd::smlad(w0o, simd::read4(col + j + 2), a0);
      if (kTwo) {
        b0 = simd::smlad(w0e, simd::read4(col + kChunk + j), b0);
        b0 = simd::smlad(w0o, simd::read4(col + kChunk + j + 2), b0);
      }
    }
#endif
    for (; j < len; ++j) {
      a0 = wrap_add(a0, w0[j] * col[j]);
      if (kTwo) b0 = wrap_add(b0, w0[j] * col[kChunk + j]);
    }
    acc_a[r] = a0;
    if (kTwo) acc_b[r] = b0;
  }
}

inline void requantize_store(const QuantParams& quant, const QuantActivation& act, const int32_t* acc,
                             int32_t oc_begin, int32_t count, int8_t* out) {
  for (int32_t r = 0; r < count; ++r) {
    const int32_t oc = oc_begin + r;
    const int32_t q = quant.count > 1 ? oc : 0;
    out[r] = requantize_s8(acc[r], quant.multiplier[q], quant.shift[q], act.output_offset, act.act_min,
                           act.act_max);
  }
}

#if KILN_NN_SIMD
// The fast requantization of one or two pixels' accumulators: each channel's constants are derived once for
// both pixels. Pixel a's bytes go straight to out_a; pixel b's are staged in acc_b's own memory (byte r lies
// in word r / 4 <= r, already consumed) and copied to out_b afterwards, so the output is still written in
// increasing address order.
template <bool kSat8>
void requantize_store_fast(const OpRequant& rq, const int32_t* acc_a, int32_t* acc_b, int32_t oc_begin,
                           int32_t count, int8_t* out_a, int8_t* out_b) {
  if (acc_b) {
    int8_t* stage = reinterpret_cast<int8_t*>(acc_b);
    for (int32_t r = 0; r < count; ++r) {
      const ChannelRequant c = rq.channel(oc_begin + r);
      const int32_t b = acc_b[r];
      out_a[r] = rq.apply_t<kSat8>(acc_a[r], c);
      stage[r] = rq.apply_t<kSat8>(b, c);
    }
    memcpy(out_b, stage, static_cast<size_t>(count));
  } else {
    for (int32_t r = 0; r < count; ++r) out_a[r] = rq.apply_t<kSat8>(acc_a[r], rq.channel(oc_begin + r));
  }
}
#endif

}  // namespace

void conv2d_s8(const ConvParams& conv, const QuantParams& quant, const QuantActivation& act,
               const Dims& input_dims, const int8_t* input, const Dims& filter_dims, const int8_t* filter,
               const int32_t* bias, const Dims& output_dims, int8_t* output) {
  if (filter_dims.c != input_dims.c) {
    conv2d_s8_reference(conv, quant, act, input_dims, input, filter_dims, filter, bias, output_dims, output);
    return;
  }
  Geometry g;
  g.in_h = input_dims.h;
  g.in_w = input_dims.w;
  g.in_c = input_dims.c;
  g.f_h = filter_dims.h;
  g.f_w = filter_dims.w;
  g.k = filter_dims.h * filter_dims.w * filter_dims.c;
  const int32_t out_h = output_dims.h, out_w = output_dims.w, out_c = output_dims.c;
  const int32_t pixels = output_dims.n * out_h * out_w;
  const int64_t image_size = static_cast<int64_t>(g.in_h) * g.in_w * g.in_c;
  const bool pairs = 2 * out_c <= kAcc;
  const int32_t block = pairs ? out_c : kAcc;
  alignas(4) int16_t col[2 * kChunk];  // column a, then column b
  int32_t acc[kAcc];
#if KILN_NN_SIMD
  const OpRequant rq(quant, act);
#endif
  for (int32_t p = 0; p < pixels;) {
    const bool two = pairs && p + 1 < pixels;
    int32_t b = p / (out_h * out_w), rest = p - b * out_h * out_w;
    const int32_t oy_a = rest / out_w, ox_a = rest - oy_a * out_w;
    int32_t oy_b = oy_a, ox_b = ox_a + 1, b_b = b;
    if (ox_b == out_w) {
      ox_b = 0;
      if (++oy_b == out_h) {
        oy_b = 0;
        ++b_b;
      }
    }
    const int8_t* image_a = input + b * image_size;
    const int8_t* image_b = input + b_b * image_size;
    for (int32_t oc0 = 0; oc0 < out_c; oc0 += block) {
      const int32_t count = out_c - oc0 < block ? out_c - oc0 : block;
      int32_t* acc_a = acc;
      int32_t* acc_b = acc + count;
      for (int32_t r = 0; r < count; ++r) {
        acc_a[r] = bias ? bias[oc0 + r] : 0;
        if (two) acc_b[r] = acc_a[r];
      }
      for (int32_t k0 = 0; k0 < g.k; k0 += kChunk) {
        const int32_t len = g.k - k0 < kChunk ? g.k - k0 : kChunk;
        fill_column(conv, g, image_a, oy_a * conv.stride_h - conv.pad_h, ox_a * conv.stride_w - conv.pad_w,
                    act.input_offset, k0, len, col);
        if (two) {
          fill_column(conv, g, image_b, oy_b * conv.stride_h - conv.pad_h, ox_b * conv.stride_w - conv.pad_w,
                      act.input_offset, k0, len, col + kChunk);
          accumulate<true>(filter, g.k, k0, len, col, oc0, count, acc_a, acc_b);
        } else {
          accumulate<false>(filter, g.k, k0, len, col, oc0, count, acc_a, 0);
        }
      }
      int8_t* out = output + static_cast<int64_t>(p) * out_c + oc0;
#if KILN_NN_SIMD
      if (rq.fast) {
        if (rq.sat8) {
          requantize_store_fast<true>(rq, acc_a, two ? acc_b : 0, oc0, count, out, out + out_c);
        } else {
          requantize_store_fast<false>(rq, acc_a, two ? acc_b : 0, oc0, count, out, out + out_c);
        }
        continue;
      }
#endif
      requantize_store(quant, act, acc_a, oc0, count, out);
      if (two) requantize_store(quant, act, acc_b, oc0, count, out + out_c);
    }
    p += two ? 2 : 1;
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

void eval_conv2d_s8(const void* call, const void* const* in, void* const* out) {
  const Conv2dS8Call& c = *static_cast<const Conv2dS8Call*>(call);
  conv2d_s8(c.conv, c.quant, c.act, c.input, static_cast<const int8_t*>(in[0]), c.filter,
            static_cast<const int8_t*>(in[1]), static_cast<const int32_t*>(in[2]), c.output,
            static_cast<int8_t*>(out[0]));
}

void eval_conv2d_f32(const void* call, const void* const* in, void* const* out) {
  const Conv2dF32Call& c = *static_cast<const Conv2dF32Call*>(call);
  conv2d_f32(c.conv, c.act, c.input, static_cast<const float*>(in[0]), c.filter,
             static_cast<const float*>(in[1]), static_cast<const float*>(in[2]), c.output,
             static_cast<float*>(out[0]));
}

}  // namespace nn
}  // namespace kiln
