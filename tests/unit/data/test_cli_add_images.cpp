// `kiln add` of images into an image project ([input] type = "image"), through the built kiln binary: a
// folder per label of PNG, JPEG and BMP files written here with libpng, libjpeg and by hand; what is stored
// (one packed 0xRRGGBB float per pixel at the input's size); the conversions (grey, grey + alpha, palette,
// RGBA, 16-bit, grey JPEG to RGB; other sizes resized); and every class of bad input, each one line naming
// the file, exit 1, the project unchanged.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/file_read.h"
#include "image_files.h"
#include "sample_files.h"
#include "support/kiln_cli.h"

namespace {

namespace fs = std::filesystem;
using kiln::test::KilnRun;
using kiln::test::run_kiln;

std::map<std::string, std::string> snapshot(const fs::path& project) {
  std::map<std::string, std::string> files = kiln::test::snapshot(project);
  files.erase(".kiln/write.lock");
  return files;
}

const char* const kImageToml =
    "name = \"pictures\"\n[input]\ntype = \"image\"\nwidth = 8\nheight = 6\nresize_mode = \"fit-short\"\n"
    "[dsp]\nblock = \"image\"\nversion = \"ei-1\"\n";

fs::path make_image_project(const std::string& name) {
  const fs::path root = kiln::test::fresh_dir("cli-images-" + name);
  KilnRun r = run_kiln({"-q", "init", (root / "project").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  kiln::test::write_bytes(root / "project" / "kiln.toml", kImageToml);
  return root / "project";
}

// The 8 x 6 RGB pattern every test image here shows (distinct values per pixel and channel).
std::vector<std::uint8_t> pattern() {
  std::vector<std::uint8_t> rgb;
  for (int y = 0; y < 6; ++y)
    for (int x = 0; x < 8; ++x)
      rgb.insert(rgb.end(), {static_cast<std::uint8_t>(x * 30 + 5), static_cast<std::uint8_t>(y * 40 + 7),
                             static_cast<std::uint8_t>(x * y * 5)});
  return rgb;
}

std::vector<float> packed(const std::vector<std::uint8_t>& rgb) {
  std::vector<float> v;
  for (std::size_t i = 0; i + 2 < rgb.size(); i += 3)
    v.push_back(
        static_cast<float>(std::uint32_t{rgb[i]} << 16 | std::uint32_t{rgb[i + 1]} << 8 | rgb[i + 2]));
  return v;
}

// The stored values of the sample added from file name `name` (kiln dataset list --json: its hash).
std::vector<float> stored(const fs::path& project, const std::string& name) {
  KilnRun r = run_kiln({"-C", project.string(), "--json", "dataset", "list"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const auto& s : nlohmann::json::parse(r.out)) {
    if (s.at("name") == name) {
      const std::string bytes =
          kiln::test::read_bytes(project / "data" / "samples" / (s.at("hash").get<std::string>() + ".f32"));
      std::vector<float> v(bytes.size() / 4);
      std::memcpy(v.data(), bytes.data(), bytes.size());
      return v;
    }
  }
  ADD_FAILURE() << name << " is not in the dataset";
  return {};
}

TEST(CliAddImages, FoldersPerLabelOfPngJpegAndBmp) {
  const fs::path project = make_image_project("folders");
  const fs::path pics = project.parent_path() / "pictures";
  const std::vector<fs::path> files = kiln::test::write_shape_folders(pics, {"disc", "square"}, 6, 8, 6);
  KilnRun r = run_kiln({"-C", project.string(), "--json", "add", pics.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("added"), 12);
  EXPECT_EQ(j.at("labels").at("disc").at("train").get<int>() + j["labels"]["disc"]["test"].get<int>(), 6);
  EXPECT_EQ(j.at("warnings").size(), 0u);  // 6 images each: balanced
  r = run_kiln({"-C", project.string(), "--json", "dataset", "list"});
  for (const auto& s : nlohmann::json::parse(r.out)) {
    EXPECT_EQ(s.at("width"), 8);
    EXPECT_EQ(s.at("height"), 6);
    EXPECT_EQ(s.at("length"), 48);
    EXPECT_EQ(s.at("axes"), 1);
  }
  r = run_kiln({"-C", project.string(), "dataset", "list"});
  EXPECT_NE(r.out.find("8x6"), std::string::npos) << r.out;  // the size where recordings show a duration
  // Imbalance is counted in images: 1 disc against 6 squares.
  const fs::path more = project.parent_path() / "more";
  kiln::test::write_shape_folders(more, {"disc", "square", "bar"}, 1, 8, 6, 100);
  r = run_kiln({"-C", project.string(), "add", (more / "bar").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("'disc' has 6.0 times as much data as 'bar'"), std::string::npos) << r.err;
}

TEST(CliAddImages, StoredAsPackedPixelsWithEveryFormatConvertedToRgb) {
  const fs::path project = make_image_project("convert");
  const fs::path dir = project.parent_path() / "in";
  fs::create_directories(dir);
  const std::vector<std::uint8_t> rgb = pattern();
  kiln::test::write_rgb_png(dir / "rgb.png", 8, 6, rgb);
  kiln::test::write_rgb_bmp(dir / "rgb.bmp", 8, 6, rgb);
  // RGBA: the alpha is dropped, not blended.
  kiln::test::PngSpec rgba(8, 6, PNG_COLOR_TYPE_RGB_ALPHA, 8);
  for (std::size_t i = 0; i < rgb.size(); i += 3)
    rgba.data.insert(rgba.data.end(), {rgb[i], rgb[i + 1], rgb[i + 2], 17});
  kiln::test::write_png(dir / "rgba.png", rgba);
  // 16-bit RGB: the high byte of each channel.
  kiln::test::PngSpec deep(8, 6, PNG_COLOR_TYPE_RGB, 16);
  for (std::uint8_t v : rgb) deep.data.insert(deep.data.end(), {v, static_cast<std::uint8_t>(255 - v)});
  kiln::test::write_png(dir / "deep.png", deep);
  // Grey, grey + alpha and a palette: R = G = B.
  std::vector<std::uint8_t> grey_rgb;
  kiln::test::PngSpec grey(8, 6, PNG_COLOR_TYPE_GRAY, 8), grey_alpha(8, 6, PNG_COLOR_TYPE_GRAY_ALPHA, 8);
  kiln::test::PngSpec palette(8, 6, PNG_COLOR_TYPE_PALETTE, 8);
  for (int i = 0; i < 256; ++i)
    palette.palette.push_back({static_cast<png_byte>(i), static_cast<png_byte>(i), static_cast<png_byte>(i)});
  for (std::size_t i = 0; i < rgb.size(); i += 3) {
    grey.data.push_back(rgb[i]);
    grey_alpha.data.insert(grey_alpha.data.end(), {rgb[i], 200});
    palette.data.push_back(rgb[i]);
    grey_rgb.insert(grey_rgb.end(), {rgb[i], rgb[i], rgb[i]});
  }
  kiln::test::write_png(dir / "grey.png", grey);
  kiln::test::write_png(dir / "greyalpha.png", grey_alpha);
  kiln::test::write_png(dir / "palette.png", palette);
  for (const char* f :
       {"rgb.png", "rgb.bmp", "rgba.png", "deep.png", "grey.png", "greyalpha.png", "palette.png"}) {
    const std::string label =
        std::string(f).rfind("grey", 0) == 0 || std::string(f) == "palette.png" ? "grey" : "rgb";
    KilnRun r = run_kiln({"-C", project.string(), "-q", "add", "--label", label, (dir / f).string()});
    ASSERT_EQ(r.exit_code, 0) << f << ": " << r.err;
  }
  // The RGB files, the RGBA one and the 16-bit one are the same picture: one sample, the others duplicates.
  EXPECT_EQ(stored(project, "rgb.png"), packed(rgb));
  EXPECT_EQ(stored(project, "grey.png"), packed(grey_rgb));
  KilnRun r = run_kiln({"-C", project.string(), "--json", "dataset", "list"});
  EXPECT_EQ(nlohmann::json::parse(r.out).size(), 2u) << r.out;  // rgb.png (+3 duplicates) and grey.png (+2)

  // A larger picture is resized with [input] resize_mode (fit-short: the centre, cropped to 8:6, scaled).
  const fs::path big = project.parent_path() / "big";
  fs::create_directories(big);
  kiln::test::write_rgb_jpeg(big / "wide.jpg", 64, 24, kiln::test::shape_picture(0, 64, 24, 3));
  r = run_kiln({"-C", project.string(), "--json", "add", "--label", "wide", (big / "wide.jpg").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_kiln({"-C", project.string(), "--json", "dataset", "list"});
  for (const auto& s : nlohmann::json::parse(r.out)) {
    if (s.at("name") == "wide.jpg") {
      EXPECT_EQ(s.at("length"), 48);
    }
  }
  EXPECT_EQ(stored(project, "wide.jpg").size(), 48u);
}

// One line naming the file, exit status 1, nothing changed.
void expect_refused(const fs::path& project, const std::vector<std::string>& args, const std::string& file,
                    const std::string& words) {
  const auto before = snapshot(project);
  std::vector<std::string> all = {"-C", project.string()};
  all.insert(all.end(), args.begin(), args.end());
  const KilnRun r = run_kiln(all);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err.rfind("kiln: error: " + file + ": ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(words), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(snapshot(project), before);
}

TEST(CliAddImages, EveryClassOfBadInputIsOneLineAndChangesNothing) {
  const fs::path project = make_image_project("bad");
  const fs::path dir = project.parent_path() / "bad";
  fs::create_directories(dir);
  const std::vector<std::uint8_t> rgb = pattern();
  kiln::test::write_rgb_png(dir / "good.png", 8, 6, rgb);
  const std::string png = kiln::test::read_bytes(dir / "good.png");
  // Corrupt: the compressed data damaged.
  std::string corrupt = png;
  for (std::size_t i = png.size() / 2; i < png.size() / 2 + 8; ++i)
    corrupt[i] = static_cast<char>(corrupt[i] ^ 0x5A);
  kiln::test::write_bytes(dir / "corrupt.png", corrupt);
  expect_refused(project, {"add", "--label", "x", (dir / "corrupt.png").string()},
                 (dir / "corrupt.png").string(), "");
  // Truncated JPEG.
  const std::string jpeg = kiln::test::jpeg_bytes(8, 6, 3, JCS_RGB, rgb);
  kiln::test::write_bytes(dir / "cut.jpg", jpeg.substr(0, jpeg.size() / 2));
  expect_refused(project, {"add", "--label", "x", (dir / "cut.jpg").string()}, (dir / "cut.jpg").string(),
                 "");
  // Too large: a header announcing 30000 x 30000 pixels.
  std::string huge = kiln::test::bmp_bytes(kiln::test::BmpSpec(8, 6, 24, rgb));
  kiln::test::put32(huge, 18, 30000);
  kiln::test::put32(huge, 22, 30000);
  kiln::test::write_bytes(dir / "huge.bmp", huge);
  expect_refused(project, {"add", "--label", "x", (dir / "huge.bmp").string()}, (dir / "huge.bmp").string(),
                 "30000 x 30000 pixels, more than");
  // A side beyond what the resizer takes (the reader allows panoramas up to 65535 wide).
  kiln::test::write_rgb_png(dir / "strip.png", 20000, 2, std::vector<std::uint8_t>(20000 * 2 * 3, 90));
  expect_refused(project, {"add", "--label", "x", (dir / "strip.png").string()}, (dir / "strip.png").string(),
                 "20000 x 2 pixels; Kiln resizes images of up to 16384 pixels a side");
  // Unsupported formats: a GIF named as it is, and a GIF named .png.
  kiln::test::write_bytes(dir / "anim.gif", "GIF89a\x08\x00\x06\x00\x80\x00\x00");
  expect_refused(project, {"add", "--label", "x", (dir / "anim.gif").string()}, (dir / "anim.gif").string(),
                 "unknown file type");
  kiln::test::write_bytes(dir / "gif.png", "GIF89a\x08\x00\x06\x00\x80\x00\x00");
  expect_refused(project, {"add", "--label", "x", (dir / "gif.png").string()}, (dir / "gif.png").string(),
                 "not a PNG, JPEG or BMP image");
  // Not an image, into an image project.
  kiln::test::write_tone(dir / "beep.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 1, 0.5, 1000, 0.3);
  expect_refused(project, {"add", "--label", "x", (dir / "beep.wav").string()}, (dir / "beep.wav").string(),
                 "audio, but this is an image project (it takes PNG, JPEG and BMP images)");
  kiln::test::write_text(dir / "accel.csv", "timestamp,x\n0,1\n10,2\n");
  expect_refused(project, {"add", "--label", "x", (dir / "accel.csv").string()}, (dir / "accel.csv").string(),
                 "CSV, but this is an image project");
  // A bad file among good ones adds nothing.
  expect_refused(project, {"add", "--label", "x", (dir / "good.png").string(), (dir / "cut.jpg").string()},
                 (dir / "cut.jpg").string(), "");

  // An image into an audio project.
  const fs::path audio = kiln::test::fresh_dir("cli-images-audio") / "project";
  ASSERT_EQ(run_kiln({"-q", "init", audio.string()}).exit_code, 0);
  expect_refused(audio, {"add", "--label", "x", (dir / "good.png").string()}, (dir / "good.png").string(),
                 "an image, but this is an audio project (an image project has [input] type = \"image\" in "
                 "kiln.toml)");
}

TEST(CliAddImages, AChangedInputSizeIsRefusedBeforeFeatures) {
  const fs::path project = make_image_project("changed");
  const fs::path pics = project.parent_path() / "pictures";
  kiln::test::write_shape_folders(pics, {"disc", "square"}, 3, 8, 6);
  ASSERT_EQ(run_kiln({"-C", project.string(), "-q", "add", pics.string()}).exit_code, 0);
  ASSERT_EQ(run_kiln({"-C", project.string(), "-q", "features"}).exit_code, 0);
  std::string toml = kImageToml;
  toml.replace(toml.find("width = 8"), 9, "width = 6");
  toml.replace(toml.find("height = 6"), 10, "height = 8");
  kiln::test::write_bytes(project / "kiln.toml", toml);
  const auto before = snapshot(project);
  KilnRun r = run_kiln({"-C", project.string(), "features"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("6 samples were added as 8 x 6 images"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("but kiln.toml's [input] now says image 6 x 8 (resize_mode fit-short)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(snapshot(project), before);
}

}  // namespace
