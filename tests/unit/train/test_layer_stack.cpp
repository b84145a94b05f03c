// Shape inference and the resolved layer stack (train/classifier.h): the default audio network, Keras padding
// arithmetic, the output layer, and errors that name the offending layer.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.h"
#include "support/error_of.h"
#include "train/classifier.h"
#include "train/layer_geometry.h"

namespace kiln {
namespace {

using Shapes = std::vector<std::vector<int>>;

LayerSpec layer(const std::string& type) {
  LayerSpec l;
  l.type = type;
  return l;
}

LayerSpec dense(int units, const std::string& activation = "relu") {
  LayerSpec l = layer("dense");
  l.units = units;
  l.activation = activation;
  return l;
}

LayerSpec pool(const std::string& type, int size, const std::string& padding) {
  LayerSpec l = layer(type);
  l.pool_size = size;
  l.strides = 0;
  l.padding = padding;
  return l;
}

using test::error_of;

TEST(LayerStack, DefaultAudioNetworkShapes) {
  Shapes shapes = check_layers(default_audio_network(), {199, 40}, 2);
  Shapes expected = {{199, 8}, {100, 8}, {100, 8}, {100, 16}, {50, 16}, {50, 16}, {800}, {2}};
  EXPECT_EQ(shapes, expected);
}

TEST(LayerStack, DefaultAudioNetworkOddLength) {
  Shapes shapes = check_layers(default_audio_network(), {99, 40}, 3);
  Shapes expected = {{99, 8}, {50, 8}, {50, 8}, {50, 16}, {25, 16}, {25, 16}, {400}, {3}};
  EXPECT_EQ(shapes, expected);
}

TEST(LayerStack, DefaultAudioNetworkIsTheKerasModel) {
  std::vector<LayerSpec> l = resolve_layers(default_audio_network(), {199, 40}, 2);
  ASSERT_EQ(l.size(), 8u);
  EXPECT_EQ(l[0].type, "conv1d");
  EXPECT_EQ(l[0].filters, 8);
  EXPECT_EQ(l[0].kernel_size, 3);
  EXPECT_EQ(l[0].padding, "same");
  EXPECT_EQ(l[0].activation, "relu");
  EXPECT_EQ(l[1].type, "max_pool1d");
  EXPECT_EQ(l[1].pool_size, 2);
  EXPECT_EQ(pool_stride(l[1]), 2);
  EXPECT_EQ(l[1].padding, "same");
  EXPECT_EQ(l[2].type, "dropout");
  EXPECT_DOUBLE_EQ(l[2].rate, 0.25);
  EXPECT_EQ(l[3].filters, 16);
  EXPECT_EQ(l[6].type, "flatten");
  EXPECT_EQ(l[7].type, "dense");
  EXPECT_EQ(l[7].units, 2);
  EXPECT_EQ(l[7].activation, "softmax");
}

TEST(LayerStack, KerasPaddingArithmetic) {
  // "same", pool 2 stride 2 on an odd length: one pad element at the end.
  AxisWindow w = axis_window(5, 2, 2, true);
  EXPECT_EQ(w.out, 3);
  EXPECT_EQ(w.pad_before, 0);
  EXPECT_EQ(w.pad_after, 1);
  // "same", kernel 3 stride 1: one zero each side.
  w = axis_window(7, 3, 1, true);
  EXPECT_EQ(w.out, 7);
  EXPECT_EQ(w.pad_before, 1);
  EXPECT_EQ(w.pad_after, 1);
  // "same", kernel 3 stride 2 on an even length: total 1, after only (TFLite puts the odd one at the end).
  w = axis_window(10, 3, 2, true);
  EXPECT_EQ(w.out, 5);
  EXPECT_EQ(w.pad_before, 0);
  EXPECT_EQ(w.pad_after, 1);
  // "valid".
  w = axis_window(10, 3, 2, false);
  EXPECT_EQ(w.out, 4);
  EXPECT_EQ(w.pad_before + w.pad_after, 0);
}

TEST(LayerStack, TwoDimensionalShapes) {
  LayerSpec reshape = layer("reshape");
  reshape.shape = {-1, 6, 1};
  LayerSpec conv = layer("conv2d");
  conv.filters = 4;
  conv.kernel_size = 3;
  conv.padding = "valid";
  LayerSpec depthwise = layer("depthwise_conv2d");
  depthwise.depth_multiplier = 2;
  depthwise.strides = 2;
  Shapes shapes = check_layers({reshape, conv, layer("batch_norm"), depthwise, pool("avg_pool2d", 2, "same")},
                               {16, 6}, 4);
  Shapes expected = {{16, 6, 1}, {14, 4, 4}, {14, 4, 4}, {7, 2, 8}, {4, 1, 8}, {32}, {4}};
  EXPECT_EQ(shapes, expected);
}

TEST(LayerStack, OutputLayerIsAppendedWhenMissing) {
  // Ends in a hidden dense: only the output layer is appended.
  std::vector<LayerSpec> l = resolve_layers({layer("flatten"), dense(10)}, {4, 5}, 3);
  ASSERT_EQ(l.size(), 3u);
  EXPECT_EQ(l[2].units, 3);
  EXPECT_EQ(l[2].activation, "softmax");
  // Ends with a 2-D output: a flatten comes first.
  l = resolve_layers({dense(10)}, {4, 5}, 3);
  ASSERT_EQ(l.size(), 3u);
  EXPECT_EQ(l[1].type, "flatten");
  EXPECT_EQ(check_layers({dense(10)}, {4, 5}, 3), (Shapes{{4, 10}, {40}, {3}}));
  // Already has its output layer: unchanged.
  l = resolve_layers({layer("flatten"), dense(3, "softmax")}, {4, 5}, 3);
  EXPECT_EQ(l.size(), 2u);
  // An empty stack is a linear classifier.
  EXPECT_EQ(check_layers({}, {7}, 2), (Shapes{{2}}));
}

TEST(LayerStack, OutputLayerWithTheWrongSizeIsRejected) {
  std::string e = error_of([] { resolve_layers({layer("flatten"), dense(4, "softmax")}, {4, 5}, 3); });
  EXPECT_NE(e.find("layer 2 (dense)"), std::string::npos) << e;
  EXPECT_NE(e.find("expected [3], got [4]"), std::string::npos) << e;
  e = error_of([] { resolve_layers({dense(3, "softmax")}, {4, 5}, 3); });
  EXPECT_NE(e.find("layer 1 (dense)"), std::string::npos) << e;
  EXPECT_NE(e.find("add a flatten"), std::string::npos) << e;
}

TEST(LayerStack, Conv2dOnTwoDimensionalInput) {
  LayerSpec conv = layer("conv2d");
  conv.filters = 8;
  std::string e = error_of([&] { check_layers({layer("dropout"), layer("batch_norm"), conv}, {99, 40}, 2); });
  EXPECT_EQ(e, "layer 3 (conv2d): expects a 3-D input [h, w, c], got [99, 40]");
}

TEST(LayerStack, Conv1dOnThreeDimensionalInput) {
  LayerSpec conv = layer("conv1d");
  conv.filters = 8;
  std::string e = error_of([&] { check_layers({conv}, {9, 9, 1}, 2); });
  EXPECT_EQ(e, "layer 1 (conv1d): expects a 2-D input [time, channels], got [9, 9, 1]");
}

TEST(LayerStack, ReshapeToTheWrongSize) {
  LayerSpec reshape = layer("reshape");
  reshape.shape = {100, 40};
  std::string e = error_of([&] { check_layers({layer("dropout"), reshape}, {99, 40}, 2); });
  EXPECT_EQ(e, "layer 2 (reshape): cannot reshape [99, 40] (3960 values) to [100, 40] (4000 values)");
  reshape.shape = {-1, 7};
  e = error_of([&] { check_layers({reshape}, {99, 40}, 2); });
  EXPECT_NE(e.find("layer 1 (reshape): cannot reshape [99, 40] (3960 values) to [-1, 7]"), std::string::npos)
      << e;
  reshape.shape = {-1, -1};
  e = error_of([&] { check_layers({reshape}, {99, 40}, 2); });
  EXPECT_NE(e.find("more than one -1"), std::string::npos) << e;
  reshape.shape = {};
  e = error_of([&] { check_layers({reshape}, {99, 40}, 2); });
  EXPECT_NE(e.find("layer 1 (reshape)"), std::string::npos) << e;
  reshape.shape = {-1, 40, 1};
  EXPECT_EQ(check_layers({reshape}, {99, 40}, 2)[0], (std::vector<int>{99, 40, 1}));
}

TEST(LayerStack, DenseWithoutUnits) {
  std::string e = error_of([] { check_layers({layer("flatten"), dense(0)}, {99, 40}, 2); });
  EXPECT_EQ(e, "layer 2 (dense): needs units >= 1, got 0");
}

TEST(LayerStack, PoolLargerThanInputWithValidPadding) {
  std::string e = error_of([] { check_layers({pool("max_pool1d", 5, "valid")}, {3, 4}, 2); });
  EXPECT_EQ(e, "layer 1 (max_pool1d): pool_size 5 is larger than the input length 3 (padding valid)");
  // With "same" padding the same pool is fine: one output step.
  EXPECT_EQ(check_layers({pool("max_pool1d", 5, "same")}, {3, 4}, 2)[0], (std::vector<int>{1, 4}));
  e = error_of([] { check_layers({pool("avg_pool2d", 4, "valid")}, {8, 3, 2}, 2); });
  EXPECT_EQ(e, "layer 1 (avg_pool2d): pool_size 4 is larger than the input width 3 (padding valid)");
}

TEST(LayerStack, BadParameters) {
  LayerSpec conv = layer("conv1d");
  conv.filters = 4;
  conv.padding = "full";
  EXPECT_NE(error_of([&] {
              check_layers({conv}, {9, 2}, 2);
            }).find("layer 1 (conv1d): padding must be"),
            std::string::npos);
  conv.padding = "same";
  conv.activation = "gelu";
  EXPECT_NE(error_of([&] {
              check_layers({conv}, {9, 2}, 2);
            }).find("unknown activation 'gelu'"),
            std::string::npos);
  LayerSpec drop = layer("dropout");
  drop.rate = 1.0;
  EXPECT_NE(error_of([&] {
              check_layers({drop}, {9, 2}, 2);
            }).find("layer 1 (dropout): rate"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              check_layers({layer("lstm")}, {9, 2}, 2);
            }).find("layer 1 (lstm): unknown layer type"),
            std::string::npos);
}

TEST(LayerStack, FewerThanTwoClasses) {
  EXPECT_NE(error_of([] {
              check_layers(default_audio_network(), {99, 40}, 1);
            }).find("at least 2 labels"),
            std::string::npos);
  EXPECT_NE(error_of([] { check_layers(default_audio_network(), {}, 2); }).find("feature shape"),
            std::string::npos);
}

TEST(LayerStack, ParameterLayoutsAreTfLites) {
  LayerSpec conv = layer("conv1d");
  conv.filters = 8;
  conv.kernel_size = 3;
  std::vector<ParamSpec> p = layer_params(conv, {99, 40});
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].param, "kernel");
  EXPECT_EQ(p[0].shape, (std::vector<int>{8, 1, 3, 40}));
  EXPECT_EQ(p[0].fan_in, 120);
  EXPECT_EQ(p[0].fan_out, 24);
  EXPECT_EQ(p[1].shape, (std::vector<int>{8}));
  p = layer_params(dense(2), {800});
  EXPECT_EQ(p[0].shape, (std::vector<int>{2, 800}));
  LayerSpec dw = layer("depthwise_conv2d");
  dw.depth_multiplier = 2;
  EXPECT_EQ(layer_params(dw, {8, 8, 3})[0].shape, (std::vector<int>{1, 3, 3, 6}));
  p = layer_params(layer("batch_norm"), {10, 5});
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[3].param, "moving_variance");
  EXPECT_FALSE(p[3].trainable);
  EXPECT_EQ(weight_name(0, "kernel"), "layer1.kernel");
}

}  // namespace
}  // namespace kiln
