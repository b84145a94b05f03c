// The HTML report: every section present, user strings escaped, nothing fetched from outside the file.
// One test also writes a realistic sample report (sample_report.html in the test's working directory) to look
// at.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>

#include "core/atomic_file.h"
#include "core/error.h"
#include "report/html_report.h"

using namespace kiln;

namespace {

constexpr int kFrames = 199, kBins = 40;

// Deterministic pseudo-random numbers in [0,1), so the sample report is the same on every run.
struct Lcg {
  std::uint32_t s;
  float next() {
    s = s * 1664525u + 1013904223u;
    return static_cast<float>(s >> 8) / 16777216.0f;
  }
};

// A fake MFE window: an alarm is a 3 kHz band with a 0.5 s on / 0.5 s off cadence over low background noise;
// "noise" is broadband, louder at low frequencies; "beep" is a steady tone.
std::vector<float> fake_window(const std::string& kind, std::uint32_t seed) {
  Lcg rng{seed};
  std::vector<float> f(kFrames * kBins);
  const int phase = static_cast<int>(rng.next() * 100);
  for (int t = 0; t < kFrames; ++t) {
    for (int b = 0; b < kBins; ++b) {
      float v = 0.25f + 0.25f * (1.0f - b / static_cast<float>(kBins)) + 0.12f * rng.next();
      if (kind == "noise") v += 0.2f * std::sin(t * 0.05f + b * 0.3f) * (1.0f - b / 60.0f);
      const bool on = (t + phase) % 100 < 50;
      if (kind == "alarm" && on && (b == 29 || b == 30)) v = 0.85f + 0.1f * rng.next();
      if (kind == "alarm" && on && b == 35) v = 0.6f + 0.1f * rng.next();
      if (kind == "beep" && (b == 24 || b == 25) && t > 40 && t < 160) v = 0.8f + 0.1f * rng.next();
      f[t * kBins + b] = std::clamp(v, 0.0f, 1.0f);
    }
  }
  return f;
}

ReportInput sample_input() {
  ReportInput in;
  in.project_name = "fire-alarm";
  in.generated_at = "2025-01-01 12:00 UTC";
  in.impulse_summary = {
      {"Input", "audio, 16000 Hz"},
      {"Window", "2000 ms, increase 500 ms, zero-padded"},
      {"Processing block", "mfe (ei-4)"},
      {"Features per window", "199 x 40"},
      {"Learning block", "classifier, 9 layers"},
      {"Network",
       {"reshape 199x40", "conv1d 8 filters, kernel 3, relu", "max_pool1d 2", "dropout 0.25",
        "conv1d 16 filters, kernel 3, relu", "max_pool1d 2", "dropout 0.25", "flatten", "dense 3, softmax"}},
      {"dsp", {{"frame_length", 0.02}, {"frame_stride", 0.01}, {"num_filters", 40}, {"noise_floor_db", -52}}},
  };
  const std::vector<std::string> labels = {"alarm", "beep", "noise"};
  in.dataset = {{"alarm", "train", 48, 420, 552.5},  {"alarm", "test", 6, 52, 68.0},
                {"beep", "train", 30, 190, 255.0},   {"beep", "test", 4, 24, 32.5},
                {"noise", "train", 90, 780, 1010.0}, {"noise", "test", 10, 88, 112.0}};
  for (std::uint32_t i = 0; i < 9; ++i) {
    const std::string& l = labels[i % 3];
    in.examples.push_back(
        {l, l + "-" + std::to_string(i) + ".wav @ " + std::to_string(i % 4 * 0.5).substr(0, 3) + " s",
         kFrames, kBins, fake_window(l, 100 + i)});
  }
  for (int e = 1; e <= 30; ++e) {
    const double w = 0.02 * std::sin(e * 1.7);
    in.history.push_back({e, 1.1 * std::exp(-e / 6.0) + 0.06 + w,
                          1 - 0.55 * std::exp(-e / 5.0) - 0.01 + w / 4,
                          1.0 * std::exp(-e / 7.0) + 0.14 + 0.004 * std::max(0, e - 18) + w,
                          1 - 0.6 * std::exp(-e / 6.0) - 0.04 + w / 3});
  }
  // 164 test windows: mostly right, a few confusions and a few uncertain ones.
  std::vector<int> truth;
  std::vector<float> scores;
  Lcg rng{7};
  for (int i = 0; i < 164; ++i) {
    const int t = i < 52 ? 0 : i < 76 ? 1 : 2;
    float s[3] = {0.03f, 0.03f, 0.03f};
    const float r = rng.next();
    const int p = r < 0.9f ? t : (t + 1 + static_cast<int>(r * 100) % 2) % 3;
    const float top = r > 0.96f ? 0.5f : 0.72f + 0.25f * rng.next();
    s[p] = top;
    s[(p + 1) % 3] = (1 - top) * 0.7f;
    s[(p + 2) % 3] = (1 - top) * 0.3f;
    truth.push_back(t);
    scores.insert(scores.end(), s, s + 3);
    if (p != t) {
      in.misclassified.push_back({labels[t] + "-test-" + std::to_string(i) + ".wav",
                                  (i % 5) * 0.5,
                                  labels[t],
                                  labels[p],
                                  {s[0], s[1], s[2]},
                                  kFrames,
                                  kBins,
                                  fake_window(labels[p == 0 ? 0 : t], 900 + i)});
    }
  }
  in.metrics = compute_metrics(labels, truth, scores, 0.6);
  return in;
}

// Hand-written scans: std::regex recurses per character and overflows the stack on 100 kB base64 runs.

// The text with every base64 payload removed (it may contain "nan" or anything else by chance).
std::string without_base64(const std::string& html) {
  std::string out;
  std::size_t pos = 0;
  for (std::size_t at = html.find("base64,"); at != std::string::npos; at = html.find("base64,", pos)) {
    out.append(html, pos, at - pos);
    pos = at + 7;
    while (pos < html.size() && (std::isalnum(static_cast<unsigned char>(html[pos])) || html[pos] == '+' ||
                                 html[pos] == '/' || html[pos] == '=')) {
      ++pos;
    }
  }
  return out + html.substr(pos);
}

// Values of every `name="..."` attribute.
std::vector<std::string> attribute_values(const std::string& html, const std::string& name) {
  std::vector<std::string> values;
  const std::string key = " " + name + "=\"";
  for (std::size_t at = html.find(key); at != std::string::npos; at = html.find(key, at + 1)) {
    const std::size_t begin = at + key.size();
    values.push_back(html.substr(begin, html.find('"', begin) - begin));
  }
  return values;
}

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + 1))
    ++n;
  return n;
}

}  // namespace

TEST(HtmlReport, HasEverySection) {
  std::string html = render_html_report(sample_input());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  for (const char* id : {"impulse", "dataset", "examples", "training", "results", "misclassified"}) {
    EXPECT_NE(html.find(std::string("id=\"") + id + "\""), std::string::npos) << id;
    EXPECT_NE(html.find(std::string("href=\"#") + id + "\""), std::string::npos) << id;
  }
  EXPECT_NE(html.find("fire-alarm"), std::string::npos);
  EXPECT_NE(html.find("conv1d 16 filters"), std::string::npos);  // arrays in the summary become lists
  EXPECT_NE(html.find("noise_floor_db"), std::string::npos);     // objects become nested tables
  EXPECT_EQ(count(html, "<svg"), 2u);                            // loss and accuracy
  EXPECT_EQ(count(html, ">validation</text>"), 2u);
  EXPECT_EQ(count(html, "class=\"cm\""), 1u);
  EXPECT_EQ(count(html, "class=\"spec\""), 9u);
  EXPECT_GE(count(html, "class=\"thumb\""), 1u);
  EXPECT_NE(html.find("data:image/png;base64,iVBORw0KGgo"), std::string::npos);  // a PNG signature
  EXPECT_NE(html.find("2025-01-01 12:00 UTC"), std::string::npos);
  // Dataset totals: 168 train samples, 20 test samples.
  EXPECT_NE(html.find("<td class=\"num\">168</td>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num\">20</td>"), std::string::npos);
}

TEST(HtmlReport, IsSelfContained) {
  const ReportInput in = sample_input();
  std::string html = render_html_report(in);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("src=\"/"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  // Every src and every href is a data: URI or an anchor inside the page.
  int refs = 0;
  for (const char* attr : {"src", "href"}) {
    for (const auto& target : attribute_values(html, attr)) {
      ++refs;
      EXPECT_TRUE(target.rfind("data:image/png;base64,", 0) == 0 || target.rfind("#", 0) == 0)
          << target.substr(0, 60);
    }
  }
  // Example images, misclassified thumbnails, table of contents.
  EXPECT_EQ(refs, static_cast<int>(in.examples.size() + in.misclassified.size() + 6));
  EXPECT_GT(in.misclassified.size(), 5u);
}

TEST(HtmlReport, EscapesUserStrings) {
  ReportInput in = sample_input();
  const std::string evil = "<script>alert(1)</script>";
  in.project_name = "p<b>";
  in.metrics = compute_metrics({evil, "noise"}, {0, 1}, {0.9f, 0.1f, 0.8f, 0.2f}, 0.5);
  in.dataset.push_back({evil, "train", 1, 2, 3.0});
  in.examples.push_back({evil, "a \"quoted\" & <odd> name.wav", kFrames, kBins, fake_window("alarm", 1)});
  in.misclassified = {{"x<y>.wav", 0.5, "noise", evil, {0.8f, 0.2f}, 0, 0, {}}};
  in.impulse_summary["<key>"] = "<value>";
  std::string html = render_html_report(in);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(html.find("p<b>"), std::string::npos);
  EXPECT_NE(html.find("p&lt;b&gt;"), std::string::npos);
  EXPECT_NE(html.find("a &quot;quoted&quot; &amp; &lt;odd&gt; name.wav"), std::string::npos);
  EXPECT_NE(html.find("x&lt;y&gt;.wav"), std::string::npos);
  EXPECT_NE(html.find("&lt;key&gt;"), std::string::npos);
  EXPECT_NE(html.find("&lt;value&gt;"), std::string::npos);
  EXPECT_NE(html.find("no spectrogram"), std::string::npos);  // frames = 0: a note instead of an image
}

TEST(HtmlReport, ShowsComparedModelsSideBySide) {
  ReportInput in = sample_input();
  in.compared.push_back({"int8 (quantized)", in.metrics});
  std::string html = render_html_report(in);
  EXPECT_EQ(count(html, "class=\"cm\""), 2u);
  EXPECT_NE(html.find("<h3>float32</h3>"), std::string::npos);
  EXPECT_NE(html.find("<h3>int8 (quantized)</h3>"), std::string::npos);
  EXPECT_NE(html.find("class=\"models\""), std::string::npos);
}

TEST(HtmlReport, CapsMisclassifiedWindows) {
  ReportInput in = sample_input();
  auto one = in.misclassified.at(0);
  in.misclassified.assign(60, one);
  in.misclassified_total = 75;
  std::string html = render_html_report(in);
  EXPECT_EQ(count(html, "class=\"thumb\""), 50u);
  EXPECT_NE(html.find("the first 50 of 75"), std::string::npos);
}

TEST(HtmlReport, EmptyInputStillRenders) {
  std::string html = render_html_report(ReportInput{});
  EXPECT_NE(html.find("No training history"), std::string::npos);
  EXPECT_NE(html.find("No dataset summary"), std::string::npos);
  EXPECT_NE(html.find("None: every test window"), std::string::npos);
  EXPECT_NE(html.find("</html>"), std::string::npos);
}

TEST(HtmlReport, WithoutValidationDrawsOnlyTraining) {
  ReportInput in = sample_input();
  for (auto& e : in.history) e.val_loss = e.val_accuracy = NAN;
  in.history[3].loss = INFINITY;  // a diverged epoch leaves a gap, not a broken chart
  // Images are base64 text that may contain "nan" by chance: look at the rest only.
  std::string html = without_base64(render_html_report(in));
  EXPECT_EQ(count(html, ">validation</text>"), 0u);
  EXPECT_EQ(count(html, ">training</text>"), 2u);
  EXPECT_EQ(html.find("nan"), std::string::npos);
  EXPECT_EQ(html.find("inf\""), std::string::npos);
}

TEST(HtmlReport, RejectsFeaturesOfTheWrongSize) {
  ReportInput in = sample_input();
  in.examples[0].features.pop_back();
  EXPECT_THROW(render_html_report(in), Error);
  ReportInput bad_metrics = sample_input();
  bad_metrics.metrics.confusion.pop_back();
  EXPECT_THROW(render_html_report(bad_metrics), Error);
}

TEST(HtmlReport, SameInputSameBytes) {
  EXPECT_EQ(render_html_report(sample_input()), render_html_report(sample_input()));
}

TEST(HtmlReport, WritesSampleReportToLookAt) {
  std::string html = render_html_report(sample_input());
  write_file_atomic("sample_report.html", html);
  EXPECT_EQ(read_file("sample_report.html"), html);
  // 9 example spectrograms and the misclassified thumbnails at one pixel per cell stay small.
  EXPECT_LT(html.size(), 2u << 20);
}
