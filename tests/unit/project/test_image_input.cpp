// [input] type = "image": kiln.toml round trip, every refused setting with its line, the image block's
// pairing with the input, windowing (one image, one window), the block's parameters from [input], the
// feature shape [h, w, c], the fingerprint and the model-input shape rule of kiln import.
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "impulse/dsp_block.h"
#include "impulse/features.h"
#include "impulse/windowing.h"
#include "project/fingerprint.h"
#include "project/impulse_toml.h"
#include "project/project.h"
#include "support/kiln_cli.h"

using kiln::test::TempDir;
using kiln::test::write_bytes;

namespace kiln {
namespace {

const char* const kImage =
    "[input]\ntype = \"image\"\nwidth = 48\nheight = 32\n[dsp]\nblock = \"image\"\nversion = \"ei-1\"\n";

std::string load_error(const std::string& toml) {
  TempDir dir;
  write_bytes(dir / "kiln.toml", toml);
  try {
    load_impulse(dir.path());
  } catch (const Error& e) {
    const std::string m = e.what();
    return m.substr(m.find("kiln.toml"));  // the temporary directory varies
  }
  return "";
}

Impulse load(const std::string& toml) {
  TempDir dir;
  write_bytes(dir / "kiln.toml", toml);
  return load_impulse(dir.path());
}

TEST(ImageInput, ParsesWithDefaultsAndRoundTrips) {
  const Impulse imp = load(kImage);
  EXPECT_TRUE(imp.input.is_image());
  EXPECT_EQ(imp.input.width, 48);
  EXPECT_EQ(imp.input.height, 32);
  EXPECT_EQ(imp.input.resize_mode, "squash");  // the default
  EXPECT_EQ(imp.input.axes, 1);
  EXPECT_EQ(imp.input.frequency, 0);
  EXPECT_EQ(dsp_param_text("image", "channels", imp.dsp.params.at("channels")), "RGB");
  EXPECT_EQ(dsp_param_text("image", "scaling", imp.dsp.params.at("scaling")), "0..1");
  EXPECT_EQ(imp.dsp.params.count("width"), 0u);  // the input's, not [dsp]'s

  Impulse other = imp;
  other.input.resize_mode = "fit-long";
  other.dsp.params["channels"] = 1;
  const std::string text = impulse_to_toml(other);
  EXPECT_NE(text.find("resize_mode = \"fit-long\""), std::string::npos) << text;
  EXPECT_EQ(text.find("frequency"), std::string::npos) << text;          // no time-series key for an image
  EXPECT_EQ(text.find("width = 48"), text.rfind("width = 48")) << text;  // written once, in [input]
  EXPECT_NE(text.find("default image network"), std::string::npos);
  const Impulse back = load(text);
  EXPECT_EQ(back.input.resize_mode, "fit-long");
  EXPECT_EQ(back.input.width, 48);
  EXPECT_EQ(back.dsp.params, other.dsp.params);
}

TEST(ImageInput, EveryBadSettingIsOneLineWithItsLine) {
  EXPECT_EQ(load_error("[input]\ntype = \"image\"\nwidth = 32\n"),
            "kiln.toml: [input] type = \"image\" needs width and height (pixels), e.g. width = 32");
  EXPECT_EQ(load_error("[input]\ntype = \"image\"\nwidth = 0\nheight = 32\n"),
            "kiln.toml:3: [input].width must be between 1 and 4096, got 0");
  EXPECT_EQ(load_error("[input]\ntype = \"image\"\nwidth = 32\nheight = 5000\n"),
            "kiln.toml:4: [input].height must be between 1 and 4096, got 5000");
  EXPECT_EQ(load_error("[input]\ntype = \"image\"\nwidth = 32\nheight = 32\nresize_mode = \"crop\"\n"),
            "kiln.toml:5: [input].resize_mode is 'crop', expected one of: squash, fit-short, fit-long");
  EXPECT_EQ(load_error("[input]\ntype = \"image\"\nwidth = 32\nheight = 32\nfrequency = 16000\n"),
            "kiln.toml:5: [input].frequency does not apply to an image input (one image is one window; set "
            "width and height)");
  EXPECT_EQ(
      load_error("[input]\ntype = \"image\"\nwindow_size_ms = 10\nwidth = 32\nheight = 32\n").substr(0, 38),
      "kiln.toml:3: [input].window_size_ms do");
  EXPECT_EQ(load_error("[input]\ntype = \"audio\"\nwidth = 32\n"),
            "kiln.toml:3: [input].width applies to an image input only (type = \"image\")");
  EXPECT_EQ(load_error("[input]\ntype = \"imgae\"\n").substr(0, 70),
            "kiln.toml:2: [input].type is 'imgae', expected one of: audio, timeseri");
  // The block and the input must go together.
  EXPECT_EQ(
      load_error("[input]\ntype = \"image\"\nwidth = 32\nheight = 32\n"),
      "kiln.toml: [dsp] mfe: does not work on images; an image input ([input] type = \"image\") takes the "
      "image block");
  EXPECT_EQ(
      load_error("[dsp]\nblock = \"image\"\nversion = \"ei-1\"\n"),
      "kiln.toml:2: [dsp] image: works on images only, but [input] type is 'audio' (set type = \"image\" "
      "with width and height)");
  // The size is [input]'s: [dsp] refuses it.
  EXPECT_EQ(load_error(std::string(kImage) + "width = 32\n"),
            "kiln.toml:8: [dsp].width is not valid: image: width is not a parameter of the block but the "
            "input's: [input] width in kiln.toml (kiln dsp: --width)");
  EXPECT_EQ(load_error(std::string(kImage) + "channels = \"RGBA\"\n"),
            "kiln.toml:8: [dsp].channels is not valid: image: channels must be one of RGB, Grayscale (got "
            "'RGBA') (did you mean 'RGB'?)");
  EXPECT_EQ(load_error(std::string(kImage) + "scaling = \"0..256\"\n").substr(0, 116),
            "kiln.toml:8: [dsp].scaling is not valid: image: scaling must be one of 0..1, 0..255, -1..1, -128..127 "
            "(got '0..256')");
}

TEST(ImageInput, OneImageIsOneWindowAndTheBlockGetsTheInputsSize) {
  const Impulse imp = load(kImage + std::string("channels = \"Grayscale\"\n"));
  EXPECT_EQ(window_samples(imp.input), 48u * 32);
  const WindowPlan plan = plan_windows(48 * 32, imp.input);
  ASSERT_EQ(plan.starts.size(), 1u);
  EXPECT_EQ(plan.starts[0], 0u);
  EXPECT_FALSE(plan.padded);
  EXPECT_TRUE(plan_windows(48 * 32 - 1, imp.input).starts.empty());  // never padded
  EXPECT_EQ(window_start_seconds(0, imp.input), 0.0);
  const auto params = block_params(imp.input, imp.dsp);
  EXPECT_EQ(params.at("width"), 48);
  EXPECT_EQ(params.at("height"), 32);
  EXPECT_EQ(window_feature_shape(imp), (std::vector<int>{32, 48, 1}));
  Impulse rgb = imp;
  rgb.dsp.params["channels"] = 0;
  EXPECT_EQ(window_feature_shape(rgb), (std::vector<int>{32, 48, 3}));
  // The table values kiln deploy writes, in the entry's order, include the size.
  const auto values = dsp_table_values("image", params);
  ASSERT_EQ(values.size(), 4u);
  EXPECT_EQ(values[2], (std::pair<std::string, double>{"width", 48}));
  EXPECT_EQ(values[3], (std::pair<std::string, double>{"height", 32}));
  // kiln dsp --param refuses the size too.
  EXPECT_THROW(parse_dsp_param("image", "height", "32"), DspParamError);
}

TEST(ImageInput, TheFingerprintNamesAChangedSize) {
  const Impulse a = load(kImage);
  const nlohmann::json was = model_fingerprint(a, {"x", "y"});
  Impulse b = a;
  b.input.width = 64;
  EXPECT_EQ(fingerprint_change(was, model_fingerprint(b, {"x", "y"})),
            "[input] width was 48 when the model was made, kiln.toml now says 64");
  b = a;
  b.input.resize_mode = "fit-short";
  EXPECT_EQ(fingerprint_change(was, model_fingerprint(b, {"x", "y"})),
            "[input] resize_mode was \"squash\" when the model was made, kiln.toml now says \"fit-short\"");
  b = a;
  b.dsp.params["scaling"] = 1;
  EXPECT_EQ(fingerprint_change(was, model_fingerprint(b, {"x", "y"})),
            "[dsp] scaling was \"0..1\" when the model was made, kiln.toml now says \"0..255\"");
  // An audio impulse's fingerprint has no image keys: models made before images existed still match.
  Impulse audio;
  audio.dsp.params = dsp_default_params("mfe");
  EXPECT_FALSE(model_fingerprint(audio, {"x"})["input"].contains("width"));
}

TEST(ImageInput, AModelInputTakesFeaturesOfItsShapeOrFlat) {
  EXPECT_TRUE(input_takes_features({1, 32, 32, 3}, {32, 32, 3}));
  EXPECT_TRUE(input_takes_features({1, 96, 96, 1}, {96, 96, 1}));
  EXPECT_TRUE(input_takes_features({1, 49, 10, 1}, {49, 10}));  // kws: channel axis of 1
  EXPECT_TRUE(input_takes_features({1, 30, 1, 40}, {30, 40}));
  EXPECT_TRUE(input_takes_features({1, 640}, {32, 20}));  // a flat input reshapes for itself
  EXPECT_TRUE(input_takes_features({1, 39}, {1, 39}));
  EXPECT_FALSE(input_takes_features({1, 32, 32, 3}, {96, 32}));  // as many values, another shape
  EXPECT_FALSE(input_takes_features({1, 49, 10}, {10, 49}));
  EXPECT_FALSE(input_takes_features({1, 640}, {32, 21}));
  EXPECT_FALSE(input_takes_features({1, 32, 32, 3}, {32, 32, 1}));
}

}  // namespace
}  // namespace kiln
