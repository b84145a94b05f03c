// kiln.toml parsing: round trip of every setting, and one clear error (file, line, key) per kind of mistake.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/atomic_file.h"
#include "core/error.h"
#include "impulse/dsp_block.h"
#include "project/impulse_toml.h"
#include "project/project.h"

using namespace kiln;

namespace {

std::string error_of(const std::string& text) {
  try {
    parse_impulse_toml(text, "kiln.toml");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

std::filesystem::path temp_dir(const std::string& name) {
  auto p =
      std::filesystem::temp_directory_path() / ("kiln-test-project-" + name + std::to_string(::getpid()));
  std::filesystem::remove_all(p);
  return p;
}

}  // namespace

TEST(ImpulseToml, DefaultsRoundTrip) {
  Impulse a;
  a.dsp.params = dsp_default_params("mfe");
  Impulse b = parse_impulse_toml(impulse_to_toml(a), "kiln.toml");
  EXPECT_EQ(b.name, a.name);
  EXPECT_EQ(b.input.frequency, a.input.frequency);
  EXPECT_EQ(b.input.window_size_ms, a.input.window_size_ms);
  EXPECT_EQ(b.input.window_increase_ms, a.input.window_increase_ms);
  EXPECT_EQ(b.input.zero_pad, a.input.zero_pad);
  EXPECT_EQ(b.dsp.params, a.dsp.params);
  EXPECT_EQ(b.train.epochs, 100);
  EXPECT_DOUBLE_EQ(b.train.learning_rate, 0.005);
  EXPECT_EQ(b.train.batch_size, 32);
  EXPECT_DOUBLE_EQ(b.train.validation_split, 0.2);
  EXPECT_DOUBLE_EQ(b.dataset.test_ratio, 0.1);
  EXPECT_TRUE(b.learn.layers.empty());
}

TEST(ImpulseToml, LayersRoundTrip) {
  Impulse a;
  a.dsp.params = dsp_default_params("mfe");
  LayerSpec conv;
  conv.type = "conv2d";
  conv.filters = 12;
  conv.kernel_size = 5;
  conv.activation = "relu6";
  conv.padding = "valid";
  LayerSpec reshape;
  reshape.type = "reshape";
  reshape.shape = {99, 40, 1};
  LayerSpec drop;
  drop.type = "dropout";
  drop.rate = 0.4;
  a.learn.layers = {reshape, conv, drop};
  Impulse b = parse_impulse_toml(impulse_to_toml(a), "kiln.toml");
  ASSERT_EQ(b.learn.layers.size(), 3u);
  EXPECT_EQ(b.learn.layers[0].shape, (std::vector<int>{99, 40, 1}));
  EXPECT_EQ(b.learn.layers[1].filters, 12);
  EXPECT_EQ(b.learn.layers[1].kernel_size, 5);
  EXPECT_EQ(b.learn.layers[1].activation, "relu6");
  EXPECT_EQ(b.learn.layers[1].padding, "valid");
  EXPECT_DOUBLE_EQ(b.learn.layers[2].rate, 0.4);
}

TEST(ImpulseToml, UnknownKeyNamesLineAndSuggests) {
  std::string e = error_of("[input]\nfrequency = 16000\nwindow_sise_ms = 1000\n");
  EXPECT_NE(e.find("kiln.toml:3"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown key 'window_sise_ms'"), std::string::npos) << e;
  EXPECT_NE(e.find("did you mean 'window_size_ms'"), std::string::npos) << e;
}

TEST(ImpulseToml, UnknownSection) {
  std::string e = error_of("[trian]\nepochs = 3\n");
  EXPECT_NE(e.find("unknown section [trian]"), std::string::npos) << e;
  EXPECT_NE(e.find("did you mean 'train'"), std::string::npos) << e;
}

TEST(ImpulseToml, WrongTypesAndRanges) {
  EXPECT_NE(error_of("[input]\nfrequency = \"fast\"\n").find("[input].frequency must be a number"),
            std::string::npos);
  EXPECT_NE(error_of("[train]\nepochs = 2.5\n").find("[train].epochs must be a whole number"),
            std::string::npos);
  EXPECT_NE(error_of("[train]\nepochs = 0\n").find("must be between 1 and"), std::string::npos);
  EXPECT_NE(error_of("[input]\nzero_pad = 1\n").find("must be true or false"), std::string::npos);
  EXPECT_NE(error_of("[input]\ntype = \"audoi\"\n").find("did you mean 'audio'"), std::string::npos);
  EXPECT_NE(error_of("[train]\nvalidation_split = 1.5\n").find("validation_split"), std::string::npos);
  EXPECT_NE(error_of("[input]\naxes = 3\n").find("axes must be 1 for audio"), std::string::npos);
}

TEST(ImpulseToml, SyntaxErrorNamesLine) {
  std::string e = error_of("[input]\nfrequency = = 3\n");
  EXPECT_NE(e.find("kiln.toml:2"), std::string::npos) << e;
}

TEST(ImpulseToml, LayerMistakes) {
  EXPECT_NE(error_of("[[learn.layers]]\nunits = 3\n").find("has no 'type'"), std::string::npos);
  EXPECT_NE(error_of("[[learn.layers]]\ntype = \"dense\"\n").find("needs 'units'"), std::string::npos);
  std::string e = error_of("[[learn.layers]]\ntype = \"dense\"\nunits = 4\nfilters = 8\n");
  EXPECT_NE(e.find("filters does not apply to a dense layer"), std::string::npos) << e;
  e = error_of("[[learn.layers]]\ntype = \"conv1d\"\nfilters = 4\nkernal_size = 3\n");
  EXPECT_NE(e.find("did you mean 'kernel_size'"), std::string::npos) << e;
  e = error_of("[[learn.layers]]\ntype = \"convd1\"\n");
  EXPECT_NE(e.find("did you mean 'conv1d'"), std::string::npos) << e;
}

TEST(Project, DspParametersCheckedOnLoad) {
  auto dir = temp_dir("dsp");
  std::filesystem::create_directories(dir);
  write_file_atomic(dir / "kiln.toml", "[dsp]\nnum_filter = 40\n");
  try {
    load_impulse(dir);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("kiln.toml"), std::string::npos) << m;
    EXPECT_NE(m.find("num_filter"), std::string::npos) << m;
    EXPECT_NE(m.find("num_filters"), std::string::npos) << m;  // the suggestion
  }
  write_file_atomic(dir / "kiln.toml", "[dsp]\nfft_length = 300\n");
  EXPECT_THROW(load_impulse(dir), Error);
  write_file_atomic(dir / "kiln.toml", "[dsp]\nfft_length = 512\n");
  Impulse imp = load_impulse(dir);
  EXPECT_EQ(imp.dsp.params.at("fft_length"), 512);
  EXPECT_EQ(imp.dsp.params.at("num_filters"), 40);  // default filled in
  std::filesystem::remove_all(dir);
}

TEST(Project, NotAProject) {
  auto dir = temp_dir("none");
  std::filesystem::create_directories(dir);
  try {
    load_impulse(dir);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("not a Kiln project"), std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

TEST(Project, InitRefusesExistingAndBadSettings) {
  auto dir = temp_dir("init");
  Impulse imp;
  imp.dsp.params = dsp_default_params("mfe");
  init_project(dir, imp);
  EXPECT_TRUE(std::filesystem::exists(dir / "kiln.toml"));
  EXPECT_TRUE(std::filesystem::is_directory(dir / "data"));
  std::string before = read_file(dir / "kiln.toml");
  EXPECT_THROW(init_project(dir, imp), Error);
  EXPECT_EQ(read_file(dir / "kiln.toml"), before);
  std::filesystem::remove_all(dir);

  // An impossible setting is refused before anything is created.
  imp.dsp.params["fft_length"] = 100;
  EXPECT_THROW(init_project(dir, imp), Error);
  EXPECT_FALSE(std::filesystem::exists(dir));
}
