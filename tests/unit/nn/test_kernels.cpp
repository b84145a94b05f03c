// Hand-computed cases for each sdk/nn kernel and the quantization arithmetic.
#include <gtest/gtest.h>

#include <cmath>

#include "nn/activation.h"
#include "nn/add.h"
#include "nn/average_pool2d.h"
#include "nn/concatenation.h"
#include "nn/conv2d.h"
#include "nn/depthwise_conv2d.h"
#include "nn/dequantize.h"
#include "nn/fully_connected.h"
#include "nn/logistic.h"
#include "nn/max_pool2d.h"
#include "nn/mean.h"
#include "nn/mul.h"
#include "nn/pad.h"
#include "nn/quant_math.h"
#include "nn/quantize.h"
#include "nn/softmax.h"

using namespace kiln::nn;

namespace {

const int32_t kOne = 1 << 30;  // multiplier 0.5 in Q31; with shift 1 it is exactly 1.0
const QuantActivation kIdentity = {0, 0, -128, 127};

TEST(QuantMath, QuantizeMultiplier) {
  int32_t m;
  int s;
  quantize_multiplier(0.5, &m, &s);
  EXPECT_EQ(m, kOne);
  EXPECT_EQ(s, 0);
  quantize_multiplier(1.0, &m, &s);
  EXPECT_EQ(m, kOne);
  EXPECT_EQ(s, 1);
  quantize_multiplier(0.25, &m, &s);
  EXPECT_EQ(m, kOne);
  EXPECT_EQ(s, -1);
  quantize_multiplier(0.0, &m, &s);
  EXPECT_EQ(m, 0);
  EXPECT_EQ(s, 0);
  quantize_multiplier(1e-12, &m, &s);  // below 2^-31: flushed to zero
  EXPECT_EQ(m, 0);
  // A mantissa that rounds up to 1.0 is renormalized.
  quantize_multiplier(0.99999999999, &m, &s);
  EXPECT_EQ(m, kOne);
  EXPECT_EQ(s, 1);
}

TEST(QuantMath, RoundingIsHalfAwayFromZero) {
  EXPECT_EQ(rounding_divide_by_pot(5, 1), 3);
  EXPECT_EQ(rounding_divide_by_pot(-5, 1), -3);
  EXPECT_EQ(rounding_divide_by_pot(4, 1), 2);
  EXPECT_EQ(rounding_divide_by_pot(-6, 2), -2);                // -1.5 -> -2
  EXPECT_EQ(multiply_by_quantized_multiplier(3, kOne, 0), 2);  // 1.5 -> 2
  // The doubling high multiply nudges negative ties towards zero (gemmlowp), unlike the shift.
  EXPECT_EQ(multiply_by_quantized_multiplier(-3, kOne, 0), -1);   // -1.5 -> -1
  EXPECT_EQ(multiply_by_quantized_multiplier(-6, kOne, -1), -2);  // -3 / 2 = -1.5 -> -2
  EXPECT_EQ(multiply_by_quantized_multiplier(100, kOne, 1), 100);
  EXPECT_EQ(multiply_by_quantized_multiplier(100, kOne, -2), 13);  // 12.5 -> 13
  EXPECT_EQ(saturating_rounding_doubling_high_mul(kInt32Min, kInt32Min), kInt32Max);
}

TEST(QuantMath, ActivationRange) {
  int32_t lo, hi;
  quantized_activation_range(kActRelu6, 0.1f, -10, -128, 127, &lo, &hi);
  EXPECT_EQ(lo, -10);
  EXPECT_EQ(hi, 50);
  quantized_activation_range(kActNone, 0.1f, -10, -128, 127, &lo, &hi);
  EXPECT_EQ(lo, -128);
  EXPECT_EQ(hi, 127);
}

TEST(QuantMath, FixedPointExpAndLogistic) {
  // exp(0) = 1 (saturated Q0.31), exp(-1) in Q5.26 input.
  EXPECT_EQ(fixed_exp_on_negative_values(0, 5), kInt32Max);
  const double e1 = fixed_exp_on_negative_values(-(1 << 26), 5) / 2147483648.0;
  EXPECT_NEAR(e1, std::exp(-1.0), 1e-6);
  EXPECT_EQ(fixed_logistic(0, 4), 1 << 30);
  const double l2 = fixed_logistic(2 << 27, 4) / 2147483648.0;
  EXPECT_NEAR(l2, 1.0 / (1.0 + std::exp(-2.0)), 1e-6);
}

TEST(Conv2D, S8ValidOnesFilter) {
  // 3x3 input 1..9, 2x2 filter of ones, bias 1, scale 1: sums of each 2x2 window plus one.
  const int8_t input[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const int8_t filter[4] = {1, 1, 1, 1};
  const int32_t bias[1] = {1};
  const int32_t mult[1] = {kOne};
  const int8_t shift[1] = {1};
  const QuantParams q = {mult, shift, 1};
  const ConvParams p = {1, 1, 1, 1, 0, 0};
  int8_t out[4];
  conv2d_s8(p, q, kIdentity, Dims{1, 3, 3, 1}, input, Dims{1, 2, 2, 1}, filter, bias, Dims{1, 2, 2, 1}, out);
  EXPECT_EQ(out[0], 13);
  EXPECT_EQ(out[1], 17);
  EXPECT_EQ(out[2], 25);
  EXPECT_EQ(out[3], 29);
}

TEST(Conv2D, S8InputOffsetPaddingAndClamp) {
  // Input zero point 1 (offset -1): padding contributes nothing, not the zero point.
  const int8_t input[4] = {2, 2, 2, 2};  // real value 1 each
  const int8_t filter[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
  const int32_t mult[1] = {kOne};
  const int8_t shift[1] = {1};
  const QuantParams q = {mult, shift, 1};
  const QuantActivation act = {-1, 0, -128, 3};
  const ConvParams p = {1, 1, 1, 1, 1, 1};  // SAME for 3x3
  int8_t out[4];
  conv2d_s8(p, q, act, Dims{1, 2, 2, 1}, input, Dims{1, 3, 3, 1}, filter, nullptr, Dims{1, 2, 2, 1}, out);
  for (int8_t v : out) EXPECT_EQ(v, 3);  // 4 clamped to 3
}

TEST(Conv2D, F32PerChannel) {
  const float input[2] = {1.0f, 2.0f};                // 1x1x1x2
  const float filter[4] = {1.0f, 1.0f, 0.5f, -1.0f};  // 2 output channels, 1x1 kernel
  const float bias[2] = {0.0f, 1.0f};
  float out[2];
  const FloatActivation act = {-100.0f, 100.0f};
  conv2d_f32(ConvParams{1, 1, 1, 1, 0, 0}, act, Dims{1, 1, 1, 2}, input, Dims{2, 1, 1, 2}, filter, bias,
             Dims{1, 1, 1, 2}, out);
  EXPECT_FLOAT_EQ(out[0], 3.0f);
  EXPECT_FLOAT_EQ(out[1], -0.5f);
}

TEST(DepthwiseConv2D, S8DepthMultiplier2PerChannel) {
  const int8_t input[2] = {3, 5};         // 1x1x1x2
  const int8_t filter[4] = {1, 2, 3, 4};  // 1x1x1x4: channel 0 -> outputs 0,1; channel 1 -> 2,3
  const int32_t mult[4] = {kOne, kOne, kOne, kOne};
  const int8_t shift[4] = {1, 1, 0, 0};  // x1, x1, x0.5, x0.5
  const QuantParams q = {mult, shift, 4};
  const DepthwiseParams p = {1, 1, 1, 1, 0, 0, 2};
  int8_t out[4];
  depthwise_conv2d_s8(p, q, kIdentity, Dims{1, 1, 1, 2}, input, Dims{1, 1, 1, 4}, filter, nullptr,
                      Dims{1, 1, 1, 4}, out);
  EXPECT_EQ(out[0], 3);
  EXPECT_EQ(out[1], 6);
  EXPECT_EQ(out[2], 8);   // 15 * 0.5 = 7.5 -> 8
  EXPECT_EQ(out[3], 10);  // 20 * 0.5
}

TEST(FullyConnected, S8WithOffsets) {
  const int8_t input[3] = {1, 2, 3};
  const int8_t filter[6] = {1, 0, -1, 2, 2, 2};
  const int32_t bias[2] = {10, -1};
  const int32_t mult[1] = {kOne};
  const int8_t shift[1] = {1};
  const QuantParams q = {mult, shift, 1};
  const QuantActivation act = {-1, 5, -128, 127};  // input zp 1, output zp 5
  int8_t out[2];
  fully_connected_s8(FullyConnectedDims{1, 3, 2}, q, act, 0, input, filter, bias, out);
  EXPECT_EQ(out[0], 10 + (0 - 2) + 5);  // (0,1,2) . (1,0,-1) = -2
  EXPECT_EQ(out[1], -1 + 6 + 5);        // (0,1,2) . (2,2,2) = 6
}

TEST(Pooling, AverageRoundsHalfAwayFromZeroAndSkipsPadding) {
  const int8_t input[4] = {1, 2, -1, -2};  // 1x2x2x1
  int8_t out[2];
  // 1x2 windows across each row.
  average_pool2d_s8(PoolParams{1, 2, 1, 2, 0, 0}, -128, 127, Dims{1, 2, 2, 1}, input, Dims{1, 2, 1, 1}, out);
  EXPECT_EQ(out[0], 2);   // 1.5
  EXPECT_EQ(out[1], -2);  // -1.5
  // 3x3 window, SAME padding 1, on a 2x2 input: padding is not counted.
  const int8_t in2[4] = {4, 4, 4, 5};
  int8_t out2[4];
  average_pool2d_s8(PoolParams{1, 1, 3, 3, 1, 1}, -128, 127, Dims{1, 2, 2, 1}, in2, Dims{1, 2, 2, 1}, out2);
  for (int8_t v : out2) EXPECT_EQ(v, 4);  // 17/4 = 4.25
  max_pool2d_s8(PoolParams{1, 1, 3, 3, 1, 1}, -128, 127, Dims{1, 2, 2, 1}, in2, Dims{1, 2, 2, 1}, out2);
  for (int8_t v : out2) EXPECT_EQ(v, 5);
}

TEST(Add, S8SameScales) {
  AddParams p;
  add_s8_params(0.5f, 0, 0.5f, 0, 1.0f, 0, kActNone, &p);
  const int8_t a[3] = {2, -4, 100}, b[3] = {4, -2, 100};
  int8_t out[3];
  add_s8(p, 3, a, b, out);
  EXPECT_EQ(out[0], 3);
  EXPECT_EQ(out[1], -3);
  EXPECT_EQ(out[2], 100);
  add_s8_params(0.5f, 0, 0.5f, 0, 1.0f, 0, kActRelu, &p);
  add_s8(p, 3, a, b, out);
  EXPECT_EQ(out[1], 0);
}

TEST(Add, F32Broadcast) {
  const int32_t da[2] = {2, 2}, db[1] = {2};
  BroadcastShape s;
  ASSERT_TRUE(make_broadcast_shape(2, da, 1, db, &s));
  const float a[4] = {1, 2, 3, 4}, b[2] = {10, 20};
  float out[4];
  add_f32_broadcast(FloatActivation{-1e9f, 1e9f}, s, a, b, out);
  EXPECT_FLOAT_EQ(out[0], 11);
  EXPECT_FLOAT_EQ(out[3], 24);
  const int32_t bad[1] = {3};
  EXPECT_FALSE(make_broadcast_shape(2, da, 1, bad, &s));
}

TEST(Mul, S8) {
  MulParams p;
  mul_s8_params(0.5f, 1, 0.5f, 0, 0.25f, -2, kActNone, &p);
  const int8_t a[2] = {3, -1}, b[2] = {4, 4};
  int8_t out[2];
  mul_s8(p, 2, a, b, out);
  EXPECT_EQ(out[0], 8 - 2);   // (2*0.5)*(4*0.5) = 2.0 -> 8 at scale 0.25
  EXPECT_EQ(out[1], -8 - 2);  // (-2*0.5)*(2) = -2.0 -> -8
}

TEST(Softmax, S8UniformRow) {
  SoftmaxParams p;
  softmax_s8_params(1.0f, 0.1f, &p);
  const int8_t in[4] = {7, 7, 7, 7};
  int8_t out[4];
  softmax_s8(p, 1, 4, in, out);
  for (int8_t v : out) EXPECT_EQ(v, -64);  // 0.25 * 256 - 128
  const int8_t peaked[2] = {127, -128};
  softmax_s8(p, 1, 2, peaked, out);
  EXPECT_EQ(out[0], 127);
  EXPECT_EQ(out[1], -128);
}

TEST(Softmax, F32) {
  const float in[2] = {0.0f, std::log(3.0f)};
  float out[2];
  softmax_f32(1.0f, 1, 2, in, out);
  EXPECT_NEAR(out[0], 0.25f, 1e-6f);
  EXPECT_NEAR(out[1], 0.75f, 1e-6f);
}

TEST(Logistic, S8) {
  LogisticParams p;
  logistic_s8_params(0.1f, 0, &p);
  const int8_t in[3] = {0, 127, -128};
  int8_t out[3];
  logistic_s8(p, 3, in, out);
  EXPECT_EQ(out[0], 0);     // 0.5 -> 128 - 128
  EXPECT_EQ(out[1], 127);   // sigmoid(12.7) ~ 1
  EXPECT_EQ(out[2], -128);  // sigmoid(-12.8) ~ 0
  float f[2] = {0.0f, 100.0f};
  logistic_f32(2, f, f);
  EXPECT_FLOAT_EQ(f[0], 0.5f);
  EXPECT_FLOAT_EQ(f[1], 1.0f);
}

TEST(QuantizeDequantize, RoundTrip) {
  const float in[4] = {0.0f, 0.25f, -0.25f, 1000.0f};
  int8_t q[4];
  quantize_f32_s8(0.5f, 3, 4, in, q);
  EXPECT_EQ(q[0], 3);
  EXPECT_EQ(q[1], 4);  // 0.5 rounds away from zero
  EXPECT_EQ(q[2], 2);
  EXPECT_EQ(q[3], 127);
  float back[4];
  dequantize_s8_f32(0.5f, 3, 4, q, back);
  EXPECT_FLOAT_EQ(back[1], 0.5f);
  RequantizeParams r;
  requantize_params(0.5f, 0, 0.25f, 1, &r);
  int8_t rq[2];
  const int8_t src[2] = {10, -70};
  requantize_s8_s8(r, 2, src, rq);
  EXPECT_EQ(rq[0], 21);
  EXPECT_EQ(rq[1], -128);
}

TEST(Activation, S8Relu6) {
  ActivationParams p;
  activation_s8_params(kActRelu6, 0.1f, 0, 0.1f, 0, &p);
  const int8_t in[3] = {-5, 30, 100};
  int8_t out[3];
  activation_s8(p, 3, in, out);
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(out[1], 30);
  EXPECT_EQ(out[2], 60);
}

TEST(Mean, S8AndF32OverSpatialAxes) {
  MeanParams p = {};
  p.input_dims[0] = 1;
  p.input_dims[1] = 2;
  p.input_dims[2] = 2;
  p.input_dims[3] = 2;
  p.reduce[1] = p.reduce[2] = true;
  mean_s8_params(0.5f, 0, 0.5f, 0, &p);
  const int8_t in[8] = {1, 10, 2, 20, 3, 30, 4, 41};
  int8_t out[2];
  mean_s8(p, in, out);
  EXPECT_EQ(out[0], 3);   // 2.5 -> 3
  EXPECT_EQ(out[1], 25);  // 25.25
  const float fin[8] = {1, 10, 2, 20, 3, 30, 4, 41};
  float fout[2];
  mean_f32(p, fin, fout);
  EXPECT_FLOAT_EQ(fout[0], 2.5f);
  EXPECT_FLOAT_EQ(fout[1], 25.25f);
}

TEST(Pad, S8) {
  PadParams p = {{1, 1, 2, 1}, {0, 1, 1, 0}, {0, 0, 0, 0}};
  const int8_t in[2] = {7, 8};
  int8_t out[6];
  const int8_t value = -3;
  pad(p, 1, &value, in, out);
  const int8_t want[6] = {-3, -3, -3, -3, 7, 8};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(out[i], want[i]);
}

TEST(Concatenation, InnerAxis) {
  const int8_t a[4] = {1, 2, 3, 4};  // [2,2]
  const int8_t b[2] = {9, 8};        // [2,1]
  const void* inputs[2] = {a, b};
  const int32_t sizes[2] = {2, 1};
  int8_t out[6];
  concatenation(2, inputs, sizes, 2, 1, 1, out);
  const int8_t want[6] = {1, 2, 9, 3, 4, 8};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(out[i], want[i]);
}

}  // namespace
