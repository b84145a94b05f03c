// kiln features: run the processing block over every window of the dataset (cached), optionally writing one
// spectrogram image per window so alarm and noise can be compared by eye.
#include <cstdio>
#include <map>

#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/session.h"
#include "core/escape.h"
#include "report/spectrogram_png.h"

namespace kiln::cli {
namespace {

// File-name-safe version of a sample name or label: one path component inside the folder it goes to (never
// "." or "..", which would climb out of it).
std::string safe_name(const std::string& s) {
  std::string out;
  for (char c : s)
    out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
  if (out.find_first_not_of('.') == std::string::npos) out = "_" + out;
  return out;
}

}  // namespace

void register_features(CLI::App& app, Context& ctx) {
  auto* cmd =
      app.add_subcommand("features", "Compute the processing block's features for every window (cached)");
  static std::string category = "all";
  static std::string png_dir;
  static int png_limit = 0;
  cmd->add_option("--category", category, "Which samples: train, test or all")
      ->check(CLI::IsMember({"train", "test", "all"}))
      ->capture_default_str();
  cmd->add_option("--png", png_dir, "Also write a spectrogram PNG per window into DIR/<label>/");
  cmd->add_option("--png-limit", png_limit, "At most this many PNGs per label (0 = all)")
      ->check(CLI::NonNegativeNumber);
  cmd->footer(
      "\nFeatures are cached in out/features/, keyed by sample content and block parameters: a second run, "
      "or\n"
      "`kiln train`, reads them back. Changing a [dsp] or window setting recomputes only what changed.");
  cmd->callback([&ctx] {
    WriteSession s = open_write_session(ctx, "features");
    FeatureStats stats;
    FeatureTable t = split_features(s, category, ctx, &stats);
    s.generation->publish();
    std::map<std::string, int> per_label;
    for (const auto& w : t.windows) per_label[w.label]++;

    std::size_t pngs = 0;
    if (!png_dir.empty()) {
      if (t.shape.size() != 2) throw Error("--png: the block's features are not a 2-D spectrogram");
      std::map<std::string, int> written;
      Progress bar("spectrograms", t.windows.size(), ctx.quiet);
      for (std::size_t i = 0; i < t.windows.size(); ++i) {
        const WindowInfo& w = t.windows[i];
        bar.advance();
        if (png_limit > 0 && written[w.label] >= png_limit) continue;
        written[w.label]++;
        char start[32];
        std::snprintf(start, sizeof start, "%.2fs", w.start_s);
        std::filesystem::path path = std::filesystem::path(png_dir) / safe_name(w.label) /
                                     (safe_name(w.sample_name) + "@" + start + ".png");
        write_spectrogram_png(path, t.row(i), t.shape[0], t.shape[1], 3);
        ++pngs;
      }
    }

    if (ctx.json) {
      nlohmann::json j = {{"windows", t.windows.size()},    {"shape", t.shape},
                          {"samples", stats.samples},       {"cached", stats.cached},
                          {"computed", stats.computed},     {"skipped_short", stats.skipped},
                          {"windows_per_label", per_label}, {"png_written", pngs}};
      std::printf("%s\n", json_text(j, 2).c_str());
      return;
    }
    std::printf("%zu windows from %zu samples, features %s per window (%zu computed, %zu from cache)\n",
                t.windows.size(), stats.samples, shape_text(t.shape).c_str(), stats.computed, stats.cached);
    for (const auto& [label, n] : per_label) std::printf("  %-16s %6d windows\n", label.c_str(), n);
    if (stats.skipped) {
      std::printf("  %zu samples shorter than one window were skipped (zero_pad = false)\n", stats.skipped);
    }
    if (pngs) std::printf("wrote %zu spectrograms to %s\n", pngs, png_dir.c_str());
  });
}

}  // namespace kiln::cli
