// kiln add [--label L] [--category train|test|split] PATH...: ingest sample files into the project's dataset.
#include <cstdio>
#include <map>
#include <optional>

#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/session.h"
#include "core/error.h"
#include "core/escape.h"
#include "data/dataset.h"
#include "data/label_balance.h"
#include "data/sample_reader.h"
#include "project/project.h"

namespace kiln::cli {
namespace {

// A progress bar only pays off for more than a handful of files.
constexpr std::size_t kProgressMinFiles = 10;

std::string plural(int n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

void register_add(CLI::App& app, Context& ctx) {
  auto* cmd =
      app.add_subcommand("add", "Add sample files (audio, CSV, Edge Impulse JSON, images) to the dataset");
  static std::vector<std::string> paths;
  static std::string label;
  static std::string category = "split";
  cmd->add_option("PATH", paths, "Sample files, or folders to walk recursively")->required();
  auto* label_opt = cmd->add_option(
      "--label", label, "Label for every file (default: from the folder or file name, see below)");
  cmd->add_option(
         "--category", category,
         "train, test, or split: [dataset] test_ratio of each label's new samples go to test (a group, see "
         "[dataset] group_by, stays in one set)")
      ->check(CLI::IsMember({"train", "test", "split"}))
      ->capture_default_str();
  cmd->footer(
      "\nFormats: " + accepted_extensions() +
      "\nAudio is mixed down to mono and resampled to [input] frequency. Images (PNG, JPEG, BMP: image "
      "projects\n"
      "only) are converted to RGB and resized to [input] width x height with resize_mode. CSV needs a "
      "timestamp column\n"
      "(timestamp/time/t in ms, time_s in s, time_us in us) and one column per axis; sensor data at another\n"
      "frequency than [input] frequency is resampled to it.\n"
      "In folders, only those extensions are picked up and hidden files are skipped.\n\n"
      "Labels, first rule that applies:\n"
      "  1. --label\n"
      "  2. a file in a subfolder of a folder you name: that subfolder  (kiln add rec/ -> rec/alarm/x.wav = "
      "alarm)\n"
      "  3. a label before the first dot of the file name                (alarm.01.wav = alarm)\n"
      "  4. the folder holding the file, as you wrote it                  (kiln add rec/alarm, "
      "rec/alarm/x.wav)\n"
      "  5. the file name                                                 (x.wav = x)\n\n"
      "Labels must be valid UTF-8, at most 128 bytes, without control characters, '/' or '\\', not '.' or "
      "'..',\n"
      "without leading or trailing whitespace; a folder or file name that gives no such label needs "
      "--label.\n\n"
      "Samples are stored by content hash: the same recording added twice (or as WAV and FLAC) is stored "
      "once;\n"
      "content already in the dataset under another label is an error (relabel it, or leave the file out).\n"
      "A sample keeps its set once assigned: `kiln dataset move` changes it.\n"
      "One `kiln add` is all or nothing: if any file is bad, nothing is added.");
  cmd->callback([&ctx, label_opt] {
    WriteSession session = open_write_session(ctx, "add", true);
    const Impulse& impulse = session.impulse;
    Dataset& dataset = session.dataset;
    Dataset::AddOptions opts = Dataset::add_options(impulse.dataset);
    if (label_opt->count() > 0) opts.label = label;
    opts.category = category;
    std::vector<std::filesystem::path> inputs(paths.begin(), paths.end());

    std::optional<Progress> bar;
    Dataset::AddResult r = dataset.add(inputs, opts, impulse.input, [&](std::size_t done, std::size_t total) {
      if (!bar) bar.emplace("add", total, ctx.quiet || total < kProgressMinFiles);
      bar->set(done);
    });
    if (bar) bar->finish();
    // Seconds of recordings per label, over the whole dataset: a label's windows grow with its seconds.
    std::map<std::string, double> seconds;
    for (const SampleRecord& s : dataset.list()) seconds[s.label] += s.amount();
    const std::optional<std::string> imbalance = imbalance_warning(seconds);
    session.generation->publish();

    std::map<std::string, std::map<std::string, int>> per_label;  // label -> category -> count
    for (const SampleRecord& s : r.samples) per_label[s.label][s.category]++;
    if (ctx.json) {
      nlohmann::json labels = nlohmann::json::object();
      for (const auto& [l, counts] : per_label) {
        labels[l] = {{"train", counts.count("train") ? counts.at("train") : 0},
                     {"test", counts.count("test") ? counts.at("test") : 0}};
      }
      nlohmann::json samples = nlohmann::json::array();
      for (const SampleRecord& s : r.samples) {
        samples.push_back(
            {{"id", s.id},
             {"name", s.name},
             {"label", s.label},
             {"category", s.category},
             {"group", s.group_key.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.group_key)},
             {"seconds", s.seconds()},
             {"hash", s.hash}});
      }
      nlohmann::json warnings = nlohmann::json::array();
      if (imbalance) warnings.push_back(*imbalance);
      nlohmann::json out = {{"added", r.added},
                            {"duplicates", r.duplicates},
                            {"labels", labels},
                            {"samples", samples},
                            {"warnings", warnings}};
      std::printf("%s\n", json_text(out, 2).c_str());
      return;
    }
    std::printf("added %s (%s)\n", plural(r.added, "sample").c_str(),
                plural(r.duplicates, "duplicate").c_str());
    std::size_t width = 5;
    for (const auto& [l, counts] : per_label) width = std::max(width, l.size());
    for (const auto& [l, counts] : per_label) {
      int train = counts.count("train") ? counts.at("train") : 0;
      int test = counts.count("test") ? counts.at("test") : 0;
      std::printf("  %-*s  %5d  (train %d, test %d)\n", static_cast<int>(width), l.c_str(), train + test,
                  train, test);
    }
    if (imbalance) std::fprintf(stderr, "kiln: warning: %s\n", imbalance->c_str());
  });
}

}  // namespace kiln::cli
