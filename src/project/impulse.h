// The impulse: what kiln.toml describes. Plain data, no parsing here (see project/impulse_toml.h).
// Every field has the default a new project gets from `kiln init`.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kiln {

// [input]: how raw samples become windows.
//
// An image input (type "image") is width x height pixels, one image one window: frequency, axes and the
// window keys do not apply (axes is 1: a pixel is one packed 0xRRGGBB value, sdk/dsp/image.h; frequency 0,
// so a stored image has no duration). Images of another size are resized with resize_mode on `kiln add` and
// `kiln classify`.
struct InputSettings {
  std::string type = "audio";          // "audio", "timeseries" or "image"
  double frequency = 16000.0;          // Hz; every sample is resampled to this on ingest
  int axes = 1;                        // 1 for audio
  int window_size_ms = 2000;           // one classification window
  int window_increase_ms = 500;        // stride between windows of one sample
  bool zero_pad = true;                // pad samples shorter than one window (else they are refused)
  int width = 0;                       // image: pixels (1..sdk/dsp/image.h kImageMaxSide)
  int height = 0;                      //
  std::string resize_mode = "squash";  // image: "squash", "fit-short" or "fit-long" (sdk/dsp/image_resize.h)

  bool is_image() const { return type == "image"; }

  // An image input of width x height pixels: type "image" with everything else as it must be for one (axes 1,
  // frequency 0, no window keys).
  static InputSettings image(int width, int height, const std::string& resize_mode = "squash") {
    InputSettings in;
    in.type = "image";
    in.frequency = 0;
    in.axes = 1;
    in.window_size_ms = 0;
    in.window_increase_ms = 0;
    in.zero_pad = false;
    in.width = width;
    in.height = height;
    in.resize_mode = resize_mode;
    return in;
  }
};

// [dsp]: the processing block. Parameter names are Edge Impulse's (frame_length, noise_floor_db, ...).
struct DspSettings {
  std::string block = "mfe";
  std::string version = "ei-4";
  std::map<std::string, double> params;  // every parameter of the block, defaults filled in
};

// One layer of the learning block's network, [[learn.layers]] in kiln.toml. Fields a layer type does not use
// keep their defaults and must not be set in the file.
struct LayerSpec {
  std::string type;                 // dense conv1d conv2d depthwise_conv2d max_pool1d max_pool2d avg_pool1d
                                    // avg_pool2d dropout batch_norm flatten reshape
  int units = 0;                    // dense
  int filters = 0;                  // conv1d, conv2d
  int kernel_size = 3;              // conv*, depthwise_conv2d (square for 2-D)
  int strides = 1;                  // conv*, pools (0 for pools = pool_size)
  int pool_size = 2;                // pools
  int depth_multiplier = 1;         // depthwise_conv2d
  std::string padding = "same";     // "same" or "valid"
  std::string activation = "none";  // "relu", "relu6", "softmax", "none"
  double rate = 0.25;               // dropout
  std::vector<int> shape;           // reshape target (without batch)
};

// [learn]: the learning block.
struct LearnSettings {
  std::string block = "classifier";
  std::vector<LayerSpec> layers;  // empty = the default audio network for the input shape
};

// [train]
struct TrainSettings {
  int epochs = 100;
  double learning_rate = 0.005;
  int batch_size = 32;
  double validation_split = 0.2;
  std::uint64_t seed = 1;
  int threads = 1;  // libtorch intra-op threads; >1 may break bit-exact determinism
  // "none", or "balanced": each class's training loss weighted by n_windows / (n_classes * n_class_windows),
  // counted on the training windows (after the validation split), as Keras/sklearn's "balanced" does.
  std::string class_weights = "none";
};

// [test]
struct TestSettings {
  double uncertain_threshold = 0.6;  // windows whose top score is below this count as "uncertain"
};

// [dataset]
struct DatasetSettings {
  double test_ratio = 0.1;  // share of each label's samples that `--category split` puts in the test set
  // What keeps related samples in one split (data/ingest_files.h group_key): "none", "folder" (the folder
  // holding the file) or "prefix" (the file name up to the first group_separator).
  std::string group_by = "none";
  std::string group_separator = "_";
};

struct Impulse {
  std::string name = "kiln-project";
  InputSettings input;
  DspSettings dsp;
  LearnSettings learn;
  TrainSettings train;
  TestSettings test;
  DatasetSettings dataset;
};

}  // namespace kiln
