// The .tflite exporter and int8 quantizer: files sdk/nn reads back exactly as written, every layer type in
// float32 (equal to libtorch's predict) and int8 (close to float), per-channel and per-tensor weights, and
// clear errors for bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <set>

#include "core/error.h"
#include "core/generation.h"
#include "core/project_state.h"
#include "kiln/nn.h"
#include "nn/tflite_reader.h"
#include "quantize/classifier_graph.h"
#include "tflite/nn_runner.h"
#include "quantize/quantizer.h"
#include "support/kiln_cli.h"
#include "train/layer_geometry.h"
#include "unit/train/train_test_data.h"

namespace kiln {
namespace {

using test::labels_for;
using test::make_layer;
using test::synthetic_features;

// A model with the resolved stack of `layers` and seeded random weights (no training): batch-norm statistics
// away from their initial values so folding is exercised.
ClassifierModel random_model(const std::vector<LayerSpec>& layers, std::vector<int> input_shape, int classes,
                             unsigned seed) {
  ClassifierModel m;
  m.labels = labels_for(classes);
  m.input_shape = input_shape;
  m.layers = resolve_layers(layers, input_shape, classes);
  const auto shapes = check_layers(m.layers, input_shape, classes);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-0.5f, 0.5f), var(0.5f, 2.0f);
  for (std::size_t i = 0; i < m.layers.size(); ++i) {
    const std::vector<int>& in = i == 0 ? input_shape : shapes[i - 1];
    for (const ParamSpec& p : layer_params(m.layers[i], in)) {
      std::size_t n = 1;
      for (int d : p.shape) n *= static_cast<std::size_t>(d);
      std::vector<float> v(n);
      for (float& x : v) x = p.param == "moving_variance" || p.param == "gamma" ? var(rng) : u(rng);
      m.weights.push_back({weight_name(i, p.param), p.shape, v});
    }
  }
  return m;
}

std::size_t argmax(const float* v, std::size_t n) {
  return static_cast<std::size_t>(std::max_element(v, v + n) - v);
}

struct Comparison {
  double max_float_diff = 0;  // sdk/nn float32 vs libtorch predict()
  double max_int8_diff = 0;   // int8 scores vs libtorch
  double top_agreement = 0;   // share of windows where int8 and float pick the same label
};

Comparison compare(const ClassifierModel& model, const FeatureSet& fs, bool per_channel = true) {
  QuantizeOptions o;
  o.per_channel = per_channel;
  TfliteModels t = export_tflite(model, fs, o);
  const std::vector<float> ref = predict(model, fs.x.data(), fs.count());
  NnRunner f32(t.float32, "f32"), i8(t.int8, "int8");
  const std::vector<float> a = f32.predict(fs.x.data(), fs.count()), b = i8.predict(fs.x.data(), fs.count());
  EXPECT_EQ(a.size(), ref.size());
  EXPECT_EQ(b.size(), ref.size());
  Comparison c;
  const std::size_t k = model.labels.size();
  std::size_t agree = 0;
  for (std::size_t i = 0; i < ref.size(); ++i) {
    c.max_float_diff = std::max(c.max_float_diff, std::fabs(double(a[i]) - ref[i]));
    c.max_int8_diff = std::max(c.max_int8_diff, std::fabs(double(b[i]) - ref[i]));
  }
  for (std::size_t w = 0; w < fs.count(); ++w) agree += argmax(&a[w * k], k) == argmax(&b[w * k], k);
  c.top_agreement = double(agree) / double(fs.count());
  return c;
}

TEST(Quantize, DefaultNetworkFloatMatchesLibtorchAndInt8IsClose) {
  FeatureSet fs = synthetic_features(200, 3, 11);
  ClassifierModel m = random_model(default_audio_network(), fs.shape, 3, 1);
  Comparison c = compare(m, fs);
  EXPECT_LT(c.max_float_diff, 1e-4);
  EXPECT_LT(c.max_int8_diff, 0.05);
  EXPECT_GT(c.top_agreement, 0.95);
}

TEST(Quantize, EveryLayerTypeQuantizesAndRuns) {
  LayerSpec reshape = make_layer("reshape");
  reshape.shape = {16, 6, 1};
  LayerSpec conv2d = make_layer("conv2d");
  conv2d.filters = 6;  // no activation: the batch norm after it folds
  LayerSpec depthwise = make_layer("depthwise_conv2d");
  depthwise.depth_multiplier = 2;
  depthwise.activation = "relu6";
  LayerSpec avg2d = make_layer("avg_pool2d");
  avg2d.strides = 0;
  LayerSpec max2d = make_layer("max_pool2d");
  max2d.strides = 0;
  max2d.padding = "valid";
  LayerSpec back_to_1d = make_layer("reshape");
  back_to_1d.shape = {4, -1};
  LayerSpec conv1d = make_layer("conv1d");
  conv1d.filters = 8;
  conv1d.activation = "relu";  // the batch norm after it is MUL + ADD
  conv1d.strides = 2;
  LayerSpec avg1d = make_layer("avg_pool1d");
  avg1d.strides = 0;
  avg1d.pool_size = 3;
  LayerSpec max1d = make_layer("max_pool1d");
  max1d.pool_size = 2;
  max1d.strides = 1;
  LayerSpec dense_last_axis = make_layer("dense");  // on [time, channels]: keep_num_dims
  dense_last_axis.units = 5;
  dense_last_axis.activation = "relu";
  LayerSpec hidden = make_layer("dense");
  hidden.units = 16;
  LayerSpec conv_softmax = make_layer("conv1d");
  conv_softmax.filters = 4;
  conv_softmax.kernel_size = 1;
  conv_softmax.activation = "softmax";
  std::vector<LayerSpec> layers = {reshape,
                                   conv2d,
                                   make_layer("batch_norm"),
                                   depthwise,
                                   avg2d,
                                   max2d,
                                   back_to_1d,
                                   conv1d,
                                   make_layer("batch_norm"),
                                   max1d,
                                   conv_softmax,
                                   avg1d,
                                   dense_last_axis,
                                   make_layer("flatten"),
                                   hidden,
                                   make_layer("batch_norm"),
                                   make_layer("dropout")};
  FeatureSet fs = synthetic_features(120, 3, 5);
  ClassifierModel m = random_model(layers, fs.shape, 3, 2);
  // Every operator kind appears in the float graph.
  const tflite::Model g = classifier_graph(m);
  std::set<int> codes;
  for (const auto& op : g.operators) codes.insert(op.code);
  for (int code :
       {tflite::kOpConv2D, tflite::kOpDepthwiseConv2D, tflite::kOpAveragePool2D, tflite::kOpMaxPool2D,
        tflite::kOpFullyConnected, tflite::kOpReshape, tflite::kOpSoftmax, tflite::kOpMul, tflite::kOpAdd})
    EXPECT_TRUE(codes.count(code)) << "operator " << code;
  Comparison c = compare(m, fs);
  EXPECT_LT(c.max_float_diff, 1e-4);
  EXPECT_LT(c.max_int8_diff, 0.1);
  EXPECT_GT(c.top_agreement, 0.85);
}

TEST(Quantize, PerTensorAndPerChannelWeights) {
  FeatureSet fs = synthetic_features(100, 3, 12);
  ClassifierModel m = random_model(default_audio_network(), fs.shape, 3, 3);
  for (bool per_channel : {true, false}) {
    QuantizeOptions o;
    o.per_channel = per_channel;
    TfliteModels t = export_tflite(m, fs, o);
    nn::Model model;
    ASSERT_EQ(nn::model_load(&model, t.int8.data(), t.int8.size()), nn::kOk);
    int filters = 0;
    for (int op = 0; op < nn::model_operator_count(model); ++op) {
      nn::OperatorView v;
      ASSERT_EQ(nn::read_operator(model, op, &v), nn::kOk);
      if (v.code != tflite::kOpConv2D && v.code != tflite::kOpFullyConnected) continue;
      nn::TensorView w;
      ASSERT_EQ(nn::read_tensor(model, nn::operator_input(model, v, 1), &w), nn::kOk);
      EXPECT_EQ(w.type, nn::kTypeInt8);
      EXPECT_EQ(w.quant_count, per_channel ? static_cast<uint32_t>(w.dims[0]) : 1u);
      for (uint32_t ch = 0; ch < w.quant_count; ++ch)
        EXPECT_EQ(nn::tensor_channel_zero_point(model, w, ch), 0);
      ++filters;
    }
    EXPECT_EQ(filters, 3);  // two conv1d, one dense
    Comparison c = compare(m, fs, per_channel);
    EXPECT_LT(c.max_int8_diff, 0.08);
    EXPECT_GT(c.top_agreement, 0.9);
  }
}

// Write -> read: sdk/nn sees every tensor exactly as the in-memory quantized model holds it, and the file on
// disk runs to the same outputs as the bytes it was written from.
TEST(Quantize, RoundTripThroughTheFileAndTheReader) {
  FeatureSet fs = synthetic_features(100, 2, 13);
  ClassifierModel m = random_model(default_audio_network(), fs.shape, 2, 4);
  const tflite::Model g = classifier_graph(m);
  const std::vector<uint8_t> f32 = tflite::serialize(g);
  const tflite::Model q = quantize_graph(g, calibrate(f32, fs.x.data(), fs.count(), 1000), true);
  const std::vector<uint8_t> bytes = tflite::serialize(q);
  ASSERT_EQ(std::string(bytes.begin() + 4, bytes.begin() + 8), "TFL3");
  nn::Model model;
  ASSERT_EQ(nn::model_load(&model, bytes.data(), bytes.size()), nn::kOk);
  ASSERT_EQ(nn::model_tensor_count(model), static_cast<int>(q.tensors.size()));
  ASSERT_EQ(nn::model_operator_count(model), static_cast<int>(q.operators.size()));
  for (int i = 0; i < nn::model_tensor_count(model); ++i) {
    const tflite::Tensor& t = q.tensors[static_cast<size_t>(i)];
    nn::TensorView v;
    ASSERT_EQ(nn::read_tensor(model, i, &v), nn::kOk);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(model.data + v.name), v.name_length), t.name);
    EXPECT_EQ(static_cast<int>(v.type), static_cast<int>(t.type)) << t.name;
    ASSERT_EQ(v.rank, static_cast<int>(t.shape.size())) << t.name;
    for (int d = 0; d < v.rank; ++d) EXPECT_EQ(v.dims[d], t.shape[static_cast<size_t>(d)]) << t.name;
    if (t.data.empty()) {
      EXPECT_EQ(v.data, nullptr) << t.name;
    } else {
      ASSERT_NE(v.data, nullptr) << t.name;
      EXPECT_EQ(std::memcmp(v.data, t.data.data(), t.data.size()), 0) << t.name;
    }
    if (t.quantization) {
      ASSERT_EQ(v.quant_count, t.quantization->scale.size()) << t.name;
      for (uint32_t ch = 0; ch < v.quant_count; ++ch) {
        EXPECT_EQ(nn::tensor_channel_scale(model, v, ch), t.quantization->scale[ch]) << t.name;
        EXPECT_EQ(nn::tensor_channel_zero_point(model, v, ch), t.quantization->zero_point[ch]) << t.name;
      }
      EXPECT_EQ(v.quantized_dimension, t.quantization->quantized_dimension) << t.name;
    } else {
      EXPECT_EQ(v.quant_count, 0u) << t.name;
    }
  }
  for (int op = 0; op < nn::model_operator_count(model); ++op)
    EXPECT_EQ(nn::model_operator_code(model, op), q.operators[static_cast<size_t>(op)].code);
  // Buffer 0 is the empty sentinel: no tensor uses it for data, activations point at it.

  test::TempDir dir;
  TfliteModels t;
  t.float32 = f32;
  t.int8 = bytes;
  {
    const WriteLock lock(dir.path(), "test");
    Generation gen(dir.path());
    write_tflite(gen, dir.path(), t);
    gen.publish();
  }
  const std::string on_disk = test::read_bytes(int8_tflite_path(dir.path()));
  ASSERT_EQ(on_disk.size(), bytes.size());
  NnRunner from_memory(bytes, "memory"),
      from_file(std::vector<uint8_t>(on_disk.begin(), on_disk.end()), "file");
  EXPECT_EQ(from_memory.predict(fs.x.data(), fs.count()), from_file.predict(fs.x.data(), fs.count()));
  EXPECT_EQ(from_memory.input_info().type, nn::kTypeInt8);
  EXPECT_EQ(from_memory.output_info().type, nn::kTypeInt8);
  EXPECT_FLOAT_EQ(from_memory.output_info().scale, 1.0f / 256.0f);
  EXPECT_EQ(from_memory.output_info().zero_point, -128);
}

// A trained model on a small learnable problem: int8 accuracy within a point of float.
TEST(Quantize, TrainedModelKeepsItsAccuracyInInt8) {
  FeatureSet train = synthetic_features(300, 3, 21), held_out = synthetic_features(300, 3, 22);
  TrainSettings s;
  s.epochs = 25;
  s.seed = 3;
  ClassifierModel m = train_classifier(train, labels_for(3), default_audio_network(), s, nullptr);
  TfliteModels t = export_tflite(m, train);
  NnRunner f32(t.float32, "f32"), i8(t.int8, "int8");
  auto accuracy = [&](NnRunner& r) {
    const std::vector<float> scores = r.predict(held_out.x.data(), held_out.count());
    std::size_t correct = 0;
    for (std::size_t w = 0; w < held_out.count(); ++w)
      correct += argmax(&scores[w * 3], 3) == static_cast<std::size_t>(held_out.y[w]);
    return double(correct) / double(held_out.count());
  };
  const double af = accuracy(f32), ai = accuracy(i8);
  EXPECT_GT(af, 0.9);
  EXPECT_NEAR(ai, af, 0.01);
}

TEST(Quantize, CalibrationSubsetIsEvenlySpacedAndDeterministic) {
  FeatureSet fs = synthetic_features(50, 2, 14);
  ClassifierModel m = random_model(default_audio_network(), fs.shape, 2, 5);
  QuantizeOptions o;
  o.max_calibration_windows = 10;
  TfliteModels a = export_tflite(m, fs, o), b = export_tflite(m, fs, o);
  EXPECT_EQ(a.calibration_windows, 10u);
  EXPECT_EQ(a.int8, b.int8);
  EXPECT_EQ(a.float32, b.float32);
}

TEST(Quantize, BadInputGivesOneClearError) {
  ClassifierModel m = random_model(default_audio_network(), {16, 6}, 2, 6);
  FeatureSet empty;
  empty.shape = {16, 6};
  try {
    export_tflite(m, empty);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no training features"), std::string::npos) << e.what();
  }
  FeatureSet other = synthetic_features(10, 2, 1, 8, 6);
  EXPECT_THROW(export_tflite(m, other), Error);
  EXPECT_THROW(NnRunner(std::vector<uint8_t>(64, 0), "junk.tflite"), Error);

  // The command: no project / no model is one line naming the file.
  test::TempDir dir;
  test::KilnRun r = test::run_kiln({"-q", "init", (dir / "p").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = test::run_kiln({"-C", (dir / "p").string(), "quantize"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("model.kmodel"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

}  // namespace
}  // namespace kiln
