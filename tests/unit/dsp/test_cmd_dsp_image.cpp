// `kiln dsp image`: an image file at its own size, or raw packed pixels with --width/--height, through the
// built binary; the image's size is the input's, never a --param; every misuse refused in one line.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <vector>

#include "support/kiln_cli.h"
#include "unit/data/image_files.h"

namespace {

namespace fs = std::filesystem;
using namespace kiln::test;

std::vector<float> floats(const std::string& bytes) {
  std::vector<float> v(bytes.size() / 4);
  std::memcpy(v.data(), bytes.data(), v.size() * 4);
  return v;
}

TEST(DspCliImage, AnImageFileAtItsOwnSizeAndRawPixelsGiveTheSameFeatures) {
  TempDir tmp;
  std::vector<std::uint8_t> rgb;
  std::vector<float> packed;
  for (int i = 0; i < 5 * 3; ++i) {
    const std::uint8_t r = static_cast<std::uint8_t>(i * 17), g = static_cast<std::uint8_t>(255 - i), b = 51;
    rgb.insert(rgb.end(), {r, g, b});
    packed.push_back(static_cast<float>(std::uint32_t{r} << 16 | std::uint32_t{g} << 8 | b));
  }
  write_rgb_png(tmp / "p.png", 5, 3, rgb);
  write_f32(tmp / "p.f32", packed);

  KilnRun r = run_kiln({"--json", "dsp", "image", (tmp / "p.png").string(), (tmp / "a.f32").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out).at("shape"), nlohmann::json({1, 45}));
  const std::vector<float> a = floats(read_bytes(tmp / "a.f32"));
  ASSERT_EQ(a.size(), 45u);
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], static_cast<float>(rgb[i]) / 255.0f) << i;

  r = run_kiln(
      {"dsp", "image", "--width", "5", "--height", "3", (tmp / "p.f32").string(), (tmp / "b.f32").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_bytes(tmp / "b.f32"), read_bytes(tmp / "a.f32"));

  // Grayscale at 0..255: the luma itself.
  r = run_kiln({"dsp", "image", "-p", "channels=Grayscale", "-p", "scaling=0..255", (tmp / "p.png").string(),
                (tmp / "g.f32").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<float> g = floats(read_bytes(tmp / "g.f32"));
  ASSERT_EQ(g.size(), 15u);
  EXPECT_EQ(g[0], static_cast<float>(587 * 255 + 114 * 51) / 1000.0f);

  // --help lists the block's parameters, not the input's size.
  r = run_kiln({"dsp", "--help"});
  EXPECT_NE(r.out.find("image: channels=RGB scaling=0..1\n"), std::string::npos) << r.out;
}

TEST(DspCliImage, MisuseIsOneLine) {
  TempDir tmp;
  write_rgb_png(tmp / "p.png", 4, 4, std::vector<std::uint8_t>(48, 9));
  write_f32(tmp / "p.f32", std::vector<float>(16, 0));
  const auto fails = [&](const std::vector<std::string>& args, const std::string& words) {
    const KilnRun r = run_kiln(args);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find(words), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(fs::exists(tmp / "o.f32"));
  };
  const std::string png = (tmp / "p.png").string(), raw = (tmp / "p.f32").string(),
                    out = (tmp / "o.f32").string();
  fails({"dsp", "image", "-p", "width=4", png, out},
        "image: width is not a parameter of the block but the input's: [input] width in kiln.toml (kiln dsp: "
        "--width)");
  fails({"dsp", "image", raw, out},
        "--width and --height (pixels) are needed for raw input to the image block");
  fails({"dsp", "image", "--width", "5", png, out},
        "the image is 4 x 4 pixels but --width/--height say 5 x 0; kiln dsp does not resize");
  fails({"dsp", "image", "--frequency", "16000", png, out}, "--frequency does not apply to the image block");
  fails({"dsp", "mfe", "--width", "4", raw, out}, "--width and --height apply to the image block only");
  fails({"dsp", "image", "--width", "3", "--height", "3", raw, out},
        "image: ");  // 16 values: not 3 x 3 frames
  fails({"dsp", "image", "-p", "channels=CMYK", png, out}, "image: channels must be one of RGB, Grayscale");
}

}  // namespace
