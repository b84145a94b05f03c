// kiln dataset [list|relabel|move|remove]: look at and edit the project's dataset.
#include <cstdio>
#include <map>
#include <optional>
#include <string_view>

#include "cli/commands.h"
#include "core/error.h"
#include "core/generation.h"
#include "core/project_state.h"
#include "data/dataset.h"
#include "project/project.h"

namespace kiln::cli {
namespace {

// The dataset commands work on any project directory, also when kiln.toml has a mistake to fix, but never
// create anything in a directory that is not a project.
ProjectPaths project_paths(const Context& ctx) {
  ProjectPaths paths{ctx.project_dir};
  if (!std::filesystem::exists(paths.toml())) {
    throw Error(paths.toml().string() + ": not a Kiln project (no kiln.toml; create one with `kiln init " +
                ctx.project_dir.string() + "`)");
  }
  return paths;
}

// Reads the dataset under the read lock.
template <class Read>
void read_dataset(const Context& ctx, Read&& read) {
  const ProjectPaths paths = project_paths(ctx);
  const ReadLock lock(paths.dir);
  read(Dataset::open(paths.dir));
}

// Changes the dataset as one generation: the edit is published whole, or the project stays as it was.
template <class Change>
void change_dataset(const Context& ctx, std::string_view command, Change&& change) {
  const ProjectPaths paths = project_paths(ctx);
  const WriteLock lock(paths.dir, command);
  Generation generation(paths.dir);
  {
    Dataset dataset = Dataset::open_for_update(paths.dir, generation);
    change(dataset);
  }
  generation.publish();
}

// 4.2s, 3m 07.5s, 2h 05m 09s
std::string format_duration(double seconds) {
  char buf[48];
  if (seconds < 60) {
    std::snprintf(buf, sizeof buf, "%.1fs", seconds);
  } else if (seconds < 3600) {
    int m = static_cast<int>(seconds / 60);
    std::snprintf(buf, sizeof buf, "%dm %04.1fs", m, seconds - 60 * m);
  } else {
    long s = static_cast<long>(seconds + 0.5);
    std::snprintf(buf, sizeof buf, "%ldh %02ldm %02lds", s / 3600, s / 60 % 60, s % 60);
  }
  return buf;
}

struct Tally {
  int samples = 0;
  double seconds = 0;
  void add(const SampleRecord& s) {
    samples++;
    seconds += s.seconds();
  }
  nlohmann::json json() const { return {{"samples", samples}, {"seconds", seconds}}; }
};

struct LabelTally {
  Tally train, test, total;
};

void print_summary(const Dataset& dataset, const Context& ctx) {
  std::map<std::string, LabelTally> labels;
  LabelTally all;
  for (const SampleRecord& s : dataset.list()) {
    for (LabelTally* t : {&labels[s.label], &all}) {
      (s.category == "test" ? t->test : t->train).add(s);
      t->total.add(s);
    }
  }
  if (ctx.json) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& [label, t] : labels) {
      rows.push_back(
          {{"label", label}, {"train", t.train.json()}, {"test", t.test.json()}, {"total", t.total.json()}});
    }
    nlohmann::json out = {{"labels", rows},
                          {"train", all.train.json()},
                          {"test", all.test.json()},
                          {"total", all.total.json()},
                          {"dataset_hash", dataset.content_hash()}};
    std::printf("%s\n", out.dump(2).c_str());
    return;
  }
  if (all.total.samples == 0) {
    std::printf("The dataset is empty. Add samples with `kiln add --label LABEL FILES...`\n");
    return;
  }
  // Each set is two right-aligned columns, samples and duration, of one width across the table.
  std::size_t w_label = 5, w_count = 1, w_time = 1;
  for (const auto& [label, t] : labels) w_label = std::max(w_label, label.size());
  for (const Tally* t : {&all.train, &all.test, &all.total}) {
    w_count = std::max(w_count, std::to_string(t->samples).size());
    w_time = std::max(w_time, format_duration(t->seconds).size());
  }
  const int w_set = static_cast<int>(w_count + 2 + w_time);
  auto cell = [&](const Tally& t) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%*d  %*s", static_cast<int>(w_count), t.samples, static_cast<int>(w_time),
                  format_duration(t.seconds).c_str());
    return std::string(buf);
  };
  auto row = [&](const std::string& a, const std::string& b, const std::string& c, const std::string& d) {
    std::printf("%-*s    %-*s    %-*s    %s\n", static_cast<int>(w_label), a.c_str(), w_set, b.c_str(), w_set,
                c.c_str(), d.c_str());
  };
  row("LABEL", "TRAIN", "TEST", "TOTAL");
  for (const auto& [label, t] : labels) row(label, cell(t.train), cell(t.test), cell(t.total));
  row("all", cell(all.train), cell(all.test), cell(all.total));
  double test_share = all.total.samples ? 100.0 * all.test.samples / all.total.samples : 0;
  std::printf("\n%s in %zu labels; %.0f%% of the samples are in test\n",
              (std::to_string(all.total.samples) + " samples").c_str(), labels.size(), test_share);
}

nlohmann::json record_json(const SampleRecord& s) {
  return {{"id", s.id},
          {"name", s.name},
          {"label", s.label},
          {"category", s.category},
          {"axes", s.axes},
          {"axis_names", s.axis_names},
          {"frequency", s.frequency},
          {"length", s.length},
          {"seconds", s.seconds()},
          {"hash", s.hash},
          {"source_path", s.source_path},
          {"added_at", s.added_at}};
}

void print_list(const std::vector<SampleRecord>& samples, const Context& ctx) {
  if (ctx.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const SampleRecord& s : samples) out.push_back(record_json(s));
    std::printf("%s\n", out.dump(2).c_str());
    return;
  }
  std::size_t w_label = 5;
  for (const SampleRecord& s : samples) w_label = std::max(w_label, s.label.size());
  std::printf("%6s  %-*s  %-5s  %9s  %-12s  %s\n", "ID", static_cast<int>(w_label), "LABEL", "SET",
              "DURATION", "HASH", "NAME");
  for (const SampleRecord& s : samples) {
    std::printf("%6lld  %-*s  %-5s  %9s  %-12s  %s\n", static_cast<long long>(s.id),
                static_cast<int>(w_label), s.label.c_str(), s.category.c_str(),
                format_duration(s.seconds()).c_str(), s.hash.substr(0, 12).c_str(), s.name.c_str());
  }
}

// What relabel/move/remove print: the ids they changed.
void print_change(const Context& ctx, const char* verb, const std::vector<std::int64_t>& ids,
                  const std::string& what, nlohmann::json json) {
  if (ctx.json) {
    nlohmann::json out = {{"ids", ids}};
    out.update(json);
    std::printf("%s\n", out.dump(2).c_str());
    return;
  }
  std::printf("%s %zu sample%s%s\n", verb, ids.size(), ids.size() == 1 ? "" : "s", what.c_str());
}

}  // namespace

void register_dataset(CLI::App& app, Context& ctx) {
  auto* cmd =
      app.add_subcommand("dataset", "Show the dataset (samples and durations per label and set), or edit it");
  cmd->footer(
      "\nWithout a subcommand: a table of samples and total duration per label, for train and test.\n"
      "Sample ids come from `kiln dataset list`; ids of removed samples are never reused.");

  auto* list =
      cmd->add_subcommand("list", "List the samples: id, label, set, duration, content hash, file name");
  static std::string list_label, list_category;
  auto* list_label_opt = list->add_option("--label", list_label, "Only this label");
  auto* list_category_opt =
      list->add_option("--category", list_category, "Only this set")->check(CLI::IsMember({"train", "test"}));
  list->callback([&ctx, list_label_opt, list_category_opt] {
    std::optional<std::string> label, category;
    if (list_label_opt->count()) label = list_label;
    if (list_category_opt->count()) category = list_category;
    read_dataset(ctx, [&](const Dataset& dataset) { print_list(dataset.list(label, category), ctx); });
  });

  auto* relabel = cmd->add_subcommand("relabel", "Give samples another label");
  static std::vector<std::int64_t> relabel_ids;
  static std::string relabel_label;
  relabel->add_option("ID", relabel_ids, "Sample ids")->required();
  relabel->add_option("--label", relabel_label, "The new label")->required();
  relabel->callback([&ctx] {
    change_dataset(ctx, "dataset relabel", [](Dataset& d) { d.relabel(relabel_ids, relabel_label); });
    print_change(ctx, "relabeled", relabel_ids, " as '" + relabel_label + "'", {{"label", relabel_label}});
  });

  auto* move = cmd->add_subcommand("move", "Move samples to the train or the test set");
  static std::vector<std::int64_t> move_ids;
  static std::string move_category;
  move->add_option("ID", move_ids, "Sample ids")->required();
  move->add_option("--category", move_category, "train or test")
      ->required()
      ->check(CLI::IsMember({"train", "test"}));
  move->callback([&ctx] {
    change_dataset(ctx, "dataset move", [](Dataset& d) { d.move(move_ids, move_category); });
    print_change(ctx, "moved", move_ids, " to " + move_category, {{"category", move_category}});
  });

  auto* remove =
      cmd->add_subcommand("remove", "Remove samples from the dataset (and their stored sample files)");
  static std::vector<std::int64_t> remove_ids;
  remove->add_option("ID", remove_ids, "Sample ids")->required();
  remove->callback([&ctx] {
    change_dataset(ctx, "dataset remove", [](Dataset& d) { d.remove(remove_ids); });
    print_change(ctx, "removed", remove_ids, "", {{"removed", true}});
  });

  cmd->callback([&ctx, cmd] {
    if (!cmd->get_subcommands().empty()) return;  // a subcommand did the work
    read_dataset(ctx, [&](const Dataset& dataset) { print_summary(dataset, ctx); });
  });
}

}  // namespace kiln::cli
