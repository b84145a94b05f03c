// kiln deploy works for every processing block of the SDK's table: for each block a small project (audio
// tones for the audio blocks, 32 x 32 pictures of shapes for the image block, 3-axis motion CSV for the
// others) is trained for a few epochs and deployed with both engines, and on a Cortex-M4F under QEMU every
// int8 score of every window (>= 20) equals what `kiln classify` computes on the host. A block added to
// sdk/impulse/block_table.cpp is covered here without a change.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <filesystem>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "data/image_sample.h"
#include "e2e/device_compare.h"
#include "e2e/tiny_project.h"
#include "impulse/dsp_block.h"
#include "profile/cortex_m.h"
#include "support/kiln_cli.h"
#include "unit/data/image_files.h"

namespace fs = std::filesystem;
using namespace kiln::test;

namespace {

bool is_audio_block(const std::string& block) {
  return block == "mfe" || block == "mfcc" || block == "spectrogram";
}

bool is_image_block(const std::string& block) {
  return !kiln::dsp_input_params(block).empty();  // it takes the image input's width and height
}

// 3-axis motion at 50 Hz, 4 s: "idle" is gravity and a little noise, "shake" a 2-4 Hz swing. Values are
// multiples of 1/64, so the CSV text is exact and host and device see the same floats.
std::vector<float> motion(bool shake, int seed) {
  std::vector<float> v;
  unsigned state = 12345u + static_cast<unsigned>(seed) * 7919u;
  auto noise = [&] {
    state = state * 1103515245u + 12345u;
    return static_cast<double>((state >> 16) % 1000) / 1000.0 - 0.5;
  };
  const double f = 2.0 + 0.1 * seed;
  for (int i = 0; i < 200; ++i) {
    const double t = i / 50.0;
    const double x = shake ? 2 * std::sin(2 * M_PI * f * t) : 0.0,
                 y = shake ? std::cos(2 * M_PI * f * t) : 0.0;
    for (const double a : {x + 0.3 * noise(), y + 0.3 * noise(), 9.81 + 0.1 * noise()}) {
      v.push_back(static_cast<float>(std::round(a * 64) / 64));
    }
  }
  return v;
}

void write_motion_csv(const fs::path& path, const std::vector<float>& v) {
  std::ostringstream s;
  s.precision(10);
  s << "timestamp,accX,accY,accZ\n";
  for (std::size_t i = 0; i < v.size() / 3; ++i) {
    s << i * 20 << "," << v[3 * i] << "," << v[3 * i + 1] << "," << v[3 * i + 2] << "\n";
  }
  write_bytes(path, s.str());
}

std::vector<float> wav_values(const fs::path& path) {
  SF_INFO info{};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  EXPECT_NE(f, nullptr) << path;
  std::vector<short> x(static_cast<std::size_t>(info.frames));
  sf_read_short(f, x.data(), info.frames);
  sf_close(f);
  return std::vector<float>(x.begin(), x.end());
}

struct Recording {
  fs::path file;
  std::vector<float> values;  // interleaved, in the units kiln stores
};

std::string device_main(const std::vector<Recording>& recs, int step) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(7);  // exact for the values here (int16, multiples of 1/64)
  s << "#include <stdio.h>\n#include \"kiln_impulse.h\"\n";
  for (std::size_t f = 0; f < recs.size(); ++f) {
    s << "static const float rec" << f << "[] = {";
    for (std::size_t i = 0; i < recs[f].values.size(); ++i) s << (i ? "," : "") << recs[f].values[i] << "f";
    s << "};\n";
  }
  s << "struct Rec { const float* data; unsigned long n; };\nstatic const Rec recs[] = {";
  for (std::size_t f = 0; f < recs.size(); ++f) s << "{rec" << f << ", sizeof rec" << f << " / 4},";
  s << "};\nint main() {\n  for (unsigned r = 0; r < sizeof recs / sizeof recs[0]; ++r) {\n    int w = 0;\n"
    << "    for (unsigned long start = 0; start + KILN_SIGNAL_LENGTH <= recs[r].n; start += " << step
    << ") {\n"
    << R"(      kiln_float_array a = {recs[r].data + start, KILN_SIGNAL_LENGTH};
      kiln_signal signal = kiln_signal_from_array(&a);)"
    << kDeviceWindowLoopBody << R"(    }
  }
  return 0;
}
)";
  return s.str();
}

class DeployBlock : public ::testing::TestWithParam<std::string> {};

TEST_P(DeployBlock, OnCortexM4EqualsHostClassify) {
  std::string why;
  if (!kiln::profile::arm_toolchain_available(&why))
    GTEST_SKIP() << why << " (scripts/bootstrap installs it)";
  const std::string block = GetParam();
  const bool audio = is_audio_block(block), image = is_image_block(block);
  TempDir tmp;
  const fs::path project = tmp / "project", data = tmp / "data";
  std::vector<Recording> test_recs;
  std::string input;
  std::vector<std::string> folders;
  int step = 0;
  if (image) {
    // 3 labels x 8 pictures, 32 x 32 RGB (a third of them at another size, resized by `kiln add`), PNG, JPEG
    // and BMP; every one is compared, on both engines.
    const std::vector<fs::path> files = write_shape_folders(data, {"disc", "square", "bar"}, 8, 32, 32);
    for (const char* label : {"disc", "square", "bar"}) folders.push_back((data / label).string());
    const kiln::InputSettings in = kiln::InputSettings::image(32, 32);
    for (const fs::path& f : files) test_recs.push_back({f, kiln::read_image_sample(f, in).values});
    input = "[input]\ntype = \"image\"\nwidth = 32\nheight = 32\n";
    step = 32 * 32;
  } else if (audio) {
    make_recordings(data, 0, 6);
    input = "[input]\nwindow_size_ms = 1000\nwindow_increase_ms = 50\n";
    folders = {(data / "alarm").string(), (data / "noise").string()};
    for (const char* f : {"alarm/a0.wav", "alarm/a1.wav", "noise/n0.wav", "noise/n1.wav"})
      test_recs.push_back({data / f, wav_values(data / f)});
    step = 800;  // 50 ms at 16 kHz: 7 windows per 1.3 s recording
  } else {
    for (const char* label : {"idle", "shake"}) {
      fs::create_directories(data / label);
      for (int i = 0; i < 6; ++i) {
        const fs::path file = data / label / (std::string(label) + std::to_string(i) + ".csv");
        const std::vector<float> v = motion(std::string(label) == "shake", i);
        write_motion_csv(file, v);
        if (i == 0) test_recs.push_back({file, v});
      }
      folders.push_back((data / label).string());
    }
    input =
        "[input]\ntype = \"timeseries\"\nfrequency = 50\naxes = 3\nwindow_size_ms = 2000\n"
        "window_increase_ms = 200\n";
    step = 10 * 3;  // 200 ms at 50 Hz, three values a sample: 11 windows per 4 s recording
  }
  KilnRun r = run_kiln({"-q", "init", project.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  write_bytes(project / "kiln.toml", "name = \"blocks\"\n" + input + "[dsp]\nblock = \"" + block +
                                         "\"\nversion = \"" + kiln::dsp_block_versions(block).back() +
                                         "\"\n[train]\nepochs = " + (image ? "8" : "3") + "\n");
  std::vector<std::string> add = {"-C", project.string(), "-q", "add"};
  add.insert(add.end(), folders.begin(), folders.end());
  r = run_kiln(add);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_kiln({"-C", project.string(), "-q", "train"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<fs::path> files;
  for (const Recording& rec : test_recs) files.push_back(rec.file);
  const std::vector<std::string> host = host_scores(project, files);
  ASSERT_GE(host.size(), 20u);
  write_bytes(tmp / "device_main.cpp", device_main(test_recs, step));
  for (const std::string engine : {"compiled", "interpreter"}) {
    SCOPED_TRACE(engine + " engine");
    const fs::path lib = tmp / ("lib-" + engine);
    r = run_kiln(
        {"-C", project.string(), "deploy", "--engine", engine, "--out", lib.string(), "--no-measure"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::vector<std::string> device =
        run_on_m4f(lib, false, tmp / "device_main.cpp", tmp / ("m4f-" + engine));
    ASSERT_EQ(device.size(), host.size());
    for (std::size_t i = 0; i < host.size(); ++i) EXPECT_EQ(device[i], host[i]) << "window " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(EveryBlock, DeployBlock, ::testing::ValuesIn(kiln::dsp_block_names()),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });

}  // namespace
