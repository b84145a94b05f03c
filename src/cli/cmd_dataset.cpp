// kiln dataset [list|relabel|move|remove]: look at and edit the project's dataset.
#include <cstdio>
#include <map>
#include <optional>
#include <string_view>

#include "cli/commands.h"
#include "core/error.h"
#include "core/escape.h"
#include "core/generation.h"
#include "core/names.h"
#include "core/project_state.h"
#include "data/dataset.h"
#include "data/label_balance.h"
#include "project/project.h"

namespace kiln::cli {
namespace {

// The dataset commands work on any project directory, also when kiln.toml has a mistake to fix, but never
// create anything in a directory that is not a project.
ProjectPaths project_paths(const Context& ctx) {
  require_project(ctx.project_dir);
  return ProjectPaths{ctx.project_dir};
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
  double amount = 0;  // for the balance warning: seconds, or images (SampleRecord::amount)
  void add(const SampleRecord& s) {
    samples++;
    seconds += s.seconds();
    amount += s.amount();
  }
  nlohmann::json json() const { return {{"samples", samples}, {"seconds", seconds}}; }
};

struct LabelTally {
  Tally train, test, total;
};

// What the summary warns about: labels an older Kiln accepted that break today's rules, labels without test
// samples, and class imbalance (data/label_balance.h, on seconds of recordings: a label's windows grow with
// its seconds; on images in an image project).
std::vector<std::string> summary_warnings(const std::map<std::string, LabelTally>& labels,
                                          const LabelTally& all) {
  std::vector<std::string> out;
  for (const auto& [label, t] : labels) {
    if (auto problem = name_problem(label)) {
      out.push_back("the label '" + terminal_line(label, 200) + "' " + *problem + "; give its " +
                    std::to_string(t.total.samples) +
                    " samples another with `kiln dataset relabel ID... --label L`");
    }
  }
  if (all.total.samples > 0 && all.test.samples == 0) {
    out.push_back("the test set is empty, so `kiln test` has nothing to measure");
  } else {
    for (const auto& [label, t] : labels) {
      if (t.test.samples == 0) {
        out.push_back("'" + terminal_line(label, 200) + "' has no test samples (" +
                      std::to_string(t.total.samples) +
                      " in all: too few for a share of [dataset] test_ratio); `kiln test` cannot measure it");
      }
    }
  }
  std::map<std::string, double> seconds;
  for (const auto& [label, t] : labels) seconds[label] = t.total.amount;
  if (auto imbalance = imbalance_warning(seconds)) out.push_back(*imbalance);
  return out;
}

void print_summary(const Dataset& dataset, const Context& ctx) {
  std::map<std::string, LabelTally> labels;
  LabelTally all;
  for (const SampleRecord& s : dataset.list()) {
    for (LabelTally* t : {&labels[s.label], &all}) {
      (s.category == "test" ? t->test : t->train).add(s);
      t->total.add(s);
    }
  }
  const std::vector<std::string> warnings = summary_warnings(labels, all);
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
                          {"dataset_hash", dataset.content_hash()},
                          {"warnings", warnings}};
    std::printf("%s\n", json_text(out, 2).c_str());
    return;
  }
  if (all.total.samples == 0) {
    std::printf("The dataset is empty. Add samples with `kiln add --label LABEL FILES...`\n");
    return;
  }
  // Each set is two right-aligned columns, samples and duration, of one width across the table (images have
  // no duration: an image project shows counts only).
  const bool timed = all.total.seconds > 0;
  std::size_t w_label = 5, w_count = 1, w_time = timed ? 1 : 0;
  for (const auto& [label, t] : labels) w_label = std::max(w_label, terminal_line(label).size());
  for (const Tally* t : {&all.train, &all.test, &all.total}) {
    w_count = std::max(w_count, std::to_string(t->samples).size());
    if (timed) w_time = std::max(w_time, format_duration(t->seconds).size());
  }
  const int w_set = static_cast<int>(w_count + (timed ? 2 + w_time : 0));
  auto cell = [&](const Tally& t) {
    char buf[96];
    if (!timed) {
      std::snprintf(buf, sizeof buf, "%*d", static_cast<int>(w_count), t.samples);
      return std::string(buf);
    }
    std::snprintf(buf, sizeof buf, "%*d  %*s", static_cast<int>(w_count), t.samples, static_cast<int>(w_time),
                  format_duration(t.seconds).c_str());
    return std::string(buf);
  };
  auto row = [&](const std::string& a, const std::string& b, const std::string& c, const std::string& d) {
    std::printf("%-*s    %-*s    %-*s    %s\n", static_cast<int>(w_label), a.c_str(), w_set, b.c_str(), w_set,
                c.c_str(), d.c_str());
  };
  row("LABEL", "TRAIN", "TEST", "TOTAL");
  for (const auto& [label, t] : labels) row(terminal_line(label), cell(t.train), cell(t.test), cell(t.total));
  row("all", cell(all.train), cell(all.test), cell(all.total));
  double test_share = all.total.samples ? 100.0 * all.test.samples / all.total.samples : 0;
  std::printf("\n%s in %zu labels; %.0f%% of the samples are in test\n",
              (std::to_string(all.total.samples) + " samples").c_str(), labels.size(), test_share);
  for (const std::string& w : warnings) std::printf("warning: %s\n", w.c_str());
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
          {"width", s.width},
          {"height", s.height},
          {"hash", s.hash},
          {"source_path", s.source_path},
          {"group", s.group_key.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.group_key)},
          {"added_at", s.added_at}};
}

void print_list(const std::vector<SampleRecord>& samples, const Context& ctx) {
  if (ctx.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const SampleRecord& s : samples) out.push_back(record_json(s));
    std::printf("%s\n", json_text(out, 2).c_str());
    return;
  }
  // Names and labels are shown escaped: a file name may hold anything, an old index any label.
  std::size_t w_label = 5, w_name = 4;
  for (const SampleRecord& s : samples) {
    w_label = std::max(w_label, terminal_line(s.label).size());
    w_name = std::max(w_name, terminal_line(s.name).size());
  }
  const int wl = static_cast<int>(w_label), wn = static_cast<int>(w_name);
  std::printf("%6s  %-*s  %-5s  %9s  %-12s  %-*s  %s\n", "ID", wl, "LABEL", "SET", "DURATION", "HASH", wn,
              "NAME", "GROUP");
  for (const SampleRecord& s : samples) {
    std::printf("%6lld  %-*s  %-5s  %9s  %-12s  %-*s  %s\n", static_cast<long long>(s.id), wl,
                terminal_line(s.label).c_str(), s.category.c_str(),
                (s.is_image() ? std::to_string(s.width) + "x" + std::to_string(s.height)
                              : format_duration(s.seconds()))
                    .c_str(),
                s.hash.substr(0, 12).c_str(), wn, terminal_line(s.name).c_str(),
                s.group_key.empty() ? "-" : terminal_line(s.group_key).c_str());
  }
}

// Which samples relabel/move/remove work on: ids, a file-name pattern, or (relabel) all of them.
struct Selection {
  std::vector<std::int64_t> ids;
  std::string match;
  bool all = false;
  CLI::Option* ids_opt = nullptr;
  CLI::Option* match_opt = nullptr;
  CLI::Option* all_opt = nullptr;

  void add_to(CLI::App* cmd, bool with_all) {
    ids_opt = cmd->add_option("ID", ids, "Sample ids (see `kiln dataset list`)");
    match_opt = cmd->add_option("--match", match,
                                "The samples whose file name matches this glob (fnmatch: * ? [...]), e.g. "
                                "'*_nohash_*.wav'; quote it");
    match_opt->excludes(ids_opt);
    if (with_all) {
      all_opt = cmd->add_flag("--all", all, "Every sample");
      all_opt->excludes(ids_opt)->excludes(match_opt);
    }
  }
  // A usage error (exit status 2) when nothing was selected.
  void require() const {
    if (ids_opt->count() == 0 && match_opt->count() == 0 && !(all_opt && all_opt->count() > 0)) {
      throw CLI::RequiredError(all_opt ? "ID..., --match or --all" : "ID... or --match");
    }
  }
  std::vector<std::int64_t> resolve(const Dataset& d) const {
    if (all) {
      std::vector<std::int64_t> every;
      for (const SampleRecord& s : d.list()) every.push_back(s.id);
      if (every.empty()) throw Error("the dataset is empty");
      return every;
    }
    return match_opt->count() > 0 ? d.match(match) : ids;
  }
};

// What relabel/move/remove print: the ids they worked on.
void print_change(const Context& ctx, const char* verb, const std::vector<std::int64_t>& ids,
                  const std::string& what, nlohmann::json json) {
  if (ctx.json) {
    nlohmann::json out = {{"ids", ids}};
    out.update(json);
    std::printf("%s\n", json_text(out, 2).c_str());
    return;
  }
  std::printf("%s %zu sample%s%s\n", verb, ids.size(), ids.size() == 1 ? "" : "s", what.c_str());
}

}  // namespace

void register_dataset(CLI::App& app, Context& ctx) {
  auto* cmd =
      app.add_subcommand("dataset", "Show the dataset (samples and durations per label and set), or edit it");
  cmd->footer(
      "\nWithout a subcommand: a table of samples and total duration per label, for train and test, and\n"
      "warnings (labels without test samples, imbalanced labels).\n"
      "Sample ids come from `kiln dataset list`; ids of removed samples are never reused.");

  auto* list = cmd->add_subcommand(
      "list", "List the samples: id, label, set, duration, content hash, file name, group");
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

  auto* relabel = cmd->add_subcommand("relabel", "Give samples another label, or their label from a rule");
  static Selection relabel_sel;
  static std::string relabel_label, relabel_from;
  relabel_sel.add_to(relabel, true);
  auto* label_opt = relabel->add_option("--label", relabel_label, "The new label");
  auto* from_opt =
      relabel
          ->add_option("--label-from", relabel_from,
                       "Take each sample's label from its file as `kiln add` does: folder (the folder "
                       "holding it), prefix (alarm.01.wav -> alarm) or name (the file name)")
          ->check(CLI::IsMember({"folder", "prefix", "name"}));
  label_opt->excludes(from_opt);
  relabel->callback([&ctx, label_opt, from_opt] {
    relabel_sel.require();
    if (label_opt->count() == 0 && from_opt->count() == 0)
      throw CLI::RequiredError("--label or --label-from");
    std::vector<std::int64_t> ids;
    int changed = 0;
    change_dataset(ctx, "dataset relabel", [&](Dataset& d) {
      ids = relabel_sel.resolve(d);
      if (from_opt->count() == 0) {
        changed = d.relabel(ids, relabel_label);
      } else {
        const LabelRule rule = relabel_from == "folder"   ? LabelRule::kFolder
                               : relabel_from == "prefix" ? LabelRule::kPrefix
                                                          : LabelRule::kName;
        changed = d.relabel_by_rule(ids, rule);
      }
    });
    const std::string how = from_opt->count() ? " by their " + relabel_from : " as '" + relabel_label + "'";
    nlohmann::json json = {{"changed", changed}};
    if (from_opt->count()) {
      json["label_from"] = relabel_from;
    } else {
      json["label"] = relabel_label;
    }
    print_change(ctx, "relabeled", ids, how + " (" + std::to_string(changed) + " changed)", json);
  });

  auto* move = cmd->add_subcommand("move", "Move samples to the train or the test set");
  static Selection move_sel;
  static std::string move_category;
  move_sel.add_to(move, false);
  move->add_option("--category", move_category, "train or test")
      ->required()
      ->check(CLI::IsMember({"train", "test"}));
  move->callback([&ctx] {
    move_sel.require();
    std::vector<std::int64_t> ids;
    change_dataset(ctx, "dataset move", [&](Dataset& d) {
      ids = move_sel.resolve(d);
      d.move(ids, move_category);
    });
    print_change(ctx, "moved", ids, " to " + move_category, {{"category", move_category}});
  });

  auto* remove =
      cmd->add_subcommand("remove", "Remove samples from the dataset (and their stored sample files)");
  static Selection remove_sel;
  remove_sel.add_to(remove, false);
  remove->callback([&ctx] {
    remove_sel.require();
    std::vector<std::int64_t> ids;
    change_dataset(ctx, "dataset remove", [&](Dataset& d) {
      ids = remove_sel.resolve(d);
      d.remove(ids);
    });
    print_change(ctx, "removed", ids, "", {{"removed", true}});
  });

  cmd->callback([&ctx, cmd] {
    if (!cmd->get_subcommands().empty()) return;  // a subcommand did the work
    read_dataset(ctx, [&](const Dataset& dataset) { print_summary(dataset, ctx); });
  });
}

}  // namespace kiln::cli
