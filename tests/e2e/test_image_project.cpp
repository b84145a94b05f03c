// An image project end to end through the kiln binary: `kiln init`, [input] type = "image" (32 x 32 RGB),
// `kiln add` of a folder per label (pictures of a disc, a square and a bar on noise, PNG/JPEG/BMP, a third of
// them at another size), then features, train (the default image network), test and classify. The shapes are
// easy: the test split must be classified correctly by both the float32 and the int8 model.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/kiln_cli.h"
#include "unit/data/image_files.h"

namespace {

namespace fs = std::filesystem;
using kiln::test::KilnRun;
using kiln::test::run_kiln;
using kiln::test::TempDir;

nlohmann::json json_run(const std::vector<std::string>& args) {
  const KilnRun r = run_kiln(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.exit_code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json();
}

TEST(ImageProject, AddFeaturesTrainTestClassify) {
  TempDir tmp;
  const fs::path project = tmp / "shapes", pictures = tmp / "pictures";
  const std::vector<std::string> labels = {"bar", "disc", "square"};
  kiln::test::write_shape_folders(pictures, labels, 20, 32, 32);
  ASSERT_EQ(run_kiln({"-q", "init", project.string()}).exit_code, 0);
  kiln::test::write_bytes(project / "kiln.toml",
                          "name = \"shapes\"\n[input]\ntype = \"image\"\nwidth = 32\nheight = 32\n"
                          "[dataset]\ntest_ratio = 0.25\n[dsp]\nblock = \"image\"\nversion = \"ei-1\"\n"
                          "[train]\nepochs = 30\nlearning_rate = 0.005\n");

  const nlohmann::json added = json_run({"-C", project.string(), "--json", "add", pictures.string()});
  ASSERT_EQ(added.at("added"), 60);
  for (const std::string& l : labels) {
    EXPECT_EQ(added["labels"][l]["train"], 15) << l;
    EXPECT_EQ(added["labels"][l]["test"], 5) << l;
  }

  KilnRun r = run_kiln({"-C", project.string(), "features"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("60 windows from 60 samples, features 32 x 32 x 3 per window"), std::string::npos)
      << r.out;

  r = run_kiln({"-C", project.string(), "-q", "train"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json test = json_run({"-C", project.string(), "--json", "test"});
  ASSERT_TRUE(test.contains("int8")) << test.dump();
  EXPECT_EQ(test.at("labels"), nlohmann::json(labels));
  EXPECT_EQ(test.at("total"), 15);
  EXPECT_GE(test.at("accuracy").get<double>(), 14.0 / 15) << test.dump();
  EXPECT_GE(test.at("int8").at("accuracy").get<double>(), 14.0 / 15) << test.dump();
  std::printf("test split: float32 accuracy %.3f, int8 %.3f (%d windows)\n", test["accuracy"].get<double>(),
              test["int8"]["accuracy"].get<double>(), test["total"].get<int>());

  // classify takes an image file of any size: resized like `kiln add` does, one window.
  int right = 0, total = 0;
  for (std::size_t l = 0; l < labels.size(); ++l) {
    for (int i = 0; i < 3; ++i) {
      const fs::path file = tmp / ("new-" + labels[l] + std::to_string(i) + ".png");
      const int w = i == 2 ? 50 : 32;  // one of them wider
      kiln::test::write_rgb_png(file, w, 32, kiln::test::shape_picture(static_cast<int>(l), w, 32, 900 + i));
      const nlohmann::json c = json_run({"-C", project.string(), "--json", "classify", file.string()});
      ASSERT_EQ(c.at("windows").size(), 1u);
      EXPECT_EQ(c["windows"][0].at("start_s"), 0.0);
      right += c["windows"][0].at("top") == labels[l];
      ++total;
    }
  }
  EXPECT_GE(right, total - 1) << right << " of " << total;
}

}  // namespace
