// `kiln add` and `kiln dataset` end to end: the built kiln binary (KILN_BINARY) on real WAV files in a
// project made by `kiln init`.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <sqlite3.h>

#include <map>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "sample_files.h"
#include "support/kiln_cli.h"

namespace {

namespace fs = std::filesystem;
using kiln::test::KilnRun;
using kiln::test::run_kiln;

// The project's files, for "a failed command changed nothing": every file but .kiln/write.lock, which is
// the lock itself, not project content (while held, its text names the command holding it).
std::map<std::string, std::string> snapshot(const fs::path& project) {
  std::map<std::string, std::string> files = kiln::test::snapshot(project);
  files.erase(".kiln/write.lock");
  return files;
}

constexpr int kWav16 = SF_FORMAT_WAV | SF_FORMAT_PCM_16;

// A new project next to rec/alarm (12 files, 44.1 kHz stereo, 0.5 s) and rec/noise (12 files, 16 kHz mono, 1
// s).
fs::path make_project(const std::string& name) {
  fs::path root = kiln::test::fresh_dir("cli-" + name);
  KilnRun r = run_kiln({"init", (root / "project").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (int i = 0; i < 12; ++i) {
    kiln::test::write_tone(root / "rec" / "alarm" / ("a" + std::to_string(i) + ".wav"), kWav16, 44100, 2, 0.5,
                           3000 + 10 * i, 0.4);
    kiln::test::write_tone(root / "rec" / "noise" / ("n" + std::to_string(i) + ".wav"), kWav16, 16000, 1, 1.0,
                           0, 0, 0.1 + 0.01 * i, i + 1);
  }
  return root / "project";
}

nlohmann::json json_of(const KilnRun& r) {
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(
      r.out);  // throws (failing the test) unless stdout is exactly one JSON document
}

TEST(CliAddDataset, AddThenSummaryAndList) {
  fs::path project = make_project("add");
  const std::string p = project.string();
  const std::string rec = (project.parent_path() / "rec").string();

  KilnRun r = run_kiln({"-C", p, "-q", "add", rec});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("added 24 samples (0 duplicates)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("alarm"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("noise"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");  // -q

  nlohmann::json again = json_of(run_kiln({"-C", p, "--json", "-q", "add", rec}));
  EXPECT_EQ(again["added"], 0);
  EXPECT_EQ(again["duplicates"], 24);

  nlohmann::json summary = json_of(run_kiln({"-C", p, "--json", "dataset"}));
  ASSERT_EQ(summary["labels"].size(), 2u);
  EXPECT_EQ(summary["labels"][0]["label"], "alarm");
  EXPECT_EQ(summary["labels"][0]["total"]["samples"], 12);
  EXPECT_NEAR(summary["labels"][0]["total"]["seconds"].get<double>(), 6.0, 1e-9);
  EXPECT_NEAR(summary["labels"][1]["total"]["seconds"].get<double>(), 12.0, 1e-9);
  EXPECT_EQ(summary["total"]["samples"], 24);
  EXPECT_EQ(summary["train"]["samples"].get<int>() + summary["test"]["samples"].get<int>(), 24);
  EXPECT_EQ(summary["dataset_hash"].get<std::string>().size(), 64u);

  r = run_kiln({"-C", p, "dataset"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* word :
       {"LABEL", "TRAIN", "TEST", "TOTAL", "alarm", "noise", "all", "24 samples in 2 labels"}) {
    EXPECT_NE(r.out.find(word), std::string::npos) << word << "\n" << r.out;
  }

  nlohmann::json alarms = json_of(run_kiln({"-C", p, "--json", "dataset", "list", "--label", "alarm"}));
  ASSERT_EQ(alarms.size(), 12u);
  for (const auto& s : alarms) {
    EXPECT_EQ(s["label"], "alarm");
    EXPECT_EQ(s["frequency"], 16000.0);
    EXPECT_EQ(s["length"], 8000);
  }
  r = run_kiln({"-C", p, "dataset", "list", "--category", "train"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("HASH"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(" test "), std::string::npos) << r.out;
}

TEST(CliAddDataset, LabelAndCategoryOptions) {
  fs::path project = make_project("options");
  const std::string p = project.string();
  const fs::path rec = project.parent_path() / "rec";
  nlohmann::json added = json_of(run_kiln(
      {"-C", p, "--json", "add", "--label", "bell", "--category", "test", (rec / "alarm").string()}));
  EXPECT_EQ(added["added"], 12);
  EXPECT_EQ(added["labels"]["bell"]["test"], 12);
  EXPECT_EQ(added["labels"]["bell"]["train"], 0);
  KilnRun r = run_kiln({"-C", p, "add", "--category", "validation", (rec / "noise").string()});
  EXPECT_NE(r.exit_code, 0);  // a usage error from the option check
  EXPECT_NE(r.err.find("--category"), std::string::npos) << r.err;
}

TEST(CliAddDataset, RelabelMoveRemove) {
  fs::path project = make_project("edit");
  const std::string p = project.string();
  ASSERT_EQ(run_kiln({"-C", p, "-q", "add", "--category", "train", (project.parent_path() / "rec").string()})
                .exit_code,
            0);
  nlohmann::json all = json_of(run_kiln({"-C", p, "--json", "dataset", "list"}));
  ASSERT_EQ(all.size(), 24u);
  const std::string id0 = std::to_string(all[0]["id"].get<int>());
  const std::string id1 = std::to_string(all[1]["id"].get<int>());
  const std::string id2 = std::to_string(all[2]["id"].get<int>());

  KilnRun r = run_kiln({"-C", p, "dataset", "relabel", id0, id1, "--label", "siren"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("relabeled 2 samples as 'siren'"), std::string::npos) << r.out;
  EXPECT_EQ(json_of(run_kiln({"-C", p, "--json", "dataset", "list", "--label", "siren"})).size(), 2u);

  r = run_kiln({"-C", p, "dataset", "move", id2, "--category", "test"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json test = json_of(run_kiln({"-C", p, "--json", "dataset", "list", "--category", "test"}));
  ASSERT_EQ(test.size(), 1u);
  EXPECT_EQ(std::to_string(test[0]["id"].get<int>()), id2);

  // Unknown ids: an error naming the id, nothing changed.
  auto before = snapshot(project);
  for (std::vector<std::string> args : {std::vector<std::string>{"relabel", id0, "4242", "--label", "x"},
                                        std::vector<std::string>{"move", id0, "4242", "--category", "test"},
                                        std::vector<std::string>{"remove", id0, "4242"}}) {
    args.insert(args.begin(), {"-C", p, "dataset"});
    r = run_kiln(args);
    EXPECT_EQ(r.exit_code, 1) << args[3];
    EXPECT_NE(r.err.find("kiln: error: no sample with id 4242"), std::string::npos) << r.err;
    EXPECT_EQ(snapshot(project), before) << args[3];
  }

  const std::string hash = all[0]["hash"];
  r = run_kiln({"-C", p, "--json", "dataset", "remove", id0});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["ids"][0].get<int>(), all[0]["id"].get<int>());
  EXPECT_EQ(json_of(run_kiln({"-C", p, "--json", "dataset", "list"})).size(), 23u);
  EXPECT_FALSE(fs::exists(project / "data" / "samples" / (hash + ".f32")));
}

// A bad file among good ones: one message naming it, exit status 1, and the project exactly as before.
TEST(CliAddDataset, BadFileAddsNothing) {
  fs::path project = make_project("bad");
  const std::string p = project.string();
  const fs::path rec = project.parent_path() / "rec";
  ASSERT_EQ(run_kiln({"-C", p, "-q", "add", (rec / "noise").string()}).exit_code, 0);
  const fs::path bad = project.parent_path() / "bad" / "notes.wav";
  kiln::test::write_text(bad, "not audio at all\n");
  auto before = snapshot(project);
  KilnRun r = run_kiln({"-C", p, "-q", "add", (rec / "alarm").string(), bad.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "kiln: error: " + bad.string() + ": not a readable audio file (Format not recognised.)\n");
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(snapshot(project), before);

  r = run_kiln({"-C", p, "add", (rec / "alarm").string(), (rec / "missing.wav").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find((rec / "missing.wav").string() + ": no such file or directory"), std::string::npos)
      << r.err;
  EXPECT_EQ(snapshot(project), before);
}

// The dataset commands never create data/ outside a project.
TEST(CliAddDataset, NotAProject) {
  fs::path dir = kiln::test::fresh_dir("cli-not-project");
  for (std::vector<std::string> args :
       {std::vector<std::string>{"dataset"}, std::vector<std::string>{"dataset", "list"},
        std::vector<std::string>{"add", dir.string()}}) {
    args.insert(args.begin(), {"-C", dir.string()});
    KilnRun r = run_kiln(args);
    EXPECT_EQ(r.exit_code, 1) << args[2];
    EXPECT_NE(r.err.find("not a Kiln project"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(fs::exists(dir / "data"));
}

TEST(CliAddDataset, Help) {
  KilnRun r = run_kiln({"add", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--label"), std::string::npos);
  EXPECT_NE(r.out.find("first rule that applies"), std::string::npos);
  for (const char* sub : {"list", "relabel", "move", "remove"}) {
    r = run_kiln({"dataset", sub, "--help"});
    EXPECT_EQ(r.exit_code, 0) << sub;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << sub;
  }
}

// A label must be usable as a folder name and printable: a bad --label, relabel --label or folder name is
// refused in one line naming it, and the project stays as it was.
TEST(CliAddDataset, HostileLabelsAreRefused) {
  fs::path project = make_project("hostile");
  const std::string p = project.string();
  const fs::path rec = project.parent_path() / "rec";
  ASSERT_EQ(run_kiln({"-C", p, "-q", "add", (rec / "noise").string()}).exit_code, 0);
  const std::string id =
      std::to_string(json_of(run_kiln({"-C", p, "--json", "dataset", "list"}))[0]["id"].get<int>());
  const auto before = snapshot(project);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"a/b", "the label 'a/b' contains '/' (it must be usable as a folder name)"},
      {"..", "the label '..' is not a possible folder name"},
      {"x\ny", "the label 'x\\ny' contains a control character (U+000A)"},
      {"caf\xE9", "the label 'caf\\xE9' is not valid UTF-8"},
      {" alarm", "the label ' alarm' starts with whitespace"},
      {"", "a label cannot be empty"},
      {std::string(200, 'x'), "is 200 bytes long, more than 128"},
  };
  for (const auto& [label, message] : cases) {
    SCOPED_TRACE(label);
    for (std::vector<std::string> args :
         {std::vector<std::string>{"add", "--label", label, (rec / "alarm").string()},
          std::vector<std::string>{"dataset", "relabel", id, "--label", label}}) {
      args.insert(args.begin(), {"-C", p});
      KilnRun r = run_kiln(args);
      EXPECT_EQ(r.exit_code, 1);
      EXPECT_EQ(r.err.rfind("kiln: error: ", 0), 0u) << r.err;
      EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
      EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
      EXPECT_EQ(snapshot(project), before);
    }
  }
}

// A folder whose name is Latin-1 bytes cannot give a label: `kiln add` names the file and adds nothing. With
// --label the files go in, and however odd their names (Latin-1, a newline), every listing still works and
// prints valid JSON. So does an index an older Kiln filled with such labels.
TEST(CliAddDataset, LatinOneNamesAreRefusedAndNeverBreakTheOutput) {
  fs::path project = make_project("latin1");
  const std::string p = project.string();
  const fs::path odd = project.parent_path() / "odd";
  const fs::path cafe = odd / "caf\xE9";
  kiln::test::write_tone(cafe / "x.wav", kWav16, 16000, 1, 0.5, 440, 0.3);
  kiln::test::write_tone(odd / "other" / "\xE9t\xE9\n.wav", kWav16, 16000, 1, 0.5, 660, 0.3);
  const auto before = snapshot(project);
  KilnRun r = run_kiln({"-C", p, "add", odd.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(
      r.err,
      "kiln: error: " + odd.string() +
          "/caf\\xE9/x.wav: the label 'caf\\xE9' (from the folder name) is not valid UTF-8; pass --label\n");
  EXPECT_EQ(snapshot(project), before);

  r = run_kiln({"-C", p, "-q", "add", "--label", "cafe", odd.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The same with an index where an older Kiln stored labels today's rules refuse.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((project / "data" / "kiln.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db, "UPDATE samples SET label = 'caf' || char(233) || x'0a' || '/' WHERE name = 'x.wav'",
                   nullptr, nullptr, nullptr),
      SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE samples SET label = CAST(x'e9' AS TEXT) WHERE name != 'x.wav'", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  for (std::vector<std::string> args :
       {std::vector<std::string>{"dataset"}, std::vector<std::string>{"dataset", "list"}}) {
    SCOPED_TRACE(args.back());
    args.insert(args.begin(), {"-C", p});
    r = run_kiln(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    // Every line is one line: no newline, no raw control byte.
    for (char c : r.out) EXPECT_TRUE(c == '\n' || static_cast<unsigned char>(c) >= 0x20) << r.out;
    args.insert(args.begin(), "--json");
    nlohmann::json j = json_of(run_kiln(args));
    EXPECT_FALSE(j.empty());
  }
  r = run_kiln({"-C", p, "dataset"});
  EXPECT_NE(r.out.find("warning: the label 'caf\xC3\xA9\\n/' contains a control character (U+000A)"),
            std::string::npos)
      << r.out;
}

// Content already in the dataset under another label: `kiln add` fails, naming the file, the sample and the
// way out, and adds nothing (not even the good files with it).
TEST(CliAddDataset, SameContentUnderAnotherLabelIsRefused) {
  fs::path project = make_project("conflict");
  const std::string p = project.string();
  const fs::path rec = project.parent_path() / "rec";
  ASSERT_EQ(run_kiln({"-C", p, "-q", "add", (rec / "alarm").string()}).exit_code, 0);
  const nlohmann::json a0 = json_of(run_kiln({"-C", p, "--json", "dataset", "list"}))[0];
  const std::string id = std::to_string(a0["id"].get<int>());
  const auto before = snapshot(project);
  KilnRun r = run_kiln({"-C", p, "-q", "add", "--label", "noise", (rec / "noise").string(),
                        (rec / "alarm" / "a0.wav").string(), (rec / "alarm" / "a1.wav").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "kiln: error: " + (rec / "alarm" / "a0.wav").string() +
                       ": already in the dataset as 'alarm' (id " + id +
                       ", a0.wav); relabel it with `kiln dataset relabel " + id +
                       " --label noise`, or leave it out (and 1 more conflict)\n");
  EXPECT_EQ(snapshot(project), before);
  // Following the advice works; the same label again is a harmless duplicate.
  ASSERT_EQ(run_kiln({"-C", p, "dataset", "relabel", id, "--label", "noise"}).exit_code, 0);
  nlohmann::json added = json_of(
      run_kiln({"-C", p, "--json", "-q", "add", "--label", "noise", (rec / "alarm" / "a0.wav").string()}));
  EXPECT_EQ(added["added"], 0);
  EXPECT_EQ(added["duplicates"], 1);
}

// relabel by rule and by glob, move and remove by glob; all or nothing.
TEST(CliAddDataset, RelabelByRuleAndMatch) {
  fs::path project = make_project("rule");
  const std::string p = project.string();
  const fs::path rec = project.parent_path() / "rec";
  ASSERT_EQ(run_kiln({"-C", p, "-q", "add", "--label", "unsorted", rec.string()}).exit_code, 0);

  KilnRun r = run_kiln({"-C", p, "dataset", "relabel", "--label-from", "folder", "--all"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "relabeled 24 samples by their folder (24 changed)\n");
  nlohmann::json summary = json_of(run_kiln({"-C", p, "--json", "dataset"}));
  ASSERT_EQ(summary["labels"].size(), 2u);
  EXPECT_EQ(summary["labels"][0]["label"], "alarm");
  EXPECT_EQ(summary["labels"][0]["total"]["samples"], 12);

  nlohmann::json j =
      json_of(run_kiln({"-C", p, "--json", "dataset", "relabel", "--match", "a1*.wav", "--label", "siren"}));
  EXPECT_EQ(j["ids"].size(), 3u);  // a1, a10, a11
  EXPECT_EQ(j["changed"], 3);
  EXPECT_EQ(j["label"], "siren");
  r = run_kiln({"-C", p, "dataset", "relabel", "--label-from", "name", "--match", "n1?.wav"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "relabeled 2 samples by their name (2 changed)\n");  // n10, n11
  EXPECT_EQ(json_of(run_kiln({"-C", p, "--json", "dataset", "list", "--label", "n10"})).size(), 1u);

  r = run_kiln({"-C", p, "dataset", "move", "--match", "n?.wav", "--category", "test"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "moved 10 samples to test\n");
  r = run_kiln({"-C", p, "dataset", "remove", "--match", "n1?.wav"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json_of(run_kiln({"-C", p, "--json", "dataset", "list"})).size(), 22u);

  // Errors change nothing: a pattern matching nothing, a rule that gives no label, a usage mistake.
  const auto before = snapshot(project);
  for (const auto& [args, code, message] :
       std::vector<std::tuple<std::vector<std::string>, int, std::string>>{
           {{"relabel", "--match", "*.flac", "--label", "x"}, 1, "no sample's file name matches '*.flac'"},
           {{"move", "--match", "zz*", "--category", "train"}, 1, "no sample's file name matches 'zz*'"},
           {{"remove", "--match", "zz*"}, 1, "no sample's file name matches 'zz*'"},
           {{"relabel", "--label-from", "prefix", "--all"}, 1, "the file name has no label before a dot"},
           {{"relabel", "--label", "x"}, 2, "ID..., --match or --all is required"},
           {{"relabel", "--all"}, 2, "--label or --label-from is required"},
           {{"relabel", "--all", "--label", "x", "--label-from", "name"}, 2, "excludes"},
           {{"relabel", "--label-from", "color", "--all"}, 2, "color"},
           {{"move", "--category", "test"}, 2, "ID... or --match is required"},
       }) {
    std::vector<std::string> full = {"-C", p, "dataset"};
    full.insert(full.end(), args.begin(), args.end());
    r = run_kiln(full);
    EXPECT_EQ(r.exit_code, code) << args[0] << " " << args[1] << "\n" << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
    EXPECT_EQ(snapshot(project), before);
  }
}

// [dataset] group_by keeps related files in one set, and the group shows in `kiln dataset list`.
TEST(CliAddDataset, GroupsFromKilnToml) {
  fs::path root = kiln::test::fresh_dir("cli-groups");
  ASSERT_EQ(run_kiln({"init", (root / "project").string()}).exit_code, 0);
  const fs::path project = root / "project";
  std::string toml = kiln::test::read_bytes(project / "kiln.toml");
  const std::string none = "group_by = \"none\"";
  ASSERT_NE(toml.find(none), std::string::npos) << toml;
  toml.replace(toml.find(none), none.size(), "group_by = \"prefix\"");
  const std::string ratio = "test_ratio = 0.1";
  toml.replace(toml.find(ratio), ratio.size(), "test_ratio = 0.25");
  kiln::test::write_text(project / "kiln.toml", toml);
  unsigned seed = 0;
  for (const char* word : {"yes", "no"}) {
    for (int speaker = 0; speaker < 8; ++speaker) {
      for (int n = 0; n < 3; ++n) {
        kiln::test::write_tone(root / "speech" / word /
                                   ("s" + std::to_string(speaker) + "_nohash_" + std::to_string(n) + ".wav"),
                               kWav16, 16000, 1, 0.25, 0, 0, 0.2, ++seed);
      }
    }
  }
  const std::string p = project.string();
  ASSERT_EQ(run_kiln({"-C", p, "-q", "add", (root / "speech").string()}).exit_code, 0);
  nlohmann::json list = json_of(run_kiln({"-C", p, "--json", "dataset", "list"}));
  ASSERT_EQ(list.size(), 48u);
  std::map<std::string, std::set<std::string>> sets;
  int test = 0;
  for (const auto& s : list) {
    sets[s["group"].get<std::string>()].insert(s["category"].get<std::string>());
    test += s["category"] == "test";
  }
  EXPECT_EQ(sets.size(), 8u);
  for (const auto& [group, categories] : sets) EXPECT_EQ(categories.size(), 1u) << group;
  EXPECT_EQ(test, 12);  // 2 of 8 speakers, 6 samples each
  KilnRun r = run_kiln({"-C", p, "dataset", "list", "--label", "yes"});
  EXPECT_NE(r.out.find("GROUP"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" s0\n"), std::string::npos) << r.out;

  toml.replace(toml.find("group_by = \"prefix\""), 19, "group_by = \"speaker\"");
  kiln::test::write_text(project / "kiln.toml", toml);
  r = run_kiln({"-C", p, "add", (root / "speech").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("kiln.toml:16: [dataset].group_by is"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("speaker"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("expected one of: none, folder, prefix"), std::string::npos) << r.err;
  const std::string speaker = "group_by = \"speaker\"", underscore = "group_separator = \"_\"";
  toml.replace(toml.find(speaker), speaker.size(), "group_by = \"prefix\"");
  toml.replace(toml.find(underscore), underscore.size(), "group_separator = \"/\"");
  kiln::test::write_text(project / "kiln.toml", toml);
  r = run_kiln({"-C", p, "add", (root / "speech").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("kiln.toml: [dataset].group_separator '/' contains '/'"), std::string::npos) << r.err;
}

// The summary and `kiln add` warn about imbalanced labels and labels without test samples.
TEST(CliAddDataset, WarnsAboutImbalanceAndMissingTestSamples) {
  fs::path project = make_project("warn");
  const std::string p = project.string();
  const fs::path rec = project.parent_path() / "rec";
  // 12 s of noise against 1.5 s of alarm (3 files): 8 times.
  for (int i = 0; i < 9; ++i) std::filesystem::remove(rec / "alarm" / ("a" + std::to_string(i + 3) + ".wav"));
  const std::string imbalance =
      "the labels are imbalanced: 'noise' has 8.0 times as much data as 'alarm' (more than 3 times); "
      "consider "
      "`class_weights = \"balanced\"` in kiln.toml's [train]";
  KilnRun r = run_kiln({"-C", p, "-q", "add", rec.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "kiln: warning: " + imbalance + "\n");
  nlohmann::json added = json_of(run_kiln({"-C", p, "--json", "-q", "add", rec.string()}));
  EXPECT_EQ(added["warnings"], nlohmann::json::array({imbalance}));

  r = run_kiln({"-C", p, "dataset"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // 3 alarms at test_ratio 0.1: 0.3 rounds to no test sample.
  EXPECT_NE(r.out.find("\nwarning: 'alarm' has no test samples (3 in all: too few for a share of [dataset] "
                       "test_ratio); `kiln test` cannot measure it\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\nwarning: " + imbalance + "\n"), std::string::npos) << r.out;
  nlohmann::json summary = json_of(run_kiln({"-C", p, "--json", "dataset"}));
  ASSERT_EQ(summary["warnings"].size(), 2u);
  EXPECT_EQ(summary["warnings"][1], imbalance);
  EXPECT_EQ(summary["labels"][1]["test"]["samples"], 1);  // round(0.1 * 12)
}

// A path too long for the system is reported as such, not as a missing file.
TEST(CliAddDataset, TooLongPathSaysWhy) {
  fs::path project = make_project("long");
  const std::string p = project.string();
  const auto before = snapshot(project);
  KilnRun r = run_kiln({"-C", p, "add", (project.parent_path() / (std::string(300, 'x') + ".wav")).string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(": File name too long\n"), std::string::npos) << r.err;
  EXPECT_EQ(snapshot(project), before);
}

}  // namespace
